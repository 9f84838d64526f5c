# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The 'info' workflow: read resources, change nothing, and send the same requests in check mode."""

from __future__ import annotations

from ._api import get_in_environment, list_in_environment
from ._base import ConfluentModule
from ._errors import TaskFailure
from ._selectors import Selection, selector_argument_spec


class InfoQuery(ConfluentModule):
    """Returns a list of resources under ``result_key``; a subclass says how to find them (query)."""

    result_key = None
    # The _api.Collection it reads, when it reads one.
    collection = None

    def query(self):
        raise NotImplementedError

    def work(self):
        refusal = self.collection.refusal(self.client) if self.collection else None
        if refusal:
            raise TaskFailure("%s." % refusal)
        self.exit(**{self.result_key: self.query()})


class SelectedInfoQuery(InfoQuery):
    """An InfoQuery narrowed by the selector options (exact display_name, display_name_regex, older_than), oldest
    first with ``age_seconds``; a subclass says which resources to select from (candidates)."""

    text_options = ("display_name",)

    def candidates(self):
        raise NotImplementedError

    def validate(self):
        super().validate()
        self.selection = Selection(self.params)

    def query(self):
        return self.selection.select(self.candidates())


class InEnvironmentInfo(SelectedInfoQuery):
    """The resources of one environment (``environment_id``), every page, or the one ``id`` names; a subclass names
    ``result_key``, ``collection`` and ``id_prefixes``."""

    path_options = ("environment_id", "id")

    @classmethod
    def argument_spec(cls):
        return dict(environment_id=dict(type="str", required=True), id=dict(type="str"), **selector_argument_spec())

    def candidates(self):
        environment_id = self.params["environment_id"]
        if self.params["id"] is None:
            return list_in_environment(self.client, self.collection, environment_id)
        found = get_in_environment(self.client, self.collection, self.params["id"], environment_id)
        return [found] if found is not None else []

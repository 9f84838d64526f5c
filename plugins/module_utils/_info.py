# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The 'info' workflow: read resources, change nothing, and send the same requests in check mode."""

from __future__ import annotations

from ._base import ConfluentModule
from ._selectors import Selection


class InfoQuery(ConfluentModule):
    """Returns a list of resources under ``result_key``; a subclass says how to find them (query)."""

    result_key = None

    def query(self):
        raise NotImplementedError

    def work(self):
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

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The 'info' workflow: read resources, change nothing, and send the same requests in check mode."""

from __future__ import annotations

from ._base import ConfluentModule


class InfoQuery(ConfluentModule):
    """Returns a list of resources under ``result_key``; a subclass says how to find them (query)."""

    result_key = None

    def query(self):
        raise NotImplementedError

    def work(self):
        self.exit(**{self.result_key: self.query()})

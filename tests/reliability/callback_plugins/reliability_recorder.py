# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Records every task result of a playbook run, with wall-clock times, as JSON for tests/reliability.

Enabled only by the reliability suite (ANSIBLE_CALLBACKS_ENABLED=reliability_recorder); the file it writes is named
by the environment variable RELIABILITY_RESULTS.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: reliability_recorder
type: aggregate
short_description: Record task results with timing for the reliability suite
description:
  - Writes one JSON record per host, task and loop item to the file named by E(RELIABILITY_RESULTS).
requirements:
  - enabled in the configuration
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase

try:
    from ansible.module_utils.common.json import AnsibleJSONEncoder
except ImportError:  # pragma: no cover
    AnsibleJSONEncoder = json.JSONEncoder


def _plain(value):
    """The result as plain JSON types; anything the encoder does not know becomes its string form."""
    class Encoder(AnsibleJSONEncoder):
        def default(self, o):  # pylint: disable=method-hidden
            try:
                return super().default(o)
            except TypeError:
                return str(o)

    return json.loads(json.dumps(value, cls=Encoder))


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "reliability_recorder"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = []
        self.started = {}

    @staticmethod
    def _parts(result):
        host = getattr(result, "host", None) or getattr(result, "_host")
        task = getattr(result, "task", None) or getattr(result, "_task")
        data = getattr(result, "result", None)
        if data is None:
            data = getattr(result, "_result")
        return host, task, data

    def v2_runner_on_start(self, host, task):
        self.started[(host.get_name(), task._uuid)] = time.time()  # pylint: disable=protected-access

    def _record(self, result, status, item=False):
        host, task, data = self._parts(result)
        data = _plain(data)
        if status == "ok" and data.get("changed"):
            status = "changed"
        self.records.append({
            "host": host.get_name(),
            "task": task.get_name(),
            "action": task.action,
            "status": status,
            "item": item,
            "start": self.started.get((host.get_name(), task._uuid)),  # pylint: disable=protected-access
            "end": time.time(),
            "result": data,
        })

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._record(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._record(result, "unreachable")

    def v2_runner_item_on_ok(self, result):
        self._record(result, "ok", item=True)

    def v2_runner_item_on_failed(self, result):
        self._record(result, "failed", item=True)

    def v2_runner_item_on_skipped(self, result):
        self._record(result, "skipped", item=True)

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("RELIABILITY_RESULTS")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(self.records, handle)

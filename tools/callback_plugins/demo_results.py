# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Records the results of this collection's tasks as JSON for tools/demo.py (make demo).

Enabled only by the demo (ANSIBLE_CALLBACKS_ENABLED=demo_results), next to the default output; the file it writes is
named by the environment variable DEMO_RESULTS.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: demo_results
type: aggregate
short_description: Record the results of the collection's tasks for make demo
description:
  - Writes one JSON record per host, task and loop item of the kafkaops.confluent_cloud modules to the file named by
    E(DEMO_RESULTS).
requirements:
  - enabled in the configuration
"""

import json
import os

from ansible.plugins.callback import CallbackBase

try:
    from ansible.module_utils.common.json import AnsibleJSONEncoder
except ImportError:  # pragma: no cover
    AnsibleJSONEncoder = json.JSONEncoder

PREFIX = "kafkaops.confluent_cloud."
# What a task names (the resource it deleted or would delete, what goes with it, what it found); never a secret: the
# modules return none.
KEPT = ("changed", "failed", "msg", "connector", "environment", "kafka_cluster", "service_account", "api_key", "contents",
        "environments", "service_accounts", "retries")


class _Encoder(AnsibleJSONEncoder):
    def default(self, o):  # pylint: disable=method-hidden
        try:
            return super().default(o)
        except TypeError:
            return str(o)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "demo_results"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = []

    def _record(self, result, status, item):
        task = getattr(result, "task", None) or getattr(result, "_task")
        if not task.action.startswith(PREFIX):
            return
        host = getattr(result, "host", None) or getattr(result, "_host")
        data = getattr(result, "result", None)
        if data is None:
            data = getattr(result, "_result")
        if not item and "results" in data:
            return  # a loop's summary: its items were recorded one by one
        kept = dict((key, data[key]) for key in KEPT if key in data)
        self.records.append(json.loads(json.dumps(dict(
            host=host.get_name(), task=task.get_name(), action=task.action, status=status, item=item,
            changed=bool(data.get("changed")), result=kept), cls=_Encoder)))

    def v2_runner_on_ok(self, result):
        self._record(result, "ok", False)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed", False)

    def v2_runner_item_on_ok(self, result):
        self._record(result, "ok", True)

    def v2_runner_item_on_failed(self, result):
        self._record(result, "failed", True)

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("DEMO_RESULTS")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(self.records, handle, indent=1)

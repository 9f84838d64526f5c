# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Records every task result of a playbook run, with times, as JSON for the tools and tests of this repository.

Enabled by tests/support/playbook.py (ANSIBLE_CALLBACKS_ENABLED=task_results), next to the usual output; the file it
writes is named by the environment variable TASK_RESULTS_FILE. Its format is described in tests/support/README.md.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: task_results
type: aggregate
short_description: Record every task result, with times, for the repository's tools and tests
description:
  - Writes, when the playbook ends, the tasks started and one JSON record per host, task and loop item to the file
    named by E(TASK_RESULTS_FILE).
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

FORMAT = 1


class _Encoder(AnsibleJSONEncoder):
    """Anything the encoder does not know becomes its string form."""

    def default(self, o):  # pylint: disable=method-hidden
        try:
            return super().default(o)
        except TypeError:
            return str(o)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_results"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.playbook_start = time.time()
        self.tasks = []
        self.task_index = {}
        self.results = []
        self.started = {}

    def _task_start(self, task):
        self.task_index[task._uuid] = len(self.tasks)  # pylint: disable=protected-access
        self.tasks.append({"name": task.get_name(), "action": task.action, "start": time.time()})

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._task_start(task)

    def v2_playbook_on_handler_task_start(self, task):
        self._task_start(task)

    def v2_runner_on_start(self, host, task):
        self.started[(host.get_name(), task._uuid)] = time.time()  # pylint: disable=protected-access

    def _record(self, result, status, item=False):
        host = getattr(result, "host", None) or getattr(result, "_host")
        task = getattr(result, "task", None) or getattr(result, "_task")
        data = getattr(result, "result", None)
        if data is None:
            data = getattr(result, "_result")
        data = json.loads(json.dumps(data, cls=_Encoder))
        changed = bool(data.get("changed"))
        self.results.append({
            "host": host.get_name(),
            "task": task.get_name(),
            "action": task.action,
            "task_index": self.task_index.get(task._uuid),  # pylint: disable=protected-access
            "status": "changed" if status == "ok" and changed else status,
            "changed": changed,
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
        path = os.environ.get("TASK_RESULTS_FILE")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump({"format": FORMAT, "playbook_start": self.playbook_start, "playbook_end": time.time(),
                           "tasks": self.tasks, "results": self.results}, handle)

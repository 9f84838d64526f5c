# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Callback for tests/benchmark: when each task started and ended, and how its loop items went.

Writes a JSON document to the file named by the environment variable BENCH_TIMINGS_FILE when the
playbook ends: {"tasks": [{"name", "start", "end", "hosts", "items": {"ok", "changed", "failed",
"skipped"}, "attempts", "module_retries"}], "playbook_start", "playbook_end"}. Times are epoch seconds.
"""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: bench_timer
type: aggregate
short_description: Task timings for the collection's benchmark
description:
  - Records the start and end time of every task and counts loop items by outcome.
  - Writes them as JSON to the file named by the environment variable E(BENCH_TIMINGS_FILE).
requirements:
  - enable in configuration
"""


def _result_of(result):
    """The result dictionary, on ansible-core before and after 2.19."""
    value = getattr(result, "result", None)
    if isinstance(value, dict) or hasattr(value, "get"):
        return value
    return result._result


def _host_of(result):
    host = getattr(result, "host", None)
    if host is None:
        host = result._host
    return host.get_name()


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tasks = []
        self.current = None
        self.playbook_start = time.time()

    def _start_task(self, task):
        self.current = {
            "name": task.get_name(),
            "start": time.time(),
            "end": None,
            "hosts": {},
            "items": {"ok": 0, "changed": 0, "failed": 0, "skipped": 0},
            "attempts": 0,
            "module_retries": 0,
        }
        self.tasks.append(self.current)

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._start_task(task)

    def v2_playbook_on_handler_task_start(self, task):
        self._start_task(task)

    def _item(self, result, outcome):
        if self.current is None:
            return
        data = _result_of(result)
        counts = self.current["items"]
        counts[outcome] += 1
        if outcome == "ok" and data.get("changed"):
            counts["changed"] += 1
        self.current["attempts"] += int(data.get("attempts") or 1)
        if "retry_wait" in data:
            # Only this collection's modules return retry_wait; their "retries" counts HTTP retries.
            self.current["module_retries"] += int(data.get("retries") or 0)

    def v2_runner_item_on_ok(self, result):
        self._item(result, "ok")

    def v2_runner_item_on_failed(self, result):
        self._item(result, "failed")

    def v2_runner_item_on_skipped(self, result):
        self._item(result, "skipped")

    def _host_done(self, result, outcome):
        if self.current is None:
            return
        now = time.time()
        self.current["hosts"][_host_of(result)] = outcome
        self.current["end"] = now

    def v2_runner_on_ok(self, result):
        self._host_done(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._host_done(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._host_done(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._host_done(result, "unreachable")

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("BENCH_TIMINGS_FILE")
        if not path:
            return
        document = {"tasks": self.tasks, "playbook_start": self.playbook_start, "playbook_end": time.time()}
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(document, handle)

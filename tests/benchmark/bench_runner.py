# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs the benchmark's playbooks through tests/support (support.playbook and its task_results callback): a private
configuration and collections path, the connections of connection_plugins/ that count module processes, and the
timings of every task."""

from __future__ import annotations

import collections
import json
import os
import re
import resource
import time

from bench_common import API_KEY, API_SECRET, CLUSTER_ID, CONNECTION_PLUGINS, ENVIRONMENT_ID, PLAYBOOKS
from support.playbook import run_playbook

PLAYBOOK_TIMEOUT = 900


class Runner:
    """Runs the playbooks of tests/benchmark/playbooks with a private configuration and collections path."""

    def __init__(self, venv, work, sim):
        self.venv = venv
        self.work = work
        self.sim = sim
        self.python = os.path.join(venv, "bin", "python")
        self.logs = os.path.join(work, "logs")
        self.run_dir = os.path.join(work, "run")
        os.makedirs(self.logs, exist_ok=True)
        os.makedirs(self.run_dir, exist_ok=True)
        self.counter = 0
        self.api_key, self.api_secret = API_KEY, API_SECRET
        config = os.path.join(self.run_dir, "ansible.cfg")
        with open(config, "w", encoding="utf-8") as handle:
            handle.write("[defaults]\n")
        self.vars_file = os.path.join(self.run_dir, "vars.json")
        with open(self.vars_file, "w", encoding="utf-8") as handle:
            json.dump({"bench_endpoint": sim.url, "bench_api_key": API_KEY, "bench_api_secret": API_SECRET,
                       "bench_environment_id": ENVIRONMENT_ID, "bench_cluster_id": CLUSTER_ID}, handle)
        env = dict((name, value) for name, value in os.environ.items()
                   if not name.startswith(("ANSIBLE_", "CONFLUENT_CLOUD_")))
        env.update(
            ANSIBLE_CONFIG=config,
            ANSIBLE_COLLECTIONS_PATH=os.path.join(work, "collections"),
            ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
            ANSIBLE_CONNECTION_PLUGINS=CONNECTION_PLUGINS,
            ANSIBLE_LOCALHOST_WARNING="false",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
            ANSIBLE_NOCOLOR="true",
            ANSIBLE_FORCE_COLOR="false",
            ANSIBLE_RETRY_FILES_ENABLED="false",
        )
        self.env = env

    def inventory(self, shares, connection):
        """An inventory of local hosts, each with its share of connector names as bench_connectors (or its variables)."""
        hosts = dict(("bench-%02d" % (index + 1), share if isinstance(share, dict) else {"bench_connectors": share})
                     for index, share in enumerate(shares))
        document = {"bench": {"hosts": hosts, "vars": {"ansible_connection": connection,
                                                       "ansible_python_interpreter": self.python}}}
        path = os.path.join(self.run_dir, "inventory.yml")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(document, handle)
        return path

    def playbook(self, name, shares, label, flags=(), forks=5, connection="local", credentials_in_environment=False):
        """Run one playbook; return wall time, the callback's task timings, the outcome counts and, on a connection
        of connection_plugins/, the module processes it started (by module).

        With credentials_in_environment the API key and endpoint also go in CONFLUENT_CLOUD_*, as for a playbook
        that takes them from there, like the collection's own."""
        self.counter += 1
        inventory = self.inventory(shares, connection)
        results_file = os.path.join(self.run_dir, "task-results.json")
        processes_file = os.path.join(self.run_dir, "module-processes.txt")
        if os.path.exists(processes_file):
            os.unlink(processes_file)
        env = dict(self.env, BENCH_MODULE_PROCESSES=processes_file)
        if credentials_in_environment:
            env.update(CONFLUENT_CLOUD_API_KEY=self.api_key, CONFLUENT_CLOUD_API_SECRET=self.api_secret,
                       CONFLUENT_CLOUD_API_ENDPOINT=self.sim.url)
        cmd = [os.path.join(self.venv, "bin", "ansible-playbook"), "-i", inventory, "-e", "@" + self.vars_file,
               "--forks", str(forks)] + list(flags) + [playbook_path(name)]
        log_path = os.path.join(self.logs, "%03d-%s.log" % (self.counter, re.sub(r"[^a-z0-9+-]+", "-", label.lower())))
        cpu_before = children_cpu()
        start = time.perf_counter()
        run = run_playbook(cmd, env, results_file, cwd=self.run_dir, timeout=PLAYBOOK_TIMEOUT)
        wall = time.perf_counter() - start
        cpu = children_cpu() - cpu_before
        with open(log_path, "w", encoding="utf-8") as log:
            log.write(run.output())
        tasks = task_timings(run.tasks, run.records)
        task = tasks[-1] if tasks else None
        task_seconds = task["end"] - task["start"] if task and task["end"] else None
        processes = collections.Counter()
        if os.path.exists(processes_file):
            with open(processes_file, encoding="utf-8") as handle:
                processes.update(line.strip() for line in handle if line.strip())
        return {
            "label": label,
            "returncode": None if run.timed_out else run.returncode,
            "wall": wall,
            "cpu": cpu,
            "task_seconds": task_seconds,
            "items": task["items"] if task else {},
            "attempts": task["attempts"] if task else 0,
            "module_retries": task["module_retries"] if task else 0,
            "tasks": tasks,
            "failed_hosts": sorted(host for host, outcome in (task["hosts"] if task else {}).items() if outcome != "ok"),
            "module_processes": dict(processes),
            "log": os.path.relpath(log_path, self.work),
        }


def playbook_path(name):
    """A playbook of tests/benchmark/playbooks, an absolute path, or a collection's playbook by its FQCN."""
    if name.startswith("kafkaops.confluent_cloud."):
        return name
    return os.path.join(PLAYBOOKS, name)


def task_timings(tasks, records):
    """Each task of a run, from what the task_results callback wrote (tasks and records, None if nothing): {"name", "start", "end" (when its last host's
    result came; None without one), "hosts" ({host: ok, failed, skipped or unreachable}), "items" (its loop items by
    outcome: ok, of which changed, failed, skipped), "attempts" (of its items, until/retries included),
    "module_retries" (the HTTP retries that this collection's modules report in their items)}."""
    timings = [{"name": task["name"], "start": task["start"], "end": None, "hosts": {},
                "items": {"ok": 0, "changed": 0, "failed": 0, "skipped": 0}, "attempts": 0, "module_retries": 0}
               for task in tasks or []]
    for record in records or []:
        if record["task_index"] is None:
            continue
        task = timings[record["task_index"]]
        outcome = "ok" if record["status"] == "changed" else record["status"]
        if not record["item"]:
            task["hosts"][record["host"]] = outcome
            task["end"] = max(task["end"] or record["end"], record["end"])
            continue
        data = record["result"]
        task["items"][outcome] += 1
        if outcome == "ok" and record["changed"]:
            task["items"]["changed"] += 1
        task["attempts"] += int(data.get("attempts") or 1)
        if "retry_wait" in data:
            # Only this collection's modules return retry_wait; their "retries" counts HTTP retries.
            task["module_retries"] += int(data.get("retries") or 0)
    return timings


def children_cpu():
    """User + system CPU seconds of every finished child process and its descendants."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime

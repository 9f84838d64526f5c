# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scenario 2 of the benchmark: the start-up cost of each contender's module, one execution outside Ansible
(python -m MODULE ARGS_FILE), and what it imports (python -X importtime)."""

from __future__ import annotations

import collections
import json
import os
import re
import subprocess
import time

from bench_common import (API_KEY, API_SECRET, CLUSTER_ID, CONTENDERS, ENVIRONMENT_ID, MODULE_NAMES, OURS, URI,
                          rotate, say, seed_document)

IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)\s*$")


def parse_importtime(text):
    """(self microseconds, cumulative microseconds, depth, module name) for each line of -X importtime."""
    entries = []
    for line in text.splitlines():
        match = IMPORT_LINE.match(line)
        if match:
            entries.append((int(match.group(1)), int(match.group(2)), (len(match.group(3)) - 1) // 2, match.group(4)))
    return entries


def scenario_startup(runner, sim, runs, results, problems):
    """Scenario 2: one module execution outside Ansible (python -m MODULE ARGS_FILE), with and without importtime."""
    args_files = {}
    for contender in CONTENDERS:
        if contender == OURS:
            module_args = {"name": "bench-0000", "environment_id": ENVIRONMENT_ID, "kafka_cluster_id": CLUSTER_ID,
                           "state": "absent", "api_key": API_KEY, "api_secret": API_SECRET, "api_endpoint": sim.url}
        elif contender == URI:
            module_args = {"url": "%s/connect/v1/environments/%s/clusters/%s/connectors/bench-0000"
                                  % (sim.url, ENVIRONMENT_ID, CLUSTER_ID),
                           "method": "DELETE", "url_username": API_KEY, "url_password": API_SECRET,
                           "force_basic_auth": True, "status_code": [200, 404]}
        else:
            module_args = {}
        path = os.path.join(runner.run_dir, "module-args-%s.json" % contender)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"ANSIBLE_MODULE_ARGS": module_args}, handle)
        args_files[contender] = path
    env = dict(runner.env, PYTHONPATH=os.path.join(runner.work, "collections"))
    for rep in range(runs):
        for contender in rotate(CONTENDERS, rep):
            for importtime in (False, True):
                sim.seed(seed_document(["bench-0000"]))
                cmd = [runner.python] + (["-X", "importtime"] if importtime else []) + [
                    "-m", MODULE_NAMES[contender], args_files[contender]]
                start = time.perf_counter()
                result = subprocess.run(cmd, cwd=runner.run_dir, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, check=False)
                wall = time.perf_counter() - start
                try:
                    output = json.loads(result.stdout)
                except ValueError:
                    output = {"failed": True, "msg": result.stdout[-500:] + result.stderr[-500:]}
                if result.returncode != 0 or output.get("failed"):
                    problems.append("start-up %s: exit %d: %s" % (contender, result.returncode, output.get("msg")))
                record = results["startup"][contender]
                if importtime:
                    entries = parse_importtime(result.stderr)
                    record["import_total_ms"].append(sum(entry[0] for entry in entries) / 1000.0)
                    self_ms = collections.Counter()
                    for self_us, dummy, dummy2, name in entries:
                        self_ms[name] += self_us / 1000.0
                    record["imports"].append(dict(self_ms))
                else:
                    record["wall"].append(wall)
        say("    start-up run %d: %s" % (rep + 1, ", ".join(
            "%s %.0f ms" % (contender, results["startup"][contender]["wall"][-1] * 1000) for contender in CONTENDERS)))

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every part of the benchmark shares: paths, the contenders, cases and paths measured, the targets, the
simulator's seed, and small helpers (printing, rotating an order, median/min/max).

Importing it puts the repository's tests/ directory on sys.path, for the test-support package (``from support
import ...``).
"""

from __future__ import annotations

import collections
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PLAYBOOKS = os.path.join(HERE, "playbooks")
CONNECTION_PLUGINS = os.path.join(HERE, "connection_plugins")
DOCS = os.path.join(ROOT, "docs")
TESTS = os.path.dirname(HERE)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

API_KEY = "BENCHKEY"
API_SECRET = "bench-secret"
ENVIRONMENT_ID = "env-bench1"
CLUSTER_ID = "lkc-bench1"
OURS = "confluent_connector"
URI = "uri"
PING = "ping"
CONTENDERS = (OURS, URI, PING)
LABELS = {OURS: "kafkaops.confluent_cloud.confluent_connector", URI: "ansible.builtin.uri", PING: "ansible.builtin.ping"}
MODULE_NAMES = {
    OURS: "ansible_collections.kafkaops.confluent_cloud.plugins.modules.confluent_connector",
    URI: "ansible.modules.uri",
    PING: "ansible.modules.ping",
}
CASES = ("existing", "absent")
# The two ways a confluent_connector task runs, and the connection of tests/benchmark/connection_plugins that gives each.
PATHS = ("in-process", "module-process")
PATH_CONNECTIONS = {"in-process": "bench_local", "module-process": "bench_module_process"}
PATH_LABELS = {"in-process": "in-process (local connection)", "module-process": "module process"}
# How many module processes each contender's task starts on each path.
PATH_PROCESSES = {"in-process": {OURS: 0, URI: 1, PING: 1}, "module-process": {OURS: 1, URI: 1, PING: 1}}
RESULTS_FORMAT = 2
CASE_LABELS = {"existing": "connectors exist (DELETE 200)", "absent": "connectors absent (DELETE 404)"}
# Requests a confluent_connector task sends in normal mode: the DELETE, and when it answers 404 the GET of the
# connector's cluster, which tells a connector already gone from a mistyped environment or cluster ID.
OURS_REQUESTS = {"existing": 1, "absent": 2}
MODES = (("normal", []), ("check", ["--check"]), ("diff", ["--diff"]), ("check+diff", ["--check", "--diff"]))
MODE_TASKS = 10
SWEEP_RUNS = 3
CHUNK = 10
SCENARIOS = ("startup", "per-task", "teardown", "controllers", "sweep", "cascade", "topics")

TARGET_RATIO_URI = 0.90
TARGET_OVER_PING_MS = 30.0
TARGET_BOUND_FACTOR = 1.3
# After the first window of the rate-limited teardown, at most one answer of 429 for this many tasks: the forks share
# the API key's budget. Forks that paced themselves only on their own 429s would get far more.
THROTTLED_SHARE = 20


def say(text=""):
    print(text, flush=True)


def plural(count, word):
    return "%d %s%s" % (count, word, "" if count == 1 else "s")


def rotate(items, count):
    count %= len(items)
    return list(items[count:]) + list(items[:count])


def summary(values):
    """Median, min and max of a list of numbers (None for an empty list)."""
    values = [value for value in values if value is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def seed_document(connector_names, rate_limit=0, rate_window=1.0):
    connectors = [{"name": name, "type": "sink", "config": {"connector.class": "S3_SINK"}} for name in connector_names]
    return {
        "credentials": [{"api_key": API_KEY, "api_secret": API_SECRET}],
        "rate_limit": {"limit": rate_limit, "window": rate_window},
        "delete_delay": 0,
        "environments": [{"id": ENVIRONMENT_ID, "display_name": "bench",
                          "clusters": [{"id": CLUSTER_ID, "connectors": connectors}]}],
    }


def request_counts(log):
    """Requests of the simulator's log by method and by status."""
    methods = collections.Counter(entry["method"] for entry in log)
    statuses = collections.Counter(str(entry["status"]) for entry in log)
    return {"total": len(log), "methods": dict(methods), "statuses": dict(statuses)}


def connector_names(count, prefix="bench"):
    return ["%s-%04d" % (prefix, index) for index in range(count)]


def load_average():
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def mode_tasks(args):
    return min(MODE_TASKS, args.tasks)


def sweep_runs(args):
    """The sweep takes minutes under its rate limit: at most SWEEP_RUNS of them."""
    return min(SWEEP_RUNS, args.runs)

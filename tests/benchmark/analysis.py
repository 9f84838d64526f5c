# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Analysis of the benchmark's raw results (bench-results.json): medians, ratios and the targets' verdicts, for
report.py."""

from __future__ import annotations

import collections
import statistics
import sys

import scenarios_cascade as cascade
import scenarios_sweep as sweep
import scenarios_topics as topics
from bench_common import (CASE_LABELS, CASES, CONTENDERS, MODES, OURS, OURS_REQUESTS, PATH_PROCESSES, PATHS, PING,
                          TARGET_BOUND_FACTOR, TARGET_OVER_PING_MS, TARGET_RATIO_URI, THROTTLED_SHARE, URI, mode_tasks,
                          summary)
from scenarios_controllers import BOUND_FACTOR, MAX_429_SHARE
from scenarios_teardown import throttled_allowed

REQUESTS_STACK = ("requests", "urllib3", "charset_normalizer", "chardet", "idna", "certifi")


def path_measured(results, path, tasks):
    """Whether every run of the path was measured on that path: each contender started the module processes the
    path gives (connection_plugins/ counted them), in every case. A path that was not measured claims no target."""
    runs = [run for case in CASES for contender in CONTENDERS for run in results["per_task"][path][case][contender]]
    return bool(runs) and all(
        run.get("module_processes") == PATH_PROCESSES[path][contender] * tasks
        for case in CASES for contender in CONTENDERS for run in results["per_task"][path][case][contender])


def analyse(results, args):
    """Medians, ratios and target verdicts from the raw runs."""
    tasks = args.tasks
    analysis = {"per_task": {}, "measured_paths": [], "teardown": {}, "modes": {}, "startup": {}, "targets": []}
    for path in PATHS:
        if not path_measured(results, path, tasks):
            continue
        analysis["measured_paths"].append(path)
        analysis["per_task"][path] = {}
        for case in CASES:
            analysis["per_task"][path][case] = row = {}
            runs = results["per_task"][path][case]
            for contender in CONTENDERS:
                row[contender] = {
                    "per_task": summary([run["task_seconds"] / tasks for run in runs[contender] if run["task_seconds"]]),
                    "requests_per_task": summary([run["requests"]["total"] / tasks for run in runs[contender]]),
                }
            ratios = [ours_run["task_seconds"] / uri_run["task_seconds"]
                      for ours_run, uri_run in zip(runs[OURS], runs[URI])]
            gaps = [(ours_run["task_seconds"] - ping_run["task_seconds"]) * 1000 / tasks
                    for ours_run, ping_run in zip(runs[OURS], runs[PING])]
            # Paired within each run (the contenders took turns in the same playbook), then the median over the runs:
            # a burst of load that slows one run moves all three of its numbers and cancels out.
            row["ratio_uri_runs"] = summary(ratios)
            row["over_ping_ms_runs"] = summary(gaps)
            row["ratio_uri"] = row["ratio_uri_runs"]["median"]
            row["over_ping_ms"] = row["over_ping_ms_runs"]["median"]
            analysis["targets"].append({
                "target": "%s, %s: confluent_connector per task <= %.2f x uri" % (path, case, TARGET_RATIO_URI),
                "measured": "%.2f x" % row["ratio_uri"], "holds": row["ratio_uri"] <= TARGET_RATIO_URI})
            analysis["targets"].append({
                "target": "%s, %s: confluent_connector - ping <= %.0f ms per task" % (path, case, TARGET_OVER_PING_MS),
                "measured": "%.1f ms" % row["over_ping_ms"], "holds": row["over_ping_ms"] <= TARGET_OVER_PING_MS})

    rate = args.rate_limit / args.rate_window
    n_over_r = args.teardown_connectors / rate
    for contender in (OURS, URI):
        limited = results["teardown"]["limited"][contender]
        unlimited = results["teardown"]["unlimited"][contender]
        unlimited_wall = summary([run["wall"] for run in unlimited])
        bound = max(n_over_r, unlimited_wall["median"] if unlimited_wall else 0.0)
        entry = {"n_over_r": n_over_r, "bound": bound}
        for kind, runs in (("limited", limited), ("unlimited", unlimited)):
            entry[kind] = {
                "wall": summary([run["wall"] for run in runs]),
                "http_429": summary([run["http_429"] for run in runs]),
                "http_429_later": summary([run["http_429_later"] for run in runs]),
                "failed_tasks": summary([run["failed_tasks"] for run in runs]),
                "connectors_left": summary([run["connectors_left"] for run in runs]),
                "requests": summary([run["requests"]["total"] for run in runs]),
            }
        entry["ratio"] = entry["limited"]["wall"]["median"] / bound
        analysis["teardown"][contender] = entry
    ours = analysis["teardown"][OURS]
    n_connectors = args.teardown_connectors
    analysis["targets"].extend([
        {"target": "rate-limited teardown: 0 failed tasks (every run)",
         "measured": "%d max" % ours["limited"]["failed_tasks"]["max"], "holds": ours["limited"]["failed_tasks"]["max"] == 0},
        {"target": "rate-limited teardown: 0 connectors left (every run)",
         "measured": "%d max" % ours["limited"]["connectors_left"]["max"],
         "holds": ours["limited"]["connectors_left"]["max"] == 0},
        {"target": "rate-limited teardown: wall <= %.1f x max(N/R, unlimited wall)" % TARGET_BOUND_FACTOR,
         "measured": "%.2f x (%.1f s / %.1f s)" % (ours["ratio"], ours["limited"]["wall"]["median"], ours["bound"]),
         "holds": ours["ratio"] <= TARGET_BOUND_FACTOR},
        {"target": "rate-limited teardown: at most N/%d (rounded up) = %d answers of 429 after the first window "
                   "(every run)"
                   % (THROTTLED_SHARE, throttled_allowed(n_connectors)),
         "measured": "%d max" % ours["limited"]["http_429_later"]["max"],
         "holds": ours["limited"]["http_429_later"]["max"] <= throttled_allowed(n_connectors)},
    ])

    analysis["sweep"], targets = analyse_sweep(results, args.smoke, TARGET_BOUND_FACTOR)
    analysis["targets"].extend(targets)
    analysis["cascade"], targets = analyse_cascade(results, args.smoke, TARGET_BOUND_FACTOR)
    analysis["targets"].extend(targets)
    analysis["topics"], targets = analyse_topics(results, tasks)
    analysis["targets"].extend(targets)

    for case in CASES:
        analysis["modes"][case] = {}
        normal = [run for path in PATHS for run in results["per_task"][path][case][OURS]]
        analysis["modes"][case]["normal"] = mode_summary(normal, tasks)
        for mode, dummy in MODES[1:]:
            analysis["modes"][case][mode] = mode_summary(results["modes"][case][mode], mode_tasks(args))
    for case in CASES:
        normal = analysis["modes"][case]["normal"]["per_task"]
        analysis["targets"].append({
            "target": "exactly %d request%s per task in normal mode, %s" % (
                OURS_REQUESTS[case], "" if OURS_REQUESTS[case] == 1 else "s", CASE_LABELS[case]),
            "measured": "%g to %g" % (normal["min"], normal["max"]),
            "holds": normal["min"] == normal["max"] == OURS_REQUESTS[case]})

    floor = set(name for sample in results["startup"][PING]["imports"] for name in sample)
    for contender in CONTENDERS:
        record = results["startup"][contender]
        modules = set(name for sample in record["imports"] for name in sample)
        extra = sorted(modules - floor)
        categories = collections.defaultdict(list)
        packages = collections.defaultdict(list)
        for sample in record["imports"]:
            by_category = collections.Counter()
            by_package = collections.Counter()
            for name in extra:
                by_category[import_category(name)] += sample.get(name, 0.0)
                by_package[name.split(".")[0] if not name.startswith("ansible") else ".".join(name.split(".")[:3])] += \
                    sample.get(name, 0.0)
            for name, value in by_category.items():
                categories[name].append(value)
            for name, value in by_package.items():
                packages[name].append(value)
        marginal = summary([sum(sample.get(name, 0.0) for name in extra) for sample in record["imports"]])
        analysis["startup"][contender] = {
            "wall": summary(record["wall"]),
            "import_total_ms": summary(record["import_total_ms"]),
            "module_count": len(modules),
            "extra_modules": len(extra),
            "extra_import_ms": marginal,
            "extra_by_category": dict((name, statistics.median(values)) for name, values in categories.items()),
            "extra_top_packages": sorted(((name, statistics.median(values)) for name, values in packages.items()),
                                         key=lambda item: -item[1])[:6],
        }
    analyse_controllers(results, args, analysis)
    return analysis


def mode_summary(runs, tasks):
    methods = collections.Counter()
    for run in runs:
        methods.update(run["requests"]["methods"])
    return {
        "per_task": summary([run["requests"]["total"] / tasks for run in runs]),
        "methods": dict((method, count / float(tasks * len(runs))) for method, count in sorted(methods.items())),
    }


def import_category(name):
    """Which kind of code a module imported on the start-up path belongs to."""
    top = name.split(".")[0]
    if top in REQUESTS_STACK:
        return "requests and its dependencies"
    if top == "ansible_collections":
        return "this collection's code"
    if top == "ansible":
        return "ansible.module_utils"
    if top in getattr(sys, "stdlib_module_names", ()) or top.startswith("_"):
        return "standard library"
    return "other packages"


def analyse_controllers(results, args, analysis):
    """Scenario 5: one row per limit and case; the targets, over every run of every row."""
    runs = (results.get("controllers") or {}).get("runs") or []
    rows = []
    for limit in args.controllers_limits:
        for controllers, forks in args.controllers_cases:
            mine = [run for run in runs if (run["limit"], run["controllers"], run["forks"]) == (limit, controllers,
                                                                                                forks)]
            limited = [run for run in mine if run["limited"]]
            unlimited = [run for run in mine if not run["limited"]]
            if not limited:
                continue
            count = limited[0]["connectors"]
            n_over_r = count / float(limit)
            unlimited_wall = summary([run["wall"] for run in unlimited])
            bound = max(n_over_r, unlimited_wall["median"] if unlimited_wall else 0.0)
            rows.append({
                "limit": limit, "controllers": controllers, "forks": forks, "connectors": count,
                "n_over_r": n_over_r, "bound": bound, "unlimited_wall": unlimited_wall,
                "wall": summary([run["wall"] for run in limited]),
                "ratio": summary([run["wall"] / bound for run in limited]),
                "http_429": summary([run["http_429"] for run in limited]),
                "share_429": summary([run["http_429"] / float(count) for run in limited]),
                "requests": summary([run["requests"] for run in limited]),
                "failed_tasks": summary([run["failed_tasks"] for run in limited]),
                "connectors_left": summary([run["connectors_left"] for run in limited]),
                "state_files": summary([run["state_files"] for run in limited]),
            })
    analysis["controllers"] = rows
    if not rows:
        return
    worst_ratio = max(rows, key=lambda row: row["ratio"]["max"])
    worst_429 = max(rows, key=lambda row: row["share_429"]["max"])
    analysis["targets"].extend([
        {"target": "controllers sharing no disk: 0 failed tasks (every run, every K x F and limit)",
         "measured": "%d max" % max(row["failed_tasks"]["max"] for row in rows),
         "holds": all(row["failed_tasks"]["max"] == 0 for row in rows)},
        {"target": "controllers sharing no disk: 0 connectors left (every run)",
         "measured": "%d max" % max(row["connectors_left"]["max"] for row in rows),
         "holds": all(row["connectors_left"]["max"] == 0 for row in rows)},
        {"target": "controllers sharing no disk: wall <= %.1f x max(N/R, unlimited wall) (every run)" % BOUND_FACTOR,
         "measured": "%.2f x max (%s)" % (worst_ratio["ratio"]["max"], controllers_where(worst_ratio)),
         "holds": all(row["ratio"]["max"] <= BOUND_FACTOR for row in rows)},
        {"target": "controllers sharing no disk: at most N/4 answers of 429 (every run)",
         "measured": "%.2f x N max (%s)" % (worst_429["share_429"]["max"], controllers_where(worst_429)),
         "holds": all(row["share_429"]["max"] <= MAX_429_SHARE for row in rows)},
    ])


def controllers_where(row):
    return "%d x %d at %d/s" % (row["controllers"], row["forks"], row["limit"])


def analyse_bounded(record, rate, factor, what, left):
    """A scenario run with no rate limit (which gives N, the requests it sends, and its wall time) and under rate
    requests/s: its figures and its targets, wall <= factor x max(N/R, unlimited wall) and 0 failed, nothing left."""
    limited, unlimited = record["limited"], record["unlimited"]
    requests = summary([run["requests"] for run in unlimited])
    unlimited_wall = summary([run["wall"] for run in unlimited])
    n_over_r = requests["median"] / rate
    bound = max(n_over_r, unlimited_wall["median"])
    entry = {
        "rate": rate, "n": requests, "n_over_r": n_over_r, "bound": bound,
        "unlimited": {"wall": unlimited_wall},
        "limited": dict((name, summary([run[name] for run in limited]))
                        for name in ("wall", "requests", "http_429", "failed", "left", "deleted")),
    }
    entry["ratio"] = entry["limited"]["wall"]["median"] / bound
    targets = [
        {"target": "%s under %d requests/s: wall <= %.1f x max(N/R, unlimited wall)" % (what, rate, factor),
         "measured": "%.2f x (%.1f s / %.1f s)" % (entry["ratio"], entry["limited"]["wall"]["median"], bound),
         "holds": entry["ratio"] <= factor},
        {"target": "%s under %d requests/s: 0 failed, %s (every run)" % (what, rate, left),
         "measured": "%d failed, %d left (max)" % (entry["limited"]["failed"]["max"], entry["limited"]["left"]["max"]),
         "holds": entry["limited"]["failed"]["max"] == 0 and entry["limited"]["left"]["max"] == 0},
    ]
    return entry, targets


def analyse_sweep(results, smoke, factor):
    """Scenario 6: the sweep's figures and its targets."""
    entry, targets = analyse_bounded(results["sweep"], sweep.RATE, factor, "sweep", "0 left")
    entry["size"] = sweep.size(smoke)
    return entry, targets


def analyse_topics(results, tasks):
    """Scenario 8: seconds and requests per topic DELETE of each contender on each path, and the ratio to uri, paired
    within each run; (None, []) for results measured before it existed."""
    if not results.get("topics"):
        return None, []
    entry, targets = {}, []
    for path in PATHS:
        runs = results["topics"][path]
        if not runs[topics.OURS]:
            continue
        entry[path] = dict((contender, {
            "per_task": summary([run["task_seconds"] / tasks for run in runs[contender] if run["task_seconds"]]),
            "requests_per_task": summary([run["requests"] / tasks for run in runs[contender]]),
        }) for contender in topics.CONTENDERS)
        entry[path]["ratio_uri"] = summary([ours["task_seconds"] / uri["task_seconds"]
                                            for ours, uri in zip(runs[topics.OURS], runs[URI])
                                            if ours["task_seconds"] and uri["task_seconds"]])
        ratio = entry[path]["ratio_uri"]["median"]
        targets.append({"target": "%s: confluent_kafka_topic per topic DELETE <= %.2f x uri" % (path, TARGET_RATIO_URI),
                        "measured": "%.2f x" % ratio, "holds": ratio <= TARGET_RATIO_URI})
    return entry, targets


def analyse_cascade(results, smoke, factor):
    """Scenario 7: the cascade's figures and its targets; (None, []) for results measured before it existed."""
    if not results.get("cascade"):
        return None, []
    entry, targets = analyse_bounded(results["cascade"], cascade.RATE, factor, "cascade of a Kafka cluster",
                                     "nothing left")
    entry["size"] = cascade.size(smoke)
    return entry, targets

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scenario 5 of ``make bench``: controllers that share an API key but no disk (tests/benchmark/bench.py runs it).

K controllers, each an ``ansible-playbook`` of its own with its own TMPDIR and HOME (as AWX runs job slices on
several execution nodes, or jobs in their own containers), F forks and F ``connection: local`` hosts each, tear
down N connectors together with one API key against one simulator limited to R requests per second; then the same
with no limit. Each controller's hosts get every (K x F)th connector. The rate-limit state file of a controller lives
in its TMPDIR, so the controllers cannot see each other's budget.

Targets, every run: 0 failed tasks, 0 connectors left, wall <= 1.3 x max(N/R, the same run's median wall with no
limit), at most N/4 answers of 429.

bench.py calls: add_arguments and check_arguments (command line), run (measure), analyse (figures and targets),
markdown (the report's section), chart (its picture).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time

CASES = ((1, 6), (2, 3), (3, 3), (4, 5))
LIMITS = (2, 5)
SMOKE_CASES = ((1, 2), (2, 2))
SMOKE_LIMITS = (5,)
# N: at least MIN_CONNECTORS, and at least SECONDS of the key's whole rate, so that taking turns has time to pay off.
MIN_CONNECTORS = 200
SECONDS = 80
SMOKE_CONNECTORS = 20
BOUND_FACTOR = 1.3
MAX_429_SHARE = 0.25
TIMEOUT = 1800
SIZE_ARGS = ("controllers_runs", "controllers_cases", "controllers_limits", "controllers_connectors")
CHART = "performance-controllers.png"


def add_arguments(parser):
    parser.add_argument("--controllers-runs", type=int,
                        help="repetitions of scenario 5, controllers sharing no disk (default 3; smoke 1)")
    parser.add_argument("--controllers-cases",
                        help="controllers x forks of scenario 5, comma-separated (default %s; smoke %s)"
                        % (",".join("%dx%d" % case for case in CASES), ",".join("%dx%d" % c for c in SMOKE_CASES)))
    parser.add_argument("--controllers-limits",
                        help="requests per second of scenario 5, comma-separated (default %s; smoke %s)"
                        % (",".join(str(limit) for limit in LIMITS), ",".join(str(limit) for limit in SMOKE_LIMITS)))
    parser.add_argument("--controllers-connectors", type=int,
                        help="connectors of scenario 5 (default: %d, or %d s of the limit if more; smoke %d)"
                        % (MIN_CONNECTORS, SECONDS, SMOKE_CONNECTORS))


def check_arguments(parser, args):
    """Fill in the defaults and refuse what cannot run; returns nothing, errors through the parser."""
    if args.controllers_runs is None:
        args.controllers_runs = 1 if args.smoke else 3
    try:
        cases = args.controllers_cases or ",".join("%dx%d" % case for case in (SMOKE_CASES if args.smoke else CASES))
        args.controllers_cases = [[int(part) for part in case.lower().split("x")] for case in cases.split(",")]
        limits = args.controllers_limits or ",".join(str(limit) for limit in (SMOKE_LIMITS if args.smoke else LIMITS))
        args.controllers_limits = [int(limit) for limit in limits.split(",")]
    except ValueError:
        parser.error("--controllers-cases takes KxF,KxF,... and --controllers-limits N,N,... (whole numbers)")
    if any(len(case) != 2 or min(case) < 1 for case in args.controllers_cases) or min(args.controllers_limits) < 1:
        parser.error("--controllers-cases and --controllers-limits take numbers of at least 1")
    if args.controllers_runs < 1 or (args.controllers_connectors is not None and args.controllers_connectors < 1):
        parser.error("--controllers-runs and --controllers-connectors must be at least 1")


def command_words(args):
    """The options that reproduce this run, when they are not the defaults."""
    words = []
    if args.controllers_runs != (1 if args.smoke else 3):
        words.append("--controllers-runs %d" % args.controllers_runs)
    if [tuple(case) for case in args.controllers_cases] != list(SMOKE_CASES if args.smoke else CASES):
        words.append("--controllers-cases %s" % ",".join("%dx%d" % tuple(case) for case in args.controllers_cases))
    if tuple(args.controllers_limits) != (SMOKE_LIMITS if args.smoke else LIMITS):
        words.append("--controllers-limits %s" % ",".join(str(limit) for limit in args.controllers_limits))
    if args.controllers_connectors is not None:
        words.append("--controllers-connectors %d" % args.controllers_connectors)
    return words


def connectors_for(args, limit):
    if args.controllers_connectors:
        return args.controllers_connectors
    if args.smoke:
        return SMOKE_CONNECTORS
    return max(MIN_CONNECTORS, SECONDS * limit)


# --------------------------------------------------------------------------- measuring

def run(bench, runner, sim, args, results, problems):
    """Every case and limit, limited and unlimited, args.controllers_runs times, in an order that rotates."""
    record = results.setdefault("controllers", {"runs": [], "load_start": bench.load_average()})
    plan = [(limit, tuple(case), limited) for limit in args.controllers_limits for case in args.controllers_cases
            for limited in (True, False)]
    for rep in range(args.controllers_runs):
        bench.say("==> 5. controllers sharing one key but no disk, run %d of %d" % (rep + 1, args.controllers_runs))
        for limit, (controllers, forks), limited in bench.rotate(plan, rep):
            count = connectors_for(args, limit)
            names = bench.connector_names(count, "ctl")
            sim.seed(bench.seed_document(names, limit if limited else 0, 1.0))
            label = "controllers %dx%d %s %d run %d" % (controllers, forks, "limit" if limited else "no limit",
                                                        limit, rep + 1)
            outcome = run_controllers(bench, runner, names, controllers, forks, label)
            log = sim.log()
            outcome.update(limit=limit, controllers=controllers, forks=forks, limited=limited, connectors=count,
                           rep=rep, requests=len(log), http_429=sum(1 for entry in log if entry["status"] == 429),
                           connectors_left=sim.connectors_left(), load=bench.load_average())
            record["runs"].append(outcome)
            bench.say("    %-40s %6.1f s  429s=%-4d failed=%-3d left=%d" % (
                label, outcome["wall"], outcome["http_429"], outcome["failed_tasks"], outcome["connectors_left"]))
            if any(code not in (0, 2) for code in outcome["returncodes"]):
                problems.append("%s: ansible-playbook exited %s (see %s)"
                                % (label, outcome["returncodes"], ", ".join(outcome["logs"])))


def run_controllers(bench, runner, names, controllers, forks, label):
    """Start the controllers together, each with its own TMPDIR, HOME, inventory and timings; wait for them all."""
    slug = label.replace(" ", "-")
    base = os.path.join(runner.work, "controllers", slug)
    shutil.rmtree(base, ignore_errors=True)
    hosts = controllers * forks
    processes = []
    started = time.perf_counter()
    for controller in range(controllers):
        home = os.path.join(base, "controller-%d" % controller)
        os.makedirs(os.path.join(home, "tmp"))
        inventory = os.path.join(home, "inventory.json")
        shares = dict(("bench-%d-%02d" % (controller, fork + 1),
                       {"bench_connectors": names[controller * forks + fork::hosts]}) for fork in range(forks))
        with open(inventory, "w", encoding="utf-8") as handle:
            json.dump({"bench": {"hosts": shares, "vars": {"ansible_connection": "local",
                                                           "ansible_python_interpreter": runner.python}}}, handle)
        env = dict(runner.env, TMPDIR=os.path.join(home, "tmp"), HOME=home,
                   BENCH_TIMINGS_FILE=os.path.join(home, "timings.json"))
        cmd = [os.path.join(runner.venv, "bin", "ansible-playbook"), "-i", inventory, "-e", "@" + runner.vars_file,
               "--forks", str(forks), os.path.join(bench.PLAYBOOKS, "teardown_confluent_connector.yml")]
        log = open(os.path.join(home, "ansible-playbook.log"), "w", encoding="utf-8")  # pylint: disable=consider-using-with
        processes.append((subprocess.Popen(cmd, cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT,  # pylint: disable=consider-using-with
                                           start_new_session=True), log, home))
    returncodes = []
    try:
        for process, log, home in processes:
            remaining = max(1.0, TIMEOUT - (time.perf_counter() - started))
            try:
                returncodes.append(process.wait(timeout=remaining))
            except subprocess.TimeoutExpired:
                returncodes.append(None)
    finally:
        for process, log, home in processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except OSError:
                pass
            process.wait()
            log.close()
    wall = time.perf_counter() - started
    failed, finished, state_files = 0, 0, 0
    for dummy, dummy2, home in processes:
        timings = {"tasks": []}
        path = os.path.join(home, "timings.json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                timings = json.load(handle)
        items = timings["tasks"][-1]["items"] if timings["tasks"] else {}
        failed += items.get("failed", 0)
        finished += items.get("ok", 0) + items.get("failed", 0) + items.get("skipped", 0)
        state_files += len([name for name in os.listdir(os.path.join(home, "tmp"))
                            if name.startswith("kafkaops-confluent-cloud-rate-")])
    return {"wall": wall, "returncodes": returncodes, "failed_tasks": failed + max(0, len(names) - finished),
            "state_files": state_files,
            "logs": [os.path.relpath(os.path.join(home, "ansible-playbook.log"), runner.work)
                     for dummy, dummy2, home in processes]}


# --------------------------------------------------------------------------- analysis and report

def analyse(bench, results, args, analysis):
    """One row per limit and case; the targets, over every run of every row."""
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
            unlimited_wall = bench.summary([run["wall"] for run in unlimited])
            bound = max(n_over_r, unlimited_wall["median"] if unlimited_wall else 0.0)
            rows.append({
                "limit": limit, "controllers": controllers, "forks": forks, "connectors": count,
                "n_over_r": n_over_r, "bound": bound, "unlimited_wall": unlimited_wall,
                "wall": bench.summary([run["wall"] for run in limited]),
                "ratio": bench.summary([run["wall"] / bound for run in limited]),
                "http_429": bench.summary([run["http_429"] for run in limited]),
                "share_429": bench.summary([run["http_429"] / float(count) for run in limited]),
                "requests": bench.summary([run["requests"] for run in limited]),
                "failed_tasks": bench.summary([run["failed_tasks"] for run in limited]),
                "connectors_left": bench.summary([run["connectors_left"] for run in limited]),
                "state_files": bench.summary([run["state_files"] for run in limited]),
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
         "measured": "%.2f x max (%s)" % (worst_ratio["ratio"]["max"], where(worst_ratio)),
         "holds": all(row["ratio"]["max"] <= BOUND_FACTOR for row in rows)},
        {"target": "controllers sharing no disk: at most N/4 answers of 429 (every run)",
         "measured": "%.2f x N max (%s)" % (worst_429["share_429"]["max"], where(worst_429)),
         "holds": all(row["share_429"]["max"] <= MAX_429_SHARE for row in rows)},
    ])


def where(row):
    return "%d x %d at %d/s" % (row["controllers"], row["forks"], row["limit"])


def markdown(bench, results, analysis, args):
    rows = analysis.get("controllers") or []
    if not rows:
        return []
    record = results.get("controllers") or {}
    loads = [run["load"][0] for run in record.get("runs", []) if run.get("load")]
    lines = [
        "",
        "## 5. Controllers that share an API key but no disk",
        "",
        "K controllers, each an `ansible-playbook` of its own with its own `TMPDIR` and `HOME` (as AWX runs job slices",
        "on several execution nodes, or jobs in their own containers), F forks and F `connection: local` hosts each,",
        "delete N connectors together with one API key against one simulator limited to R requests per 1 s window;",
        "host i of the K x F deletes every (K x F)th connector. Each controller's rate-limit state file is in its own",
        "`TMPDIR`, so they cannot see each other's budget and pace themselves from the 429s they get",
        "(`plugins/module_utils/_rate_limit.py`). `confluent_connector` runs with its defaults. Wall time is from the",
        "start of the first `ansible-playbook` to the end of the last; bound = max(N/R, the same run's median wall with",
        "no limit). %s, median (min to max); N is %d, or %d s of the limit if that is more."
        % (bench.plural(args.controllers_runs, "run"), MIN_CONNECTORS, SECONDS),
        "",
        "Load average (1, 5, 15 min) at the start of the scenario: %s; 1 min at the end of its runs: %s." % (
            ", ".join(str(value) for value in record.get("load_start") or []) or "n/a",
            "%.2f to %.2f" % (min(loads), max(loads)) if loads else "n/a"),
        "",
        "| R | K x F | N | N/R (s) | wall, no limit (s) | bound (s) | wall, limited (s) | limited / bound | "
        "HTTP 429 answers | 429 / N | requests | failed tasks | connectors left |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        lines.append("| %d/s | %d x %d | %d | %.0f | %s | %.1f | %s | %s | %s | %s | %s | %s | %s |" % (
            row["limit"], row["controllers"], row["forks"], row["connectors"], row["n_over_r"],
            bench.fmt_summary(row["unlimited_wall"], 1, 1), row["bound"], bench.fmt_summary(row["wall"], 1, 1),
            bench.fmt_summary(row["ratio"], 1, 2), bench.fmt_int_summary(row["http_429"]),
            bench.fmt_summary(row["share_429"], 1, 2), bench.fmt_int_summary(row["requests"]),
            bench.fmt_int_summary(row["failed_tasks"]), bench.fmt_int_summary(row["connectors_left"])))
    lines += [
        "",
        "Why so few 429s: against a limit of fixed windows, controllers that cannot see each other end up taking",
        "turns. A 429 cuts a controller's pace to a quarter of what it was sending, never below 5% of the limit; one",
        "controller keeps the key's whole rate while the others look in at that floor, and when it is done, the first",
        "of them to find a window untouched takes over at once. See the rate limits guide.",
        "",
        "![Controllers sharing one key: wall time against the bound, and answers of 429](%s)" % CHART,
    ]
    return lines


def chart(analysis, out_dir):
    rows = analysis.get("controllers") or []
    if not rows:
        return
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    limits = sorted(set(row["limit"] for row in rows))
    cases = []
    for row in rows:
        if (row["controllers"], row["forks"]) not in cases:
            cases.append((row["controllers"], row["forks"]))
    colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"]
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    width = 0.8 / max(1, len(limits))
    for offset, limit in enumerate(limits):
        for axis, key, scale in ((left, "ratio", 1.0), (right, "share_429", 1.0)):
            medians, low, high, positions = [], [], [], []
            for index, case in enumerate(cases):
                row = next((r for r in rows if r["limit"] == limit and (r["controllers"], r["forks"]) == case), None)
                if row is None:
                    continue
                value = row[key]
                medians.append(value["median"] * scale)
                low.append((value["median"] - value["min"]) * scale)
                high.append((value["max"] - value["median"]) * scale)
                positions.append(index + (offset - (len(limits) - 1) / 2.0) * width)
            axis.bar(positions, medians, width, yerr=[low, high], capsize=3, color=colors[offset % len(colors)],
                     label="R = %d/s" % limit)
    for axis in (left, right):
        axis.set_xticks(range(len(cases)))
        axis.set_xticklabels(["%d x %d" % case for case in cases])
        axis.set_xlabel("controllers x forks (each controller its own TMPDIR and HOME)")
    left.axhline(1.0, color="black", linestyle="--", linewidth=1, label="bound = max(N/R, no-limit wall)")
    left.axhline(BOUND_FACTOR, color="red", linestyle=":", linewidth=1, label="target %.1f x bound" % BOUND_FACTOR)
    left.set_ylabel("wall time / bound (median, min-max)")
    left.set_title("Teardown wall time, one key, no shared disk")
    left.set_ylim(0, max(left.get_ylim()[1], BOUND_FACTOR) * 1.25)
    right.axhline(MAX_429_SHARE, color="red", linestyle=":", linewidth=1, label="target N/4")
    right.set_ylabel("answers of 429 / N (median, min-max)")
    right.set_title("Answers of 429 per connector deleted")
    right.set_ylim(0, max(right.get_ylim()[1], MAX_429_SHARE) * 1.25)
    for axis in (left, right):
        axis.legend(fontsize=8, loc="upper right")
    figure.tight_layout()
    figure.savefig(os.path.join(out_dir, CHART), dpi=100)
    plt.close(figure)

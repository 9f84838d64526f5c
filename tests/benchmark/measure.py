# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The measurement: the collection built and installed, one simulator, every scenario in turn, the raw results in
bench-results.json, then the report (report.py)."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import tempfile
import time

import scenarios_cascade as cascade
import scenarios_controllers as controllers
import scenarios_sweep as sweep
import scenarios_topics as topics
from bench_common import (CASES, CONTENDERS, DOCS, MODES, OURS, PATHS, RESULTS_FORMAT, ROOT, SCENARIOS, URI,
                          load_average, mode_tasks, plural, say, sweep_runs)
from bench_runner import Runner
from bench_setup import Simulator, build_and_install, machine_description
from report import check_provenance, report
from scenarios_per_task import scenario_modes, scenario_per_task
from scenarios_startup import scenario_startup
from scenarios_teardown import scenario_teardown

SIZE_ARGS = ("runs", "tasks", "teardown_connectors", "teardown_hosts", "rate_limit", "rate_window",
             "smoke") + controllers.SIZE_ARGS


def command_args(args):
    """The command line that reproduces this run, without paths."""
    words = ["--smoke"] if args.smoke else []
    words += [
        "--runs %d" % args.runs, "--tasks %d" % args.tasks, "--teardown-connectors %d" % args.teardown_connectors,
        "--teardown-hosts %d" % args.teardown_hosts, "--rate-limit %d" % args.rate_limit,
        "--rate-window %g" % args.rate_window,
    ] + controllers.command_words(args)
    return " ".join(words)


def run(args):
    """Measure every scenario of args.scenarios; write bench-results.json and, for all of them, the report."""
    venv = os.path.abspath(args.venv)
    source = os.path.abspath(args.source)
    temp_root = tempfile.mkdtemp(prefix="kafkaops-bench-") if args.smoke else None
    out_dir = os.path.abspath(args.out_dir or (temp_root if args.smoke else DOCS))
    work = os.path.abspath(args.work_dir or (os.path.join(temp_root, "work") if args.smoke else
                                             os.path.join(ROOT, "build", "bench")))
    os.makedirs(work, exist_ok=True)
    os.makedirs(out_dir, exist_ok=True)
    say("==> building the collection from %s" % ("the working tree" if source == ROOT else source))
    tarball = build_and_install(venv, source, work)
    python = os.path.join(venv, "bin", "python")
    results = {
        "meta": {
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine_description(python),
            "load_start": load_average(),
            "tarball": tarball,
            "command_args": command_args(args),
            "smoke": args.smoke,
            "args": dict((name, getattr(args, name)) for name in SIZE_ARGS),
        },
        "format": RESULTS_FORMAT,
        "per_task": dict((path, dict((case, dict((c, []) for c in CONTENDERS)) for case in CASES)) for path in PATHS),
        "modes": dict((case, dict((mode, []) for mode, dummy in MODES[1:])) for case in CASES),
        "teardown": dict((kind, dict((c, []) for c in (OURS, URI))) for kind in ("limited", "unlimited")),
        "startup": dict((c, {"wall": [], "import_total_ms": [], "imports": []}) for c in CONTENDERS),
        "sweep": {"limited": [], "unlimited": []},
        "cascade": {"limited": [], "unlimited": []},
        "topics": dict((path, dict((contender, []) for contender in topics.CONTENDERS)) for path in PATHS),
    }
    problems = []
    sim = Simulator(python, work)
    started = time.monotonic()
    try:
        runner = Runner(venv, work, sim)
        if "startup" in args.scenarios:
            say("==> 2. start-up cost of the module (%s)" % plural(args.runs, "run"))
            scenario_startup(runner, sim, args.runs, results, problems)
        for rep in range(args.runs):
            if "per-task" in args.scenarios:
                say("==> 1 and 4. per-task cost and requests per task, run %d of %d" % (rep + 1, args.runs))
                scenario_per_task(runner, sim, args.tasks, rep, results, problems)
                scenario_modes(runner, sim, mode_tasks(args), rep, results, problems)
        for rep in range(args.runs):
            if "teardown" in args.scenarios:
                say("==> 3. rate-limited teardown, run %d of %d" % (rep + 1, args.runs))
                scenario_teardown(runner, sim, args, rep, results, problems)
        if "controllers" in args.scenarios:
            controllers.run(runner, sim, args, results, problems)
        for rep in range(sweep_runs(args)):
            if "sweep" in args.scenarios:
                say("==> 6. sweep of ephemeral stacks, run %d of %d" % (rep + 1, sweep_runs(args)))
                sweep.run_sweep(runner, sim, args.smoke, rep, results, problems)
        for rep in range(args.runs):
            if "cascade" in args.scenarios:
                say("==> 7. cascade of a Kafka cluster, run %d of %d" % (rep + 1, args.runs))
                cascade.run_cascade(runner, sim, args.smoke, rep, results, problems)
        for rep in range(args.runs):
            if "topics" in args.scenarios:
                say("==> 8. per-task cost of deleting a Kafka topic (Kafka REST), run %d of %d" % (rep + 1, args.runs))
                topics.run_topics(runner, sim, args.tasks, rep, results, problems)
    finally:
        sim.stop()
    results["meta"]["load_end"] = load_average()
    results["meta"]["seconds"] = round(time.monotonic() - started, 1)
    results_path = os.path.join(work if not args.smoke else out_dir, "bench-results.json")
    if set(args.scenarios) != set(SCENARIOS):
        with open(results_path, "w", encoding="utf-8") as handle:
            json.dump({"results": results}, handle, indent=1)
        say("==> partial run (%s): raw results in %s, no report" % (",".join(args.scenarios), results_path))
        return 1 if problems else 0
    results["problems"] = problems
    with open(results_path, "w", encoding="utf-8") as handle:
        json.dump({"results": results}, handle, indent=1)
    say("==> measured in %.0f s; raw results in %s" % (results["meta"]["seconds"], results_path))
    try:
        report(results, args, out_dir)
    except (TypeError, KeyError, ZeroDivisionError):
        if not problems:
            raise
        say("==> no report: runs failed")
        for problem in problems:
            say("PROBLEM: " + problem)
    else:
        if args.smoke:
            found = check_provenance(args, out_dir, results_path, results["meta"]["date"])
            for problem in found:
                say("PROBLEM: " + problem)
            problems += found
    if temp_root and not args.keep:
        if problems:
            say("==> kept %s for the problems above" % temp_root)
        else:
            shutil.rmtree(temp_root, ignore_errors=True)
    return 1 if problems else 0

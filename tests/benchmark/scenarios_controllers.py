# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scenario 5 of ``make bench``: controllers that share an API key but no disk.

K controllers, each an ``ansible-playbook`` of its own with its own TMPDIR and HOME (as AWX runs job slices on
several execution nodes, or jobs in their own containers), F forks and F ``connection: local`` hosts each, tear
down N connectors together with one API key against one simulator limited to R requests per second; then the same
with no limit. Each controller's hosts get every (K x F)th connector. The rate-limit state file of a controller lives
in its TMPDIR, so the controllers cannot see each other's budget.

Targets, every run: 0 failed tasks, 0 connectors left, wall <= 1.3 x max(N/R, the same run's median wall with no
limit), at most N/4 answers of 429.

bench.py calls add_arguments and check_arguments (command line), measure.py run (measure); analysis.py has its
figures and targets, report.py its section of the report and its chart.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time

from bench_common import PLAYBOOKS, connector_names, load_average, rotate, say, seed_document
from bench_runner import task_timings
from support.playbook import callback_env, read_results

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

def run(runner, sim, args, results, problems):
    """Every case and limit, limited and unlimited, args.controllers_runs times, in an order that rotates."""
    record = results.setdefault("controllers", {"runs": [], "load_start": load_average()})
    plan = [(limit, tuple(case), limited) for limit in args.controllers_limits for case in args.controllers_cases
            for limited in (True, False)]
    for rep in range(args.controllers_runs):
        say("==> 5. controllers sharing one key but no disk, run %d of %d" % (rep + 1, args.controllers_runs))
        for limit, (controllers, forks), limited in rotate(plan, rep):
            count = connectors_for(args, limit)
            names = connector_names(count, "ctl")
            sim.seed(seed_document(names, limit if limited else 0, 1.0))
            label = "controllers %dx%d %s %d run %d" % (controllers, forks, "limit" if limited else "no limit",
                                                        limit, rep + 1)
            outcome = run_controllers(runner, names, controllers, forks, label)
            log = sim.log()
            outcome.update(limit=limit, controllers=controllers, forks=forks, limited=limited, connectors=count,
                           rep=rep, requests=len(log), http_429=sum(1 for entry in log if entry["status"] == 429),
                           connectors_left=sim.connectors_left(), load=load_average())
            record["runs"].append(outcome)
            say("    %-40s %6.1f s  429s=%-4d failed=%-3d left=%d" % (
                label, outcome["wall"], outcome["http_429"], outcome["failed_tasks"], outcome["connectors_left"]))
            if any(code not in (0, 2) for code in outcome["returncodes"]):
                problems.append("%s: ansible-playbook exited %s (see %s)"
                                % (label, outcome["returncodes"], ", ".join(outcome["logs"])))


def run_controllers(runner, names, controllers, forks, label):
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
        env = callback_env(dict(runner.env, TMPDIR=os.path.join(home, "tmp"), HOME=home),
                           os.path.join(home, "task-results.json"))
        cmd = [os.path.join(runner.venv, "bin", "ansible-playbook"), "-i", inventory, "-e", "@" + runner.vars_file,
               "--forks", str(forks), os.path.join(PLAYBOOKS, "teardown_confluent_connector.yml")]
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
        document = read_results(os.path.join(home, "task-results.json")) or {}
        tasks = task_timings(document.get("tasks"), document.get("results"))
        items = tasks[-1]["items"] if tasks else {}
        failed += items.get("failed", 0)
        finished += items.get("ok", 0) + items.get("failed", 0) + items.get("skipped", 0)
        state_files += len([name for name in os.listdir(os.path.join(home, "tmp"))
                            if name.startswith("kafkaops-confluent-cloud-rate-")])
    return {"wall": wall, "returncodes": returncodes, "failed_tasks": failed + max(0, len(names) - finished),
            "state_files": state_files,
            "logs": [os.path.relpath(os.path.join(home, "ansible-playbook.log"), runner.work)
                     for dummy, dummy2, home in processes]}

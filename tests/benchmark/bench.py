# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark of kafkaops.confluent_cloud against ansible.builtin.uri and ansible.builtin.ping (``make bench``).

Scenarios, all against tests/simulator/confluent_sim.py on loopback, run with the standard ansible-playbook:
  1. per-task cost: --tasks tasks of each contender, connectors that exist (real DELETE) and connectors already
     absent (404), for confluent_connector, ansible.builtin.uri (the same DELETE) and ansible.builtin.ping (Ansible's
     floor), taking turns in one playbook run (loop tasks of CHUNK items, in a rotating order); on both paths a
     confluent_connector task can take: in-process (the local connection, connection_plugins/bench_local.py) and in
     a module process of its own (connection_plugins/bench_module_process.py, as on a remote host, with become or
     async), each checked by counting the module processes the connection started;
  2. start-up cost of the module itself: one execution outside Ansible, and what it imports (python -X importtime);
  3. rate-limited teardown: --teardown-connectors connectors over --teardown-hosts hosts (as many forks) with one
     API key, against a limit of --rate-limit requests per --rate-window seconds, then the same with no limit;
  4. requests per task in normal, check, diff and check+diff mode (from the simulator's /_sim/log);
  5. controllers that share an API key but no disk, each an ansible-playbook with its own TMPDIR and HOME
     (scenarios_controllers.py).
  6. the cleanup playbook sweeping ephemeral stacks, with no rate limit and under one (scenarios_sweep.py);
  7. confluent_kafka_cluster with cascade: true on a cluster with connectors and ksqlDB clusters, with no rate limit
     and under one (scenarios_cascade.py);
  8. the per-task cost of deleting a Kafka topic through Kafka REST v3, confluent_kafka_topic against
     ansible.builtin.uri, on both paths (scenarios_topics.py).
Every scenario is repeated --runs times; the contenders are interleaved within each repetition, in an order that
rotates from one repetition to the next, so that machine noise hits all of them alike.

Parts: bench_setup.py (virtual environment, build, simulator), bench_runner.py (playbooks), measure.py (every
scenario in turn), scenarios_*.py (one file for each scenario, 1 and 4 together), analysis.py (figures and targets),
report.py (performance.md and its charts); bench_common.py holds what they share. They stand on the test-support
package, tests/support: the ansible-core for this Python, the build and install, the simulator process, the playbook
runs and their task_results callback.

Set-up: .venv/bench (ansible-core, requests, matplotlib; a stamp file skips reinstalling), then the collection is
built from the working tree (--source) and installed into a private collections path under --work-dir.

Usage:
  python3 tests/benchmark/bench.py            full size; writes docs/performance.md and docs/performance.png
  python3 tests/benchmark/bench.py --smoke    tiny size into a temporary directory; never touches docs/
  python3 tests/benchmark/bench.py --from-results FILE   the report again from a bench-results.json, measuring
                                              nothing; the report says it was regenerated, from which measurement
Exit status: 0 done (measured targets are reported, not enforced), 1 a functional check failed, 2 set-up failed.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys

import measure
import report
import scenarios_controllers as controllers
from bench_common import ROOT, SCENARIOS, say
from bench_setup import ensure_venv, in_venv
from support.collection import SetupError


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--smoke", action="store_true",
                        help="tiny size (3 tasks, 1 run, 12 connectors over 4 hosts) into a temporary directory")
    parser.add_argument("--runs", type=int, help="repetitions of every scenario (default 5; smoke 1)")
    parser.add_argument("--tasks", type=int, help="tasks in the per-task loop (default 50; smoke 3)")
    parser.add_argument("--teardown-connectors", type=int, help="connectors of the teardown (default 120; smoke 12)")
    parser.add_argument("--teardown-hosts", type=int, help="hosts and forks of the teardown (default 10; smoke 4)")
    parser.add_argument("--rate-limit", type=int, default=2, help="requests per window in the teardown (default 2)")
    parser.add_argument("--rate-window", type=float, default=1.0, help="rate-limit window, seconds (default 1)")
    parser.add_argument("--out-dir", help="where the report goes (default docs/; smoke: a temporary directory)")
    parser.add_argument("--work-dir", help="build, logs and scratch files (default build/bench; smoke: inside the "
                                           "temporary directory)")
    parser.add_argument("--venv", default=os.path.join(ROOT, ".venv", "bench"), help="virtual environment to use")
    parser.add_argument("--source", default=ROOT, help="collection source tree to build (default: this repository)")
    parser.add_argument("--keep", action="store_true", help="smoke: keep the temporary directory")
    parser.add_argument("--from-results", help="write the report from this bench-results.json instead of measuring")
    controllers.add_arguments(parser)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help="comma-separated subset of %s; a subset writes raw results only, no report"
                        % ",".join(SCENARIOS))
    args = parser.parse_args(argv)
    defaults = (("runs", 1, 5), ("tasks", 3, 50), ("teardown_connectors", 12, 120), ("teardown_hosts", 4, 10))
    for name, smoke, full in defaults:
        if getattr(args, name) is None:
            setattr(args, name, smoke if args.smoke else full)
    if min(args.runs, args.tasks, args.teardown_connectors, args.teardown_hosts, args.rate_limit) < 1:
        parser.error("--runs, --tasks, --teardown-connectors, --teardown-hosts and --rate-limit must be at least 1")
    args.scenarios = [name.strip() for name in args.scenarios.split(",") if name.strip()]
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown or not args.scenarios:
        parser.error("--scenarios takes a comma-separated subset of %s" % ",".join(SCENARIOS))
    if args.teardown_connectors % args.teardown_hosts:
        parser.error("--teardown-connectors must be a multiple of --teardown-hosts")
    controllers.check_arguments(parser, args)
    return args


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    venv = os.path.abspath(args.venv)
    # Stopped from outside: still stop the simulator and the playbook running now.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        if not in_venv(venv):
            python = ensure_venv(venv)
            os.execv(python, [python, os.path.abspath(__file__)] + argv)
        if args.from_results:
            return report.rerender(args)
        return measure.run(args)
    except SetupError as exc:
        say("ERROR: %s" % exc)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

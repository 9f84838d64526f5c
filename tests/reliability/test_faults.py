# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fault matrix: every fault on the DELETE and on the GETs (check mode, --diff, wait, look-up) of both modules.

The whole matrix runs as ONE ansible-playbook, one host per scenario (20 forks); each parametrized test then judges
its own row from the task result, the simulator's request log and the simulator's final state.
"""

from __future__ import annotations

import concurrent.futures
import os
import socket
import threading
import time

import pytest

import rel_checks as checks
import rel_harness as h
import rel_inprocess as inproc
import rel_scenarios as sc

MATRIX = sc.matrix_scenarios()
LOOKUPS = sc.lookup_scenarios()


def params(scenarios):
    return [pytest.param(s, id=s.test_id, marks=[pytest.mark.xfail(strict=True, reason=s.bug)] if s.bug else [])
            for s in scenarios]


def module_record(run, host):
    records = run.for_host(host, action_suffix=None)
    records = [r for r in records if r["action"].startswith("kafkaops.confluent_cloud.")]
    return records[0] if len(records) == 1 else None


@pytest.fixture(scope="module")
def matrix_run(collection):  # pylint: disable=unused-argument
    sim = h.Simulator(sc.seed(MATRIX), os.path.join(h.BUILD, "sim-matrix"), delete_delay=sc.DELETE_DELAY)
    try:
        refused = "http://127.0.0.1:%d" % h.free_port()
        ordered = sorted(MATRIX, key=lambda s: -s.cost())
        faults, dates = sc.simulator_faults(MATRIX)
        sim.add_faults(faults)
        # One ansible-playbook per module, side by side, so that both start with their slowest scenarios.
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            futures = [pool.submit(h.run_playbook, "matrix-" + module, sc.parallel_play(sim.url, module),
                                   h.local_inventory({s.host: sc.host_vars(s, refused)
                                                      for s in ordered if s.module == module}), 10)
                       for module in ("connector", "environment")]
            runs = [future.result() for future in futures]
        run = h.PlaybookRun.combine(runs)
        # A hung request is logged only when its hang ends, possibly after the task that gave up on it.
        hang_ends = [r["end"] for s in MATRIX if "hang" in s.key for r in run.for_host(s.host)]
        time.sleep(max(0.0, max(hang_ends, default=0.0) + sc.HANG_SECONDS + 0.5 - time.time()))
        log, state = sim.log(), sim.state()
    finally:
        sim.stop()
    return {"run": run, "log": log, "state": state, "dates": dates}


@pytest.fixture(scope="module")
def lookup_run(collection):  # pylint: disable=unused-argument
    sim = h.Simulator(sc.seed(LOOKUPS, filler_environments=110), os.path.join(h.BUILD, "sim-lookup"),
                      delete_delay=sc.DELETE_DELAY)
    try:
        hosts = {s.host: sc.host_vars(s, None) for s in LOOKUPS}
        run = h.run_playbook("lookup", sc.serial_play(sim.url), h.local_inventory(hosts), forks=1)
        log, state = sim.log(), sim.state()
    finally:
        sim.stop()
    return {"run": run, "log": log, "state": state, "dates": {}}


def entries_by_path(log, scenario):
    return sorted((e for e in log if e["path"] == scenario.path), key=lambda e: e["started"])


def entries_in_window(log, scenario, record):
    if record is None:
        return []
    start, end = record["start"] - 0.1, record["end"] + 0.1
    return sorted((e for e in log if start <= e["started"] <= end
                   and (e["path"] == scenario.path or e["path"].startswith(sc.LIST_PATH))),
                  key=lambda e: e["started"])


def judge(scenario, outcome, entries, record, report, nodeid):
    obs = checks.observe(scenario, record, entries, outcome["state"], outcome["dates"].get(scenario.host))
    found = checks.problems(scenario, obs)
    waits = [dict(w, scenario=scenario.test_id) for w in obs["waits"]]
    expected = "%s, %s" % (scenario.outcome, scenario.final)
    if scenario.expect_changed:
        expected = "%s (changed), %s" % (scenario.outcome, scenario.final)
    got = "%s%s, %s" % (obs["outcome"], " (changed)" if obs["changed"] and obs["outcome"] == "failed" else "",
                        obs["final_detail"])
    if obs["tracebacks"]:
        got += ", TRACEBACK"
    wait_text = "; ".join("%s -> %.2f s" % (w["asked"], w["measured"]) for w in obs["waits"]) or "-"
    overshoot = max((w["overshoot"] for w in obs["waits"]), default=None)
    report.add("faults", nodeid,
               [scenario.module, scenario.phase, scenario.title, expected, got,
                "%d: %s" % (len(entries), checks.describe_requests(obs["requests"])) if entries else "0",
                wait_text, "" if overshoot is None else "%+.2f s" % overshoot, obs["final_detail"]],
               bug=scenario.bug, requests=len(entries), waits=waits,
               survived=1 if scenario.kind == "transient" else 0, clean_failure=scenario.kind == "fail",
               tracebacks=1 if obs["tracebacks"] else 0, module_runs=1)
    assert not found, "%s: %s" % (scenario.test_id, "; ".join(found))


@pytest.mark.parametrize("scenario", params(MATRIX))
def test_fault(scenario, matrix_run, report, nodeid):
    record = module_record(matrix_run["run"], scenario.host)
    judge(scenario, matrix_run, entries_by_path(matrix_run["log"], scenario), record, report, nodeid)


@pytest.mark.parametrize("scenario", params(LOOKUPS))
def test_lookup_fault(scenario, lookup_run, report, nodeid):
    record = module_record(lookup_run["run"], scenario.host)
    judge(scenario, lookup_run, entries_in_window(lookup_run["log"], scenario, record), record, report, nodeid)


def test_matrix_deleted_nothing_else(matrix_run):
    """Every deletion the simulator carried out was of a scenario's own resource that was meant to go."""
    meant = {s.path for s in MATRIX if s.final == "deleted"}
    stray = sorted(set(sc.applied_deletes(matrix_run["log"])) - meant)
    assert not stray, "deleted what no scenario meant to delete: %s" % stray
    assert h.environment_status(matrix_run["state"], sc.ENV) == "present", "the environment holding the connectors went"


def test_lookup_deleted_nothing_else(lookup_run):
    """The look-ups by display name deleted their own environment at most, never one of the 110 others."""
    meant = {s.path for s in LOOKUPS if s.final == "deleted"}
    stray = sorted(set(sc.applied_deletes(lookup_run["log"])) - meant)
    assert not stray, "deleted what no look-up meant to delete: %s" % stray
    fillers = [env for env in lookup_run["state"]["environments"] if env["id"].startswith("env-filler-")]
    assert len(fillers) == 110 and not [env["id"] for env in fillers if env["deleting"]], fillers


TRICKLE_BODY = b'{"e": 0}'


class TrickleServer:
    """A loopback server that answers every request correctly but slowly, one byte at a time (the simulator cannot)."""

    def __init__(self, interval):
        self.interval = interval
        self.requests = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stopped.is_set():
            try:
                conn = self.sock.accept()[0]
            except OSError:
                continue
            with conn:
                conn.recv(65536)
                self.requests += 1
                try:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                                 % len(TRICKLE_BODY))
                    for byte in TRICKLE_BODY:
                        if self.stopped.wait(self.interval):
                            break
                        conn.sendall(bytes([byte]))
                except OSError:
                    pass

    def stop(self):
        self.stopped.set()
        self.thread.join(timeout=5)
        self.sock.close()


def test_trickling_answer_is_bounded_by_api_timeout(collection, report, nodeid):  # pylint: disable=unused-argument
    module = inproc.load_module("confluent_connector")
    server = TrickleServer(0.5)
    try:
        with inproc.without_credential_variables():
            started = time.monotonic()
            result = inproc.run_main(module, {"name": "trickle", "environment_id": "env-t", "kafka_cluster_id": "lkc-t",
                                              "state": "absent", "api_key": h.API_KEY, "api_secret": h.API_SECRET,
                                              "api_endpoint": "http://127.0.0.1:%d" % server.port, "api_timeout": 1,
                                              "api_retries": 0})
            elapsed = time.monotonic() - started
    finally:
        server.stop()
    allowed = 1.0
    outcome = "failed" if result.get("failed") else ("changed" if result.get("changed") else "ok")
    report.add("faults", nodeid, ["connector", "delete", "answer trickles in, 1 byte per 0.5 s (a test server; the "
                                  "simulator has no such fault), api_timeout 1, api_retries 0",
                                  "failed, after <= 1 s", outcome, "%d: DEL 200 (slowly)" % server.requests,
                                  "api_timeout 1 s -> %.2f s" % elapsed, "%+.2f s" % (elapsed - allowed), "-"],
               requests=server.requests, module_runs=1,
               tracebacks=1 if result.get("uncaught") else 0)
    assert not result.get("uncaught"), result["uncaught"]
    # The whole answer would take 4 s to arrive: a client that cut the read short and took what it had for the
    # answer would report success (or a broken body) instead of this failure.
    assert result.get("failed") is True, "the task did not fail: %s" % result
    assert result.get("changed") is False, result
    assert "no response within api_timeout (1 s)" in result.get("msg", ""), result.get("msg")
    assert server.requests == 1, "api_retries 0, yet the server saw %d requests" % server.requests
    assert elapsed <= allowed + checks.LATE_TOLERANCE, "the task took %.1f s with api_timeout 1 s" % elapsed

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fuzzed input: ids, names and credentials with anything in them.

Each example either fails with a clear validation error before any request, or sends exactly one well-formed
request whose path, as the simulator sees it, decodes back to the given value. Never a traceback. The modules'
main() runs in this process (ansible-playbook per example would be far too slow), against the simulator over HTTP.
"""

from __future__ import annotations

import collections
import json
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rel_harness as h
import rel_inprocess as inproc

ENV = "env-fz"
CLUSTER = "lkc-fz"
EXAMPLES = 150
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.large_base_example, HealthCheck.data_too_large])
PCHAR = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-F]{2})*")
SPECIAL = ["", " ", " \t ", ".", "..", "...", "/", "//", "a/b", "../x", "a/../b", "%", "%2F", "%252F", "%zz",
           "%2e%2e", ".%2e", "a b", "a+b", "?", "#", "a?b#c", ";", "\\", "~", "*", "\x00", "\n", "a\rb", "\t",
           "\x7f", "\x85", "\u200b", "\u202e", "\u2028", "\ufeff", "\U0010ffff", "é", "中文", "😀", "CON", "-",
           " leading", "trailing ", "x" * 1000, "é" * 700, "%" * 300]
ODD_CHARS = list("./%? #\\~+;=é中😀\x00\t\n\r\x7f\u200b\u202e")
PRINTABLE = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40)
VALUES = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=40), PRINTABLE, PRINTABLE,
                   st.text(alphabet=st.sampled_from(ODD_CHARS), max_size=12),
                   st.text(min_size=200, max_size=1500))
PATH_TARGETS = {
    "connector name": ("confluent_connector", "name", lambda v: ["connect", "v1", "environments", ENV, "clusters",
                                                                 CLUSTER, "connectors", v]),
    "connector environment_id": ("confluent_connector", "environment_id",
                                 lambda v: ["connect", "v1", "environments", v, "clusters", CLUSTER, "connectors",
                                            "fz-conn"]),
    "connector kafka_cluster_id": ("confluent_connector", "kafka_cluster_id",
                                   lambda v: ["connect", "v1", "environments", ENV, "clusters", v, "connectors",
                                              "fz-conn"]),
    "environment id": ("confluent_environment", "id", lambda v: ["org", "v2", "environments", v]),
}


@pytest.fixture(scope="module")
def fuzz_sim(collection):  # pylint: disable=unused-argument
    seed = {"credentials": h.CREDENTIALS, "delete_delay": 0.2, "environments": [
        {"id": ENV, "display_name": "reliability-fuzz-seed-7d1c", "clusters": [{"id": CLUSTER, "connectors": []}]}]}
    sim = h.Simulator(seed, os.path.join(h.BUILD, "sim-fuzz"))
    with inproc.without_credential_variables():
        yield sim
    sim.stop()


def base_args(sim, module):
    args = {"state": "absent", "api_key": h.API_KEY, "api_secret": h.API_SECRET, "api_endpoint": sim.url,
            "api_retries": 0, "api_timeout": 10}
    if module == "confluent_connector":
        args.update(name="fz-conn", environment_id=ENV, kafka_cluster_id=CLUSTER)
    return args


def refused_early(result, log, option):
    return bool(result.get("failed")) and not log and option in result.get("msg", "")


def record(report, nodeid, target, stats, bug=None):
    report.add("fuzz", nodeid, [target, stats["examples"], stats["refused"], stats["round-trip"], stats["other"],
                                stats["tracebacks"]],
               bug=bug, examples=stats["examples"], requests=stats["requests"], tracebacks=stats["tracebacks"])


@pytest.mark.parametrize("target", list(PATH_TARGETS))
def test_fuzz_path_values(target, fuzz_sim, report, nodeid):
    module_name, option, expected_segments = PATH_TARGETS[target]
    module = inproc.load_module(module_name)
    stats = collections.Counter()

    @SETTINGS
    @given(value=VALUES)
    def check(value):
        stats["examples"] += 1
        fuzz_sim.clear_log()
        result = inproc.run_main(module, dict(base_args(fuzz_sim, module_name), **{option: value}))
        log = fuzz_sim.log()
        stats["requests"] += len(log)
        if result.get("uncaught") is not None or h.traceback_signs(result):
            stats["tracebacks"] += 1
            raise AssertionError("traceback for %r: %s" % (value, result.get("uncaught") or result))
        if refused_early(result, log, option):
            stats["refused"] += 1
            return
        if value in (".", "..") or not value.strip():
            stats["other"] += 1
            raise AssertionError("%r must be refused before any request: %s, %s" % (value, result, log))
        raw = log[0]["path"] if len(log) == 1 else ""
        segments = raw.split("?", 1)[0].split("/")[1:]
        if len(log) == 1 and log[0]["method"] == "DELETE" and not result.get("failed") \
                and h.decode_segments(raw) == expected_segments(value) and all(PCHAR.fullmatch(s) for s in segments):
            stats["round-trip"] += 1
            return
        stats["other"] += 1
        raise AssertionError("%r: neither refused before any request nor one round-tripping request: %s; log %s"
                             % (value, {k: result.get(k) for k in ("failed", "msg", "changed")},
                                [(e["method"], e["path"][:200], e["status"]) for e in log]))

    try:
        check()  # pylint: disable=no-value-for-parameter
    finally:
        record(report, nodeid, target, stats)


def test_fuzz_display_name(fuzz_sim, report, nodeid):
    module = inproc.load_module("confluent_environment")
    stats = collections.Counter()

    @SETTINGS
    @given(value=VALUES)
    def check(value):
        stats["examples"] += 1
        fuzz_sim.clear_log()
        result = inproc.run_main(module, dict(base_args(fuzz_sim, "confluent_environment"), display_name=value))
        log = fuzz_sim.log()
        stats["requests"] += len(log)
        if result.get("uncaught") is not None or h.traceback_signs(result):
            stats["tracebacks"] += 1
            raise AssertionError("traceback for %r: %s" % (value, result.get("uncaught") or result))
        if refused_early(result, log, "display_name"):
            stats["refused"] += 1
            return
        if [(e["method"], e["path"]) for e in log] == [("GET", "/org/v2/environments?page_size=100")] \
                and not result.get("failed") and not result.get("changed"):
            stats["round-trip"] += 1
            return
        stats["other"] += 1
        raise AssertionError("%r: %s; log %s" % (value, result, log))

    try:
        check()  # pylint: disable=no-value-for-parameter
    finally:
        record(report, nodeid, "environment display_name (look-up, matches nothing)", stats)


def credential_check(fuzz_sim, option, stats, value):
    stats["examples"] += 1
    secret = "fz-%s-zz" % value
    module = inproc.load_module("confluent_connector")
    args = base_args(fuzz_sim, "confluent_connector")
    if option == "access_token":
        del args["api_key"], args["api_secret"]
    args[option] = secret
    fuzz_sim.clear_log()
    result = inproc.run_main(module, args)
    log = fuzz_sim.log()
    stats["requests"] += len(log)
    output = json.dumps(result)
    leaked = h.find_secrets(output + result.get("uncaught", ""), h.secret_forms(secret))
    if result.get("uncaught") is not None or h.traceback_signs(result):
        stats["tracebacks"] += 1
        raise AssertionError("traceback for %s %r (leaks: %s): %s" % (
            option, secret, leaked, result.get("uncaught") or result))
    if leaked:
        stats["other"] += 1
        raise AssertionError("%s %r shows in the result: %s" % (option, secret, leaked))
    if refused_early(result, log, option):
        stats["refused"] += 1
        return
    if len(log) == 1 and log[0]["status"] in (401, 404):
        stats["round-trip"] += 1
        return
    stats["other"] += 1
    raise AssertionError("%s %r: %s; log %s" % (option, secret, result, log))


CREDENTIAL_VALUES = st.one_of(st.text(max_size=30), st.text(alphabet=st.sampled_from(ODD_CHARS + list("ab:")),
                                                            max_size=10))


@pytest.mark.parametrize("option", ["api_secret", "access_token"])
def test_fuzz_credential(fuzz_sim, report, nodeid, option):
    stats = collections.Counter()

    @SETTINGS
    @given(value=CREDENTIAL_VALUES)
    def check(value):
        credential_check(fuzz_sim, option, stats, value)

    try:
        check()  # pylint: disable=no-value-for-parameter
    finally:
        record(report, nodeid, "%s (never shown; 401 or refused)" % option, stats)


LONG_VALUES = [
    pytest.param("x" * 1024, id="1024-ascii"),
    pytest.param("é/" * 512, id="1024-latin1-and-slashes"),
    pytest.param("x" * 4096, id="4096-ascii"),
    pytest.param("😀" * 20000, id="20000-emoji"),
]


@pytest.mark.parametrize("value", LONG_VALUES)
def test_very_long_name(value, fuzz_sim, report, nodeid):
    module = inproc.load_module("confluent_connector")
    fuzz_sim.clear_log()
    result = inproc.run_main(module, dict(base_args(fuzz_sim, "confluent_connector"), name=value))
    log = fuzz_sim.log()
    refused = refused_early(result, log, "name")
    expected = ["connect", "v1", "environments", ENV, "clusters", CLUSTER, "connectors", value]
    round_trip = len(log) == 1 and not result.get("failed") and h.decode_segments(log[0]["path"]) == expected
    stats = collections.Counter(examples=1, requests=len(log), refused=int(refused), other=int(not refused and not round_trip),
                                tracebacks=int(result.get("uncaught") is not None))
    stats["round-trip"] = int(round_trip)
    record(report, nodeid, "connector name of %d characters (%d bytes encoded)" % (
        len(value), len(h.encode_segment(value))), stats)
    assert result.get("uncaught") is None, result["uncaught"]
    assert refused or round_trip, (result.get("msg"), [(e["method"], e["status"]) for e in log])

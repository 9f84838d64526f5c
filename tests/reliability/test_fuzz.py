# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fuzzed input: ids, names and credentials with anything in them.

Which of the two each example must get comes from the modules' documentation, not from what the module did: a value
the documentation refuses (empty or whitespace only, a control character, "." or "..", more than 1024 characters)
must fail with a validation error naming the option before any request; every other value (any printable name up to
1024 characters, "/", "?", "%" and unicode included) must be sent as exactly one request whose raw path, as the
simulator logged it, has the expected number of segments, the value's segment percent-decoding back to the value.
An ID option also refuses a value without the prefix of its kind (env-, lkc-), so each example is tried there as it
is and after that prefix.
So a validator that refused everything fails as surely as one that let "." through. Never a traceback. The modules'
main() runs in this process (ansible-playbook per example would be far too slow), against the simulator over HTTP.
"""

from __future__ import annotations

import collections
import json
import os
import re
import unicodedata
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, example, given, settings
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
# Examples every run must include, whatever Hypothesis draws: values the documentation allows, and values it refuses.
DOCUMENTED_ALLOWED = ["a", "/", "a/b", "//", "?", "a?b#c", "#", "%", "%2F", "%252F", "%zz", "a b", "a+b", ".x", "...",
                      "%2e%2e", "\\", "é", "中文", "😀", "\u200b", "\u202e", "\ufeff", " leading", "trailing ",
                      "x" * 1024, "é/" * 512]
DOCUMENTED_REFUSED = ["", " ", " \t ", "\u3000", ".", "..", "\x00", "a\nb", "\x7f", "\x85", "x" * 1025]
MAX_PATH_VALUE = 1024
PRINTABLE = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40)
VALUES = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=40), PRINTABLE, PRINTABLE,
                   st.text(alphabet=st.sampled_from(ODD_CHARS), max_size=12),
                   st.text(min_size=200, max_size=1500))
# target: (module, option, the path segments for a value, the prefix the option's IDs must have or None)
PATH_TARGETS = {
    "connector name": ("confluent_connector", "name", lambda v: ["connect", "v1", "environments", ENV, "clusters",
                                                                 CLUSTER, "connectors", v], None),
    "connector environment_id": ("confluent_connector", "environment_id",
                                 lambda v: ["connect", "v1", "environments", v, "clusters", CLUSTER, "connectors",
                                            "fz-conn"], "env-"),
    "connector kafka_cluster_id": ("confluent_connector", "kafka_cluster_id",
                                   lambda v: ["connect", "v1", "environments", ENV, "clusters", v, "connectors",
                                              "fz-conn"], "lkc-"),
    "environment id": ("confluent_environment", "id", lambda v: ["org", "v2", "environments", v], "env-"),
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


def has_control_character(value):
    return any(unicodedata.category(char) == "Cc" for char in value)


def documented_refusal(value, prefix=None):
    """Why the documentation of the modules' path options refuses value before any request; None: it must be sent.

    ``prefix`` is the one every value of an ID option must start with, followed by something.
    """
    if not value.strip():
        return "empty or whitespace only"
    if has_control_character(value):
        return "control character"
    if value in (".", ".."):
        return "a dot segment"
    if len(value) > MAX_PATH_VALUE:
        return "longer than %d characters" % MAX_PATH_VALUE
    if prefix and (not value.startswith(prefix) or value == prefix):
        return "not an ID starting with %s" % prefix
    return None


def documented_name_refusal(value):
    """Why the documentation refuses a display name to match before any request; it is never a path segment, so a
    dot is a name like any other."""
    reason = documented_refusal(value)
    return None if reason == "a dot segment" else reason


def round_trip_problem(result, log, expected):
    """What keeps the log from showing exactly one DELETE whose raw path is the expected segments (None: nothing).

    A DELETE answered 404 may be followed by GETs of the environment and cluster it names, which tell an already
    deleted resource from a mistyped parent ID.
    """
    if result.get("failed"):
        return "the task failed: %s" % result.get("msg")
    methods = [e["method"] for e in log]
    if methods[:1] != ["DELETE"] or set(methods[1:]) - {"GET"} or (len(log) > 1 and log[0]["status"] != 404):
        return "expected exactly one DELETE, the simulator logged %s" % [(e["method"], e["status"]) for e in log]
    raw = log[0]["path"]
    if "?" in raw or "#" in raw:
        return "the raw path %r has a query or fragment: a value was not encoded" % raw[:200]
    segments = raw.split("/")[1:]
    if len(segments) != len(expected):
        return "the raw path %r has %d segments, expected %d" % (raw[:200], len(segments), len(expected))
    unsafe = [segment for segment in segments if not PCHAR.fullmatch(segment)]
    if unsafe:
        return "segments with characters that must be percent-encoded: %r" % [u[:80] for u in unsafe]
    try:
        decoded = [unquote(segment, errors="strict") for segment in segments]
    except UnicodeDecodeError as exc:
        return "a segment is not percent-encoded UTF-8: %s" % exc
    if decoded != expected:
        wrong = [(got[:80], want[:80]) for got, want in zip(decoded, expected) if got != want]
        return "segments decode to something else (got, expected): %r" % wrong
    return None


def record(report, nodeid, target, stats, bug=None):
    report.add("fuzz", nodeid, [target, stats["examples"], stats["refused"], stats["round-trip"], stats["other"],
                                stats["tracebacks"]],
               bug=bug, examples=stats["examples"], requests=stats["requests"], tracebacks=stats["tracebacks"])


def check_path_value(fuzz_sim, target, value, stats):
    """One value of a path option: refused before any request or sent as one segment, as the documentation says."""
    module_name, option, expected_segments, prefix = PATH_TARGETS[target]
    module = inproc.load_module(module_name)
    stats["examples"] += 1
    fuzz_sim.clear_log()
    result = inproc.run_main(module, dict(base_args(fuzz_sim, module_name), **{option: value}))
    log = fuzz_sim.log()
    stats["requests"] += len(log)
    if result.get("uncaught") is not None or h.traceback_signs(result):
        stats["tracebacks"] += 1
        raise AssertionError("traceback for %r: %s" % (value, result.get("uncaught") or result))
    summary = ({k: result.get(k) for k in ("failed", "msg", "changed")},
               [(e["method"], e["path"][:200], e["status"]) for e in log])
    reason = documented_refusal(value, prefix)
    if reason:
        if refused_early(result, log, option):
            stats["refused"] += 1
            return
        stats["other"] += 1
        raise AssertionError("%r (%s) must be refused before any request, naming %s: %s; log %s"
                             % ((value[:100], reason, option) + summary))
    problem = round_trip_problem(result, log, expected_segments(value))
    if problem is None:
        stats["round-trip"] += 1
        return
    stats["other"] += 1
    raise AssertionError("%r is allowed by the documentation, so it must reach the simulator as one path segment: "
                         "%s; result %s; log %s" % ((value[:100], problem) + summary))


def with_documented_examples(test):
    for value in DOCUMENTED_ALLOWED + DOCUMENTED_REFUSED:
        test = example(value=value)(test)
    return test


@pytest.mark.parametrize("target", list(PATH_TARGETS))
def test_fuzz_path_values(target, fuzz_sim, report, nodeid):
    stats = collections.Counter()

    @SETTINGS
    @given(value=VALUES)
    @with_documented_examples
    def check(value):
        check_path_value(fuzz_sim, target, value, stats)
        prefix = PATH_TARGETS[target][3]
        if prefix:
            check_path_value(fuzz_sim, target, prefix + value, stats)

    try:
        check()  # pylint: disable=no-value-for-parameter
    finally:
        record(report, nodeid, target, stats)
    # Both sides were exercised, so neither a validator that refuses everything nor one that refuses nothing passes.
    assert stats["refused"] >= len(DOCUMENTED_REFUSED) and stats["round-trip"] >= len(DOCUMENTED_ALLOWED), stats


def test_fuzz_display_name(fuzz_sim, report, nodeid):
    module = inproc.load_module("confluent_environment")
    stats = collections.Counter()

    @SETTINGS
    @given(value=VALUES)
    @with_documented_examples
    def check(value):
        stats["examples"] += 1
        fuzz_sim.clear_log()
        result = inproc.run_main(module, dict(base_args(fuzz_sim, "confluent_environment"), display_name=value))
        log = fuzz_sim.log()
        stats["requests"] += len(log)
        if result.get("uncaught") is not None or h.traceback_signs(result):
            stats["tracebacks"] += 1
            raise AssertionError("traceback for %r: %s" % (value, result.get("uncaught") or result))
        # display_name is matched in the listed environments, never sent in a path: a dot is a name like any other.
        if documented_name_refusal(value):
            if refused_early(result, log, "display_name"):
                stats["refused"] += 1
                return
            stats["other"] += 1
            raise AssertionError("%r (%s) must be refused before any request: %s; log %s"
                                 % (value, documented_name_refusal(value), result, log))
        if [(e["method"], e["path"]) for e in log] == [("GET", "/org/v2/environments?page_size=100")] \
                and not result.get("failed") and not result.get("changed"):
            stats["round-trip"] += 1
            return
        stats["other"] += 1
        raise AssertionError("%r must be looked up (one GET of the list, nothing matched): %s; log %s"
                             % (value, result, log))

    try:
        check()  # pylint: disable=no-value-for-parameter
    finally:
        record(report, nodeid, "environment display_name (look-up, matches nothing)", stats)
    assert stats["refused"] and stats["round-trip"], stats


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
    # Refused before any request only when the value cannot go into an HTTP header: a control character, or, for
    # the token (sent as it is, not base64-encoded like the Basic credentials), a character beyond Latin-1.
    unsendable = has_control_character(secret)
    if option == "access_token":
        unsendable = unsendable or any(ord(char) > 0xFF for char in secret)
    if unsendable:
        if refused_early(result, log, option):
            stats["refused"] += 1
            return
        stats["other"] += 1
        raise AssertionError("%s %r cannot be sent and must be refused before any request: %s; log %s"
                             % (option, secret, result, log))
    if [(e["method"], e["status"]) for e in log] == [("DELETE", 401)] and result.get("failed") \
            and "HTTP 401" in result.get("msg", ""):
        stats["round-trip"] += 1
        return
    stats["other"] += 1
    raise AssertionError("%s %r must be sent, and the wrong credential refused by the API (one DELETE, 401): %s; log %s"
                         % (option, secret, result, log))


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
    assert stats["refused"] and stats["round-trip"], stats


LONG_VALUES = [
    pytest.param("x" * 1024, True, id="1024-ascii"),
    pytest.param("é/" * 512, True, id="1024-latin1-and-slashes"),
    pytest.param("😀" * 1024, True, id="1024-emoji"),
    pytest.param("x" * 1025, False, id="1025-ascii"),
    pytest.param("x" * 4096, False, id="4096-ascii"),
    pytest.param("😀" * 20000, False, id="20000-emoji"),
]


@pytest.mark.parametrize("value, allowed", LONG_VALUES)
def test_very_long_name(value, allowed, fuzz_sim, report, nodeid):
    """The documentation accepts names of up to 1024 characters and refuses longer ones."""
    module = inproc.load_module("confluent_connector")
    fuzz_sim.clear_log()
    result = inproc.run_main(module, dict(base_args(fuzz_sim, "confluent_connector"), name=value))
    log = fuzz_sim.log()
    refused = refused_early(result, log, "name")
    expected = ["connect", "v1", "environments", ENV, "clusters", CLUSTER, "connectors", value]
    problem = round_trip_problem(result, log, expected)
    stats = collections.Counter(examples=1, requests=len(log), refused=int(refused),
                                other=int(not refused and problem is not None),
                                tracebacks=int(result.get("uncaught") is not None))
    stats["round-trip"] = int(problem is None)
    record(report, nodeid, "connector name of %d characters (%d bytes encoded): %s" % (
        len(value), len(h.encode_segment(value)), "sent" if allowed else "refused"), stats)
    assert result.get("uncaught") is None, result["uncaught"]
    if allowed:
        assert problem is None, "a name of %d characters must be sent: %s" % (len(value), problem)
    else:
        assert refused, "a name of %d characters must be refused before any request: %s; log %s" % (
            len(value), result.get("msg"), [(e["method"], e["status"]) for e in log])
        assert "1024" in result["msg"], result["msg"]

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What came of one scenario of the fault matrix (rel_scenarios.py), and what differs from what must come of it: the
task's outcome and message, the requests the simulator saw, the waits between them, the final state."""

from __future__ import annotations

import rel_harness as h
from rel_scenarios import CLUSTER, ENV, AnyOf

# A retry may come this much sooner than asked (clock granularity) and this much later than the jitter allows
# (process scheduling on a busy 2-core machine) before the wait counts as wrong.
EARLY_TOLERANCE = 0.05
LATE_TOLERANCE = 1.0
# The retry_wait a task reports may differ this much from the waits measured between its attempts: the measured
# gaps also hold the time the client takes to read an answer, give up on it and connect again.
REPORTED_TOLERANCE = 0.5


def requests_match(observed, expected):
    return len(observed) == len(expected) and all(
        got_method == method and (got in status if isinstance(status, AnyOf) else got == status)
        for (got_method, got), (method, status) in zip(observed, expected))


def jitter_ceiling(asked, max_delay):
    spread = min(5.0, max(0.1, asked * 0.25))
    return min(float(max_delay), asked + spread)


def measure_waits(scenario, entries, result, date_epoch, record):
    """Each expected wait against what the request log shows: [{kind, asked, low, high, measured, overshoot}]."""
    max_delay = scenario.options.get("api_retry_max_delay", 60)
    measured = []
    for index, spec in enumerate(scenario.waits):
        if spec is None:
            continue
        kind = spec[0]
        if kind == "refused":
            # No server sees a refused connection: the task's duration, taken by the callback outside the module,
            # is what the module's backoffs (attempt 1 to spec[2], up to 1, 2, ... s each) took in all.
            if record is None or not record.get("start"):
                continue
            high = sum(min(float(max_delay), 2.0 ** (attempt - 1)) for attempt in range(spec[1], spec[2] + 1))
            value = record["end"] - record["start"]
            measured.append(dict(kind=kind, asked="backoff <= %g s in all" % high, low=0.0, high=high,
                                 measured=value, overshoot=value - high, sleep=value))
            continue
        if kind == "wait_timeout":
            deletes = [e for e in entries if e["method"] == "DELETE"]
            if not deletes or record is None:
                continue
            # The module gives up at the first poll after the deadline; that poll is the last request.
            accepted = deletes[0]["started"] + deletes[0]["duration"]
            value = entries[-1]["started"] - accepted
            measured.append(dict(kind=kind, asked="wait_timeout %g s" % spec[1], low=spec[1], high=spec[1],
                                 measured=value, overshoot=value - spec[1], sleep=None))
            continue
        if index + 1 >= len(entries):
            continue
        first, second = entries[index], entries[index + 1]
        answered = first["started"] + first["duration"]
        if kind == "server":
            low, high, asked = spec[1], jitter_ceiling(spec[1], max_delay), "%g s" % spec[1]
            value = second["started"] - answered
        elif kind == "date":
            low = max(0.0, date_epoch - answered)
            high, asked = jitter_ceiling(low, max_delay), "until the date (%.2f s)" % low
            value = second["started"] - answered
        elif kind == "backoff":
            low, high = 0.0, min(float(max_delay), 2.0 ** (spec[1] - 1))
            asked, value = "backoff <= %g s" % high, second["started"] - answered
        else:  # timeout: measured from when the request was sent
            low, high = float(spec[1]), spec[1] + 2.0 ** (spec[2] - 1)
            asked, value = "timeout %g s + backoff" % spec[1], second["started"] - first["started"]
        # The part of the gap that the client spent sleeping before the retry.
        sleep = value - spec[1] if kind == "timeout" else value
        measured.append(dict(kind=kind, asked=asked, low=low, high=high, measured=value, overshoot=value - high,
                             sleep=sleep))
    return measured


def reported_wait_problems(scenario, obs):
    """The retry_wait the task reports against the waits measured between its attempts (empty: they agree)."""
    expected = [w for w in scenario.waits if w is not None and w[0] != "wait_timeout"]
    waits = [w for w in obs["waits"] if w["sleep"] is not None]
    if obs["retry_wait"] is None or len(waits) != len(expected):
        return []  # a missing result or wait is reported on its own
    reported = float(obs["retry_wait"])
    slept = sum(w["sleep"] for w in waits)
    if any(w["kind"] == "refused" for w in waits):
        # The task's duration also holds the module's start and the refused attempts: a little more, never less.
        low, high = reported - EARLY_TOLERANCE, reported + LATE_TOLERANCE
        measured = "the whole task took %.2f s" % slept
    else:
        low, high = reported - EARLY_TOLERANCE * max(1, len(waits)), reported + REPORTED_TOLERANCE * max(1, len(waits))
        measured = "the simulator's log shows %.2f s between its attempts (beyond the time each took)" % slept
    if not low <= slept <= high:
        return ["the task reports retry_wait %.2f s, but %s" % (reported, measured)]
    return []


def observe(scenario, record, entries, state, date_epoch=None):
    """What happened to one scenario: outcome, requests, waits, final state, tracebacks."""
    result = (record or {}).get("result") or {}
    status = (record or {}).get("status", "missing")
    if scenario.module == "connector":
        present = (ENV, CLUSTER, scenario.resource) in h.connectors_in(state)
        final_detail = "present" if present else "gone"
    else:
        final_detail = h.environment_status(state, scenario.resource)
    final = "present" if final_detail == "present" else "deleted"
    warnings = [w["event"]["msg"] if isinstance(w, dict) and "event" in w else str(w)
                for w in result.get("warnings") or []]
    obs = {
        "outcome": status,
        "changed": bool(result.get("changed")),
        "requests": [(e["method"], e["status"]) for e in entries],
        "retries": result.get("retries"),
        "msg": result.get("msg", ""),
        "warnings": warnings,
        "final": final,
        "final_detail": final_detail,
        "tracebacks": h.traceback_signs(result) if record else ["no task result"],
        "waits": measure_waits(scenario, entries, result, date_epoch, record),
        "retry_wait": result.get("retry_wait"),
        "error": result.get("error", "absent"),
    }
    return obs


def problems(scenario, obs):
    """Everything that differs from the expectation (empty: the row passes)."""
    found = []
    if obs["tracebacks"]:
        found.append("traceback or unhandled error: %s; msg=%r" % (obs["tracebacks"], obs["msg"][:300]))
    if obs["outcome"] != scenario.outcome:
        found.append("outcome %s, expected %s (msg=%r)" % (obs["outcome"], scenario.outcome, obs["msg"][:300]))
    if scenario.expect_changed is not None and obs["changed"] != scenario.expect_changed:
        found.append("changed=%s, expected changed=%s" % (obs["changed"], scenario.expect_changed))
    if scenario.requests is not None and not requests_match(obs["requests"], scenario.requests):
        found.append("requests %s, expected %s" % (obs["requests"], scenario.requests))
    if scenario.requests is None:
        found += _polling_problems(scenario, obs)
    if obs["final"] != scenario.final:
        found.append("final state %s, expected %s" % (obs["final_detail"], scenario.final))
    for text in scenario.msg:
        if text not in obs["msg"]:
            found.append("msg lacks %r: %r" % (text, obs["msg"][:300]))
    if scenario.warning and not any(scenario.warning in w for w in obs["warnings"]):
        found.append("no warning with %r in %s" % (scenario.warning, obs["warnings"]))
    if scenario.error_none and obs["outcome"] == "failed" and obs["error"] is not None:
        found.append("error should be null for a body that is not JSON, got %r" % (obs["error"],))
    last_status = obs["requests"][-1][1] if obs["requests"] else None
    if obs["outcome"] == "failed" and last_status is not None and last_status >= 300 and "X-Request-Id" not in obs["msg"]:
        found.append("failure message without the X-Request-Id: %r" % obs["msg"][:300])
    if scenario.kind == "transient" and scenario.requests and obs["retries"] is not None \
            and scenario.phase in ("delete", "check") and obs["retries"] != len(scenario.requests) - 1:
        found.append("reported retries=%s, expected %d" % (obs["retries"], len(scenario.requests) - 1))
    expected_waits = [w for w in scenario.waits if w is not None]
    if len(obs["waits"]) != len(expected_waits) and obs["outcome"] == scenario.outcome:
        found.append("measured %d waits, expected %d" % (len(obs["waits"]), len(expected_waits)))
    for wait in obs["waits"]:
        if wait["kind"] == "date" and wait["low"] < 1.0:
            found.append("harness too slow: the request came %.2f s before its Retry-After date, too late to "
                         "measure the wait" % wait["low"])
        if wait["measured"] < wait["low"] - EARLY_TOLERANCE:
            found.append("retried %.2f s early (%s, waited %.2f s)" % (wait["low"] - wait["measured"], wait["asked"],
                                                                       wait["measured"]))
        if wait["overshoot"] > LATE_TOLERANCE:
            found.append("waited %.2f s longer than allowed (%s, waited %.2f s)" % (
                wait["overshoot"], wait["asked"], wait["measured"]))
    found += reported_wait_problems(scenario, obs)
    deletes = [status for method, status in obs["requests"] if method == "DELETE"]
    if None in deletes and 404 in deletes[deletes.index(None):] and obs["outcome"] == "changed" \
            and not any("reported as changed" in w for w in obs["warnings"]):
        found.append("a DELETE that got no answer was found gone on its retry and reported changed without the "
                     "warning that says so: %s" % obs["warnings"])
    return found


def _polling_problems(scenario, obs):
    requests = obs["requests"]
    found = []
    if not requests or requests[0] != ("DELETE", 204):
        found.append("the first request should be the accepted DELETE: %s" % requests)
    fault_statuses = [f.get("status") if f["action"] == "respond" else None for f in scenario.faults]
    polls = [status for method, status in requests[1:]]
    if any(method != "GET" for method, status in requests[1:]):
        found.append("only GET polls may follow the DELETE: %s" % requests)
    if fault_statuses and scenario.key != "never-gone" and (not polls or polls[0] != fault_statuses[0]):
        found.append("the first poll should meet the fault (%s): %s" % (fault_statuses[0], requests))
    if scenario.outcome == "changed" and (not polls or polls[-1] != 404):
        found.append("the wait should end with a 404: %s" % requests)
    return found


def describe_requests(requests):
    parts = []
    for method, status in requests:
        parts.append("%s %s" % ("GET" if method == "GET" else "DEL", "drop" if status is None else status))
    return ", ".join(parts)

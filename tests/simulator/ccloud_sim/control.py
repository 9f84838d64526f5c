"""The control API under /_sim/: state, request log, faults, configuration, clock, seed and reset."""

from __future__ import annotations

import json

from .common import SeedError


def _document(body):
    """The request's JSON body, or None when it has none."""
    if not body:
        return None
    return json.loads(body.decode("utf-8"))


def _ok(action):
    def run(sim, _body):
        action(sim)
        return {"ok": True}
    return run


def _add_faults(sim, body):
    doc = _document(body)
    if doc is None:
        raise SeedError("POST /_sim/faults needs a JSON body (one fault or a list)")
    return {"faults": sim.add_faults(doc)}


def _advance_clock(sim, body):
    doc = _document(body)
    if not isinstance(doc, dict) or set(doc) != {"advance"}:
        raise SeedError('POST /_sim/clock needs a JSON body {"advance": SECONDS}')
    return sim.advance_clock(doc["advance"])


def _load_seed(sim, body):
    doc = _document(body)
    sim.load_seed(doc if doc is not None else {})
    return sim.state()


def _reset(sim, _body):
    sim.reset()
    return sim.state()


# (path, method) -> what it does with the simulator and the request body; the answer is its JSON result.
ENDPOINTS = {
    ("/_sim/log", "GET"): lambda sim, _body: sim.log(),
    ("/_sim/log", "DELETE"): _ok(lambda sim: sim.clear_log()),
    ("/_sim/state", "GET"): lambda sim, _body: sim.state(),
    ("/_sim/health", "GET"): lambda sim, _body: {"ok": True},
    ("/_sim/faults", "GET"): lambda sim, _body: sim.faults(),
    ("/_sim/faults", "POST"): _add_faults,
    ("/_sim/faults", "DELETE"): _ok(lambda sim: sim.clear_faults()),
    ("/_sim/config", "GET"): lambda sim, _body: sim.state()["config"],
    ("/_sim/config", "POST"): lambda sim, body: sim.configure(_document(body) or {}),
    ("/_sim/clock", "GET"): lambda sim, _body: sim.clock(),
    ("/_sim/clock", "POST"): _advance_clock,
    ("/_sim/seed", "POST"): _load_seed,
    ("/_sim/reset", "POST"): _reset,
}
KNOWN_PATHS = {path for path, dummy in ENDPOINTS}


def answer(sim, method, target, body):
    """(status, JSON-able answer) of a control request."""
    path = target.split("?", 1)[0].rstrip("/")
    endpoint = ENDPOINTS.get((path, method))
    try:
        if endpoint is not None:
            return 200, endpoint(sim, body)
        if path in KNOWN_PATHS:
            return 405, {"error": "method %s not allowed on %s" % (method, path)}
        return 404, {"error": "unknown control endpoint %s" % path}
    except (SeedError, ValueError) as exc:
        return 400, {"error": str(exc)}

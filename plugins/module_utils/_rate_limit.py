# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rate-limit budget of an API key: shared by the runs of one controller, paced against runs it cannot see.

Forks, and job templates on one controller, are separate processes: each one would learn of the limit only from its
own 429s, and they would all come back at the same instant and be refused again. Instead every answer's
X-RateLimit-Remaining and X-RateLimit-Reset (relative seconds) go into a small private state file per endpoint and
credential, and every request takes one unit of that budget first. With the budget spent, requests wait for the
window to reset; the first request of the new window then goes alone, and the others wait for its answer to learn
the new budget, so that a clock skew between us and the server costs at most one 429. Without rate-limit headers
nothing is recorded and nothing waits: then it costs one failed stat() per request.

Runs on other controllers (other execution nodes, other containers) spend the same budget without sharing that
file, and their requests are invisible until a 429 shows that the budget went elsewhere. Then the runs of this
controller pace themselves, as the AWS SDKs' "adaptive" retry mode does, with a sending rate kept in the state file:

- a 429 cuts the rate to a quarter of what this controller measured itself sending over the last few windows (at
  most once a window), never below a floor of FLOOR_SHARE of the key's limit;
- every success raises it by a quarter, and at least to what the answer shows left of its window; a success that
  finds its window untouched by anyone else (the others stopped) ends the pacing at once, as does a rate that
  reaches the key's whole limit;
- while paced, requests leave at the rate (each interval jittered, so that controllers do not keep colliding in
  step), and the requests a window still allows are spread over that window instead of being sent at its start.

Against a fixed-window limiter the controllers then take turns: one sends at the key's full rate, the others look
in at the floor rate, and the first of them to find a window free after the first one finished takes over. Sharing
each window instead costs far more 429s for the same wall time, since a controller cannot tell when a window that
others opened will end. The floor trades the 429s of those looks against the time a turn takes to pass on; the
constants were chosen with a model of K controllers x F forks against the simulator's limiter, of which
tests/unit/plugins/module_utils/test_rate_limit_model.py keeps a small version, and are measured by scenario 5 of
make bench (docs/performance.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import random
import tempfile
import time

from ._retry import parse_seconds

try:
    import fcntl
except ImportError:  # not a POSIX controller: every run only follows its own answers
    fcntl = None

# A window announced to last longer than this is garbage, not a budget to keep.
LONGEST_WINDOW_SECONDS = 3600.0
# A budget whose window ended this long ago, with no request since, says nothing about the present one.
FORGET_AFTER_SECONDS = 60.0
# How long the others wait for the answer of the first request of a new window before one of them goes too.
PROBE_SECONDS = 5.0
# How often waiting runs look whether the first request of a new window has been answered.
POLL_SECONDS = 0.02
# Pacing: a 429 cuts the rate to this share of the rate measured over MEASURE_WINDOWS windows ...
CUT_TO = 0.25
MEASURE_WINDOWS = 3.0
# ... each success raises it by this share ...
RAISE_BY = 0.25
# ... and it never goes below this share of the key's limit (requests per window).
FLOOR_SHARE = 0.05
# Each interval between paced requests is the rate's, times a random factor in 1 +/- PACE_JITTER.
PACE_JITTER = 0.5
# Sends remembered for measuring the rate.
SENDS_KEPT = 32
# A wait shorter than this is no wait: it keeps float rounding from looping.
EPSILON = 1e-6

_NUMBERS = ("window_end", "probe_until", "window", "rate", "cut_at", "last", "gap", "next_at")


def default_directory():
    return tempfile.gettempdir()


class SharedRateLimit:
    """The budget of one endpoint and credential; ``now``, ``sleep`` and ``rand`` are injectable for tests."""

    def __init__(self, endpoint, credential, directory=None, now=None, sleep=None, rand=None):
        digest = hashlib.sha256(("%s\0%s" % (endpoint, credential)).encode("utf-8")).hexdigest()[:32]
        self.path = os.path.join(directory or default_directory(), "kafkaops-confluent-cloud-rate-%s.json" % digest)
        self._now = now or time.time
        self._sleep = sleep or time.sleep
        self._rand = rand or random.random

    def acquire(self, max_wait=None):
        """Take one request from the budget, sleeping until there is one; return the seconds slept.

        A budget that would take longer than ``max_wait`` in all is not waited for: the request then goes at once,
        and the server's own answer (most likely a 429) tells the task what to do.
        """
        slept = 0.0
        while True:
            wait = self._take()
            if wait <= 0 or (max_wait is not None and slept + wait > max_wait):
                return slept
            self._sleep(wait)
            slept += wait

    def record(self, status, headers, server_wait=None):
        """Learn the budget from an answer; a 429 spends it until ``server_wait`` seconds from now."""
        remaining, reset, limit = announced_budget(headers)
        announced = remaining is not None and reset is not None
        if server_wait is not None and server_wait > LONGEST_WINDOW_SECONDS:
            server_wait = None
        if status == 429 and (reset is not None or server_wait is not None):
            reset = max(reset or 0.0, server_wait or 0.0)
            remaining = 0
        if remaining is None or reset is None:
            self.no_answer()
            return
        if fcntl is None:
            return
        now = self._now()
        with self._state() as state:
            if state is not None:
                learn(state, now, status, remaining, reset, limit, paced=announced)

    def no_answer(self):
        """The request got no budget information: let another run be the first of the new window."""
        if fcntl is None or not os.path.exists(self.path):
            return
        with self._state() as state:
            if state:
                state.pop("probe_until", None)

    def rate(self):
        """The paced rate of this controller in requests per second, None when it is not paced (for tests)."""
        if fcntl is None or not os.path.exists(self.path):
            return None
        with self._state() as state:
            return (state or {}).get("rate")

    def _take(self):
        """Seconds to wait before asking again, or 0 once a unit of budget (or no known limit) allows sending."""
        if fcntl is None or not os.path.exists(self.path):
            return 0.0
        now = self._now()
        with self._state() as state:
            if state is None:
                return 0.0
            return take(state, now, self._rand)

    @contextlib.contextmanager
    def _state(self):
        """The state file, locked; yields None when it cannot be used (then nobody is coordinated)."""
        try:
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except OSError:
            yield None
            return
        with os.fdopen(descriptor, "r+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                state = json.loads(handle.read() or "{}")
            except ValueError:
                state = {}
            if not is_valid(state):
                state = {}
            before = json.dumps(state, sort_keys=True)
            yield state
            if json.dumps(state, sort_keys=True) != before:
                handle.seek(0)
                handle.truncate()
                handle.write(json.dumps(state))


# The budget itself, on a plain dict (the state file's content) and an explicit clock, so that it can be tested and
# modelled without files or real time.

def take(state, now, rand=random.random):
    """Take one unit of the budget: 0 when the request may go (and it is counted), else the seconds to wait."""
    if not state:
        return 0.0
    if now - max(state.get("window_end", 0.0), state.get("last", 0.0)) > FORGET_AFTER_SECONDS:
        state.clear()
        return 0.0
    first_of_window = False
    if window_is_open(state, now):
        if state["remaining"] <= 0:
            return state["window_end"] - now
    elif state.get("probe_until", 0.0) > now:
        return min(POLL_SECONDS, state["probe_until"] - now)
    elif "remaining" in state:
        first_of_window = True
    wait = max(state.get("next_at", 0.0), _paced_at(state)) - now
    if wait > EPSILON:
        return wait
    rate = state.get("rate")
    if first_of_window:
        state["probe_until"] = now + PROBE_SECONDS
    elif "remaining" in state:
        if rate:
            # Paced: what the window still allows is spread over what is left of it.
            state["next_at"] = now + (state["window_end"] - now) / state["remaining"]
        state["remaining"] -= 1
    state["last"] = now
    state["gap"] = 1.0 + PACE_JITTER * (2.0 * rand() - 1.0)
    sends = [moment for moment in state.get("sends", []) if moment > now - _horizon(state)]
    state["sends"] = (sends + [now])[-SENDS_KEPT:]
    return 0.0


def learn(state, now, status, remaining, reset, limit=None, paced=True):
    """Record an answer: ``remaining`` requests for ``reset`` more seconds (a 429: none).

    ``paced`` false: the answer did not announce the key's budget (a 429 with only Retry-After), so it says nothing
    about other runs spending it, and the pacing is left as it is.
    """
    if limit:
        state["limit"] = limit
        if status != 429 and remaining == limit - 1 and reset >= 1:
            # The first request of a window sees its whole length (Confluent rounds it up to whole seconds).
            state["window"] = float(reset)
    if status == 429:
        if paced and now - state.get("cut_at", -math.inf) >= _window(state):
            measured = measured_rate(state, now)
            if measured is not None:
                base = min(measured, state.get("rate") or measured)
                state["rate"] = max(_floor(state), CUT_TO * base)
                state["cut_at"] = now
    elif paced and "rate" in state:
        rate = max(state["rate"] * (1.0 + RAISE_BY), remaining / max(reset, 1.0))
        untouched = limit is not None and remaining >= limit - 1
        if untouched or (limit and rate >= limit / _window(state)):
            for key in ("rate", "next_at"):
                state.pop(key, None)
        else:
            state["rate"] = rate
    window_end = now + reset
    if window_is_open(state, now):
        # Answers cross on the way back: keep the smallest budget of this window. The end an answer announces is an
        # upper bound (the server rounds it up), so that of a later answer in the same window (one that leaves no
        # more than we knew) is kept if earlier; one with more left is from another window, and a 429 may be from
        # the next one: they never bring the end forward.
        if status == 429 or remaining > state["remaining"]:
            window_end = max(window_end, state["window_end"]) if status == 429 else state["window_end"]
        else:
            window_end = min(window_end, state["window_end"])
        remaining = min(remaining, state["remaining"])
    state.pop("probe_until", None)
    state.update(window_end=window_end, remaining=remaining)


def measured_rate(state, now):
    """Requests per second this controller sent over the last MEASURE_WINDOWS windows; None if it sent none."""
    sends = [moment for moment in state.get("sends", []) if moment > now - _horizon(state)]
    if not sends:
        return None
    return len(sends) / max(now - sends[0], _window(state))


def window_is_open(state, now):
    return "remaining" in state and now < state.get("window_end", 0.0)


def is_valid(state):
    if not isinstance(state, dict) or not isinstance(state.get("remaining", 0), int):
        return False
    if not all(_finite(state.get(key, 0.0)) for key in _NUMBERS):
        return False
    if not isinstance(state.get("limit", 1), int) or state.get("limit", 1) < 1:
        return False
    if state.get("window", 1.0) <= 0 or state.get("rate", 1.0) <= 0:
        return False
    sends = state.get("sends", [])
    return isinstance(sends, list) and all(_finite(moment) for moment in sends)


def announced_budget(headers):
    """(remaining, seconds until the window resets, limit) from an answer's headers; None for what it lacks.

    A reset beyond LONGEST_WINDOW_SECONDS is no window anyone waits for: it would only keep a broken budget in the
    state file, so it counts as missing.
    """
    reset = parse_seconds(headers.get("X-RateLimit-Reset"))
    if reset is not None and reset > LONGEST_WINDOW_SECONDS:
        reset = None
    return _count(headers.get("X-RateLimit-Remaining"), 0), reset, _count(headers.get("X-RateLimit-Limit"), 1)


def _count(value, minimum):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number >= minimum else None


def _finite(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _window(state):
    return state.get("window", 1.0)


def _horizon(state):
    return MEASURE_WINDOWS * _window(state)


def _floor(state):
    return FLOOR_SHARE * state.get("limit", 1) / _window(state)


def _paced_at(state):
    """When the rate lets the next request go."""
    if not state.get("rate"):
        return 0.0
    return state.get("last", 0.0) + state.get("gap", 1.0) / state["rate"]

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One rate-limit budget shared by all runs on this machine that use the same API key.

Forks, and job templates on one controller, are separate processes: each one would learn of the limit only from its
own 429s, and they would all come back at the same instant and be refused again. Instead every answer's
X-RateLimit-Remaining and X-RateLimit-Reset (relative seconds) go into a small private state file per endpoint and
credential, and every request takes one unit of that budget first. With the budget spent, requests wait for the
window to reset; the first request of the new window then goes alone, and the others wait for its answer to learn
the new budget, so that a clock skew between us and the server costs at most one 429. Without rate-limit headers
nothing is recorded and nothing waits: then it costs one failed stat() per request.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time

from ._retry import parse_seconds

try:
    import fcntl
except ImportError:  # not a POSIX controller: every run only follows its own answers
    fcntl = None

# A budget whose window ended this long ago says nothing about the present one.
FORGET_AFTER_SECONDS = 60.0
# How long the others wait for the answer of the first request of a new window before one of them goes too.
PROBE_SECONDS = 5.0
# How often waiting runs look whether the first request of a new window has been answered.
POLL_SECONDS = 0.02


def default_directory():
    return tempfile.gettempdir()


class SharedRateLimit:
    """``now`` and ``sleep`` are injectable so tests need no real time."""

    def __init__(self, endpoint, credential, directory=None, now=None, sleep=None):
        digest = hashlib.sha256(("%s\0%s" % (endpoint, credential)).encode("utf-8")).hexdigest()[:32]
        self.path = os.path.join(directory or default_directory(), "kafkaops-confluent-cloud-rate-%s.json" % digest)
        self._now = now or time.time
        self._sleep = sleep or time.sleep

    def acquire(self, max_wait=None):
        """Take one request from the budget, sleeping until there is one; return the seconds slept.

        A budget that would take longer than ``max_wait`` in all is not waited for: the request then goes at once,
        and the server's own answer (most likely a 429 whose wait is too long to retry) tells the task what to do.
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
        remaining, reset = _announced_budget(headers)
        if status == 429:
            remaining = 0
            reset = max(reset or 0.0, server_wait or 0.0)
        if remaining is None or reset is None:
            self.no_answer()
            return
        if fcntl is None:
            return
        now = self._now()
        window_end = now + reset
        with self._state() as state:
            if state is None:
                return
            if _window_is_open(state, now):
                # Answers cross on the way back: keep the smallest budget and the latest end seen for this window.
                remaining = min(remaining, state["remaining"])
                window_end = max(window_end, state["window_end"])
            state.clear()
            state.update(window_end=window_end, remaining=remaining)

    def no_answer(self):
        """The request got no budget information: let another run be the first of the new window."""
        if fcntl is None or not os.path.exists(self.path):
            return
        with self._state() as state:
            if state:
                state.pop("probe_until", None)

    def _take(self):
        """Seconds to wait before asking again, or 0 once a unit of budget (or no known limit) allows sending."""
        if fcntl is None or not os.path.exists(self.path):
            return 0.0
        now = self._now()
        with self._state() as state:
            if not state or now - state.get("window_end", 0.0) > FORGET_AFTER_SECONDS:
                return 0.0
            if _window_is_open(state, now):
                if state.get("remaining", 0) > 0:
                    state["remaining"] -= 1
                    return 0.0
                return state["window_end"] - now
            if state.get("probe_until", 0.0) > now:
                return min(POLL_SECONDS, state["probe_until"] - now)
            state["probe_until"] = now + PROBE_SECONDS
            return 0.0

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
            if not _is_valid(state):
                state = {}
            before = dict(state)
            yield state
            if state != before:
                handle.seek(0)
                handle.truncate()
                handle.write(json.dumps(state))


def _is_valid(state):
    return (isinstance(state, dict) and isinstance(state.get("remaining", 0), int)
            and all(isinstance(state.get(key, 0.0), (int, float)) for key in ("window_end", "probe_until")))


def _window_is_open(state, now):
    return "remaining" in state and now < state.get("window_end", 0.0)


def _announced_budget(headers):
    """(remaining requests, seconds until the window resets) from the answer's headers; None for what it lacks."""
    try:
        remaining = max(0, int(headers.get("X-RateLimit-Remaining")))
    except (TypeError, ValueError):
        remaining = None
    return remaining, parse_seconds(headers.get("X-RateLimit-Reset"))

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Takes turns between parallel module runs that share one API key, once the API has rate-limited that key.

Forks, and job templates on one controller, are separate processes: each one learns of a 429 only from its own
answers, and they would all come back at the same instant and be refused again. They share one small state file per
endpoint and credential in the temporary directory: after a 429 nobody sends before the time the server named, and
from then on each request takes the next free slot, spaced by the rate the server announced (X-RateLimit-Limit per
window), until no 429 has been seen for a while. Without a recent 429 it costs one failed stat() per request.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time

try:
    import fcntl
except ImportError:  # not a POSIX controller: every run paces only itself
    fcntl = None

FORGET_AFTER_SECONDS = 60.0
MAX_INTERVAL_SECONDS = 10.0


def default_directory():
    return tempfile.gettempdir()


class SharedPacer:
    """``now`` and ``sleep`` are injectable so tests need no real time."""

    def __init__(self, endpoint, credential, directory=None, now=None, sleep=None):
        digest = hashlib.sha256(("%s\0%s" % (endpoint, credential)).encode("utf-8")).hexdigest()[:32]
        self.path = os.path.join(directory or default_directory(), "kafkaops-confluent-cloud-pace-%s.json" % digest)
        self._now = now or time.time
        self._sleep = sleep or time.sleep

    def wait_for_turn(self):
        """Sleep until this request's slot while the key is being rate-limited; return the seconds slept."""
        if fcntl is None or not os.path.exists(self.path):
            return 0.0
        now = self._now()
        with self._state() as state:
            if now - state.get("throttled_at", 0.0) > FORGET_AFTER_SECONDS:
                return 0.0
            slot = max(now, state.get("next_slot", now))
            state["next_slot"] = slot + state.get("interval", 0.0)
        wait = slot - now
        if wait > 0:
            self._sleep(wait)
        return wait

    def throttled(self, delay, headers):
        """Record a 429: nobody sends for ``delay`` seconds, and later requests are spaced by the announced rate."""
        if fcntl is None:
            return
        now = self._now()
        interval = _announced_interval(headers)
        with self._state() as state:
            recent = now - state.get("throttled_at", 0.0) <= FORGET_AFTER_SECONDS
            state.update(throttled_at=now, interval=interval,
                         next_slot=max(state.get("next_slot", 0.0) if recent else 0.0, now + delay))

    @contextlib.contextmanager
    def _state(self):
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(descriptor, "r+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                state = json.loads(handle.read() or "{}")
            except ValueError:
                state = {}
            if not isinstance(state, dict):
                state = {}
            before = dict(state)
            yield state
            if state != before:
                handle.seek(0)
                handle.truncate()
                handle.write(json.dumps(state))


def _announced_interval(headers):
    """Seconds between requests that X-RateLimit-Limit allows, taking the window as what X-RateLimit-Reset says is left.

    Without those headers the rate is unknown: the runs then only share the server's wait, without spacing.
    """
    try:
        limit = int(headers.get("X-RateLimit-Limit"))
        window = max(1.0, float(headers.get("X-RateLimit-Reset") or 1))
    except (TypeError, ValueError):
        return 0.0
    if limit <= 0:
        return 0.0
    return min(MAX_INTERVAL_SECONDS, window / limit)

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How long to wait before retrying: the server's word first, else jittered exponential backoff."""

from __future__ import annotations

import math
import random
import time
from email.utils import parsedate_to_datetime

RETRYABLE_STATUSES = frozenset((429, 500, 502, 503, 504))
BACKOFF_BASE_SECONDS = 1.0
# Forks sharing one API key would all come back at the same instant after a server-given wait;
# spreading them by a fraction of that wait keeps them from stampeding the next rate-limit window.
SERVER_WAIT_JITTER_FRACTION = 0.25
SERVER_WAIT_JITTER_MIN = 0.1
SERVER_WAIT_JITTER_MAX = 5.0


class RetryPolicy:
    """Chooses waits between attempts. ``rand`` and ``now`` are injectable so tests need no real time."""

    def __init__(self, max_delay, rand=None, now=None):
        self.max_delay = float(max_delay)
        self._rand = rand or random.random
        self._now = now or time.time

    def server_wait(self, status, headers):
        """Seconds the server asked us to wait, or None when it did not say.

        Retry-After (seconds or an HTTP-date) wins; X-RateLimit-Reset, which Confluent sends as
        RELATIVE seconds until the window resets, counts only on 429: on other answers it describes
        a window we are not blocked by.
        """
        wait = parse_retry_after(headers.get("Retry-After"), self._now())
        if wait is None and status == 429:
            wait = parse_seconds(headers.get("X-RateLimit-Reset"))
        return wait

    def jittered(self, server_wait):
        """A server-given wait plus a little jitter, never beyond max_delay."""
        spread = min(SERVER_WAIT_JITTER_MAX, max(SERVER_WAIT_JITTER_MIN, server_wait * SERVER_WAIT_JITTER_FRACTION))
        return min(self.max_delay, server_wait + self._rand() * spread)

    def backoff(self, retry_number):
        """Exponential backoff with full jitter: uniform in [0, min(max_delay, base * 2**(n-1))]."""
        ceiling = min(self.max_delay, BACKOFF_BASE_SECONDS * (2 ** (retry_number - 1)))
        return self._rand() * ceiling


def parse_seconds(value):
    """A non-negative number of seconds from a header, or None if absent or malformed (negative included)."""
    if value is None:
        return None
    try:
        seconds = float(str(value).strip())
    except ValueError:
        return None
    if not math.isfinite(seconds) or seconds < 0:
        return None
    return seconds


def parse_retry_after(value, now):
    """Retry-After as delay-seconds or as an HTTP-date (RFC 9110), relative to ``now`` (epoch seconds)."""
    seconds = parse_seconds(value)
    if seconds is not None or value is None:
        return seconds
    try:
        moment = parsedate_to_datetime(str(value).strip())
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - now)

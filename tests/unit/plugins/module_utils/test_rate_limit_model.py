# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Controllers that share an API key but no disk, against the simulator's fixed-window limiter, in simulated time.

Each controller is a state dict (its forks' state file) driven by the budget logic of _rate_limit, each fork a
generator that deletes its share one request at a time as the client does: take from the budget, send, learn from the
answer, and after a 429 wait what the server asked (plus the client's jitter) before trying again. Nothing sleeps.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils import _rate_limit

LATENCY = (0.002, 0.015)  # each way
TASK_OVERHEAD = (0.01, 0.05)


class FixedWindow:
    """tests/simulator's limiter: ``limit`` requests per ``window`` seconds, a window opening with its first request."""

    def __init__(self, limit, window=1.0):
        self.limit, self.window = limit, window
        self.start, self.count = None, 0
        self.log = []

    def answer(self, now):
        if self.start is None or now >= self.start + self.window:
            self.start, self.count = now, 0
        reset = max(1, math.ceil(round(self.start + self.window - now, 9)))
        status = 429 if self.count >= self.limit else 200
        self.count += status == 200
        self.log.append((now, status))
        return status, self.limit - self.count, reset


def fork(clock, rng, server, state, items, start, stats):
    yield start
    for dummy in range(items):
        yield rng.uniform(*TASK_OVERHEAD)
        while True:
            while True:
                wait = _rate_limit.take(state, clock[0], rng.random)
                if wait <= 0:
                    break
                yield wait
            yield rng.uniform(*LATENCY)
            status, remaining, reset = server.answer(clock[0])
            yield rng.uniform(*LATENCY)
            server_wait = reset if status == 429 else None
            if status == 429:
                _rate_limit.learn(state, clock[0], 429, 0, reset, server.limit)
                yield server_wait + rng.random() * max(0.1, 0.25 * server_wait)  # the client's jittered wait
                continue
            _rate_limit.learn(state, clock[0], status, remaining, reset, server.limit)
            stats["done"].append((clock[0], id(state)))
            break


def run(controllers, forks, limit, items, seed, shares=None):
    """Simulate; return the server's log, the completions and the time the last fork finished."""
    rng = random.Random(seed)
    server = FixedWindow(limit)
    clock = [0.0]
    queue, order = [], itertools.count()
    stats = {"done": []}
    shares = shares or [len(range(index, items, controllers)) for index in range(controllers)]
    states = []
    for share in shares:
        state = {}
        states.append(state)
        started = rng.uniform(0.0, 1.5)  # ansible-playbook starting up
        for index in range(forks):
            mine = len(range(index, share, forks))
            process = fork(clock, rng, server, state, mine, started + rng.uniform(0.0, 0.4), stats)
            heapq.heappush(queue, (0.0, next(order), process))
    while queue:
        clock[0], dummy, process = heapq.heappop(queue)
        try:
            heapq.heappush(queue, (clock[0] + next(process), next(order), process))
        except StopIteration:
            pass
    return server.log, stats["done"], clock[0], states


@pytest.mark.parametrize("controllers, forks", [(2, 3), (3, 3), (4, 5)])
@pytest.mark.parametrize("limit, items", [(2, 150), (5, 300)])
def test_controllers_that_cannot_see_each_other_share_the_key_within_the_targets(controllers, forks, limit, items):
    for seed in range(3):
        log, done, finished, dummy = run(controllers, forks, limit, items, seed)
        throttled = sum(1 for dummy, status in log if status == 429)
        assert len(done) == items
        assert throttled <= items / 4.0, (seed, throttled)
        assert finished <= 1.3 * items / limit, (seed, finished)


def test_one_controller_alone_is_almost_never_refused():
    log, done, finished, dummy = run(1, 6, 2, 120, seed=1)
    assert len(done) == 120
    assert sum(1 for dummy, status in log if status == 429) <= 120 / 20.0
    assert finished <= 1.1 * 120 / 2


def test_after_the_others_stop_the_one_left_gets_the_whole_limit_back():
    # Controller 0 has three times the work of each of the others: it ends alone.
    log, done, finished, states = run(3, 3, 5, 300, seed=2, shares=[180, 60, 60])
    ours = id(states[0])
    others_done = max(moment for moment, who in done if who != ours)
    alone = [moment for moment, who in done if who == ours and moment > others_done + 5.0]
    assert len(alone) > 40
    # Once alone (after a few seconds of finding out), it sends at the whole limit again, unpaced.
    assert len(alone) / (alone[-1] - alone[0]) >= 0.9 * 5
    assert "rate" not in states[0]
    assert finished <= 1.3 * 300 / 5

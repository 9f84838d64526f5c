# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json
import math

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._rate_limit import SharedRateLimit
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import FakeTime

# The behaviour the documentation promises (docs/docsite/rst/rate_limits.rst), stated here and not imported from
# _rate_limit, so that changing a constant there fails a test: a 429 cuts the rate to a quarter of the measured one,
# never below 5% of the key's limit; each success raises it by a quarter; paced intervals vary by +/- 50%; the first
# request of a window goes alone for at most 5 s, its answer looked for every 0.02 s; a budget is forgotten a minute
# after its window.
CUT_TO_A_QUARTER = 0.25
FLOOR_OF_5_PERCENT = 0.05
RAISE_BY_A_QUARTER = 0.25
PACE_JITTER_HALF = 0.5
PROBE_5_SECONDS = 5.0
POLL_EVERY_20_MS = 0.02
FORGET_AFTER_A_MINUTE = 60.0


def budget(remaining, reset, limit=4):
    return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining), "X-RateLimit-Reset": str(reset)}


@pytest.fixture
def clock():
    return FakeTime()


def shared(tmp_path, clock, credential="Basic abc", rand=None):
    return SharedRateLimit("https://api.example.test", credential, directory=str(tmp_path), now=clock.time,
                           sleep=clock.sleep, rand=rand or (lambda: 0.5))


def test_nothing_waits_and_no_file_is_written_without_rate_limit_headers(tmp_path, clock):
    run = shared(tmp_path, clock)
    assert run.acquire() == 0.0
    run.record(200, {})
    assert run.acquire() == 0.0
    assert list(tmp_path.iterdir()) == []


def test_requests_spend_the_announced_budget_then_wait_for_the_window_to_reset(tmp_path, clock):
    forks = [shared(tmp_path, clock) for dummy in range(4)]
    forks[0].record(200, budget(remaining=2, reset=1.0))
    assert [fork.acquire() for fork in forks[:2]] == [0.0, 0.0]
    assert forks[2].acquire() == pytest.approx(1.0)


def test_after_the_window_the_first_request_goes_alone_until_its_answer_tells_the_new_budget(tmp_path, clock):
    first, second, third = (shared(tmp_path, clock) for dummy in range(3))
    first.record(200, budget(remaining=0, reset=0.5))
    clock.sleep(0.5)
    assert first.acquire() == 0.0  # the probe of the new window
    probe_sent = clock.now
    # The second waits for the probe's answer (polling), which arrives once the clock has moved 0.1 s on.
    original_sleep = clock.sleep

    def sleep_and_answer(seconds):
        original_sleep(seconds)
        if clock.now - probe_sent >= 0.1 and not answered:
            answered.append(True)
            first.record(200, budget(remaining=3, reset=1.0))

    answered = []
    second._sleep = sleep_and_answer
    assert 0.1 <= second.acquire() <= 0.1 + POLL_EVERY_20_MS + 1e-9
    assert third.acquire() == 0.0


def test_a_probe_without_an_answer_lets_another_go_after_a_while(tmp_path, clock):
    first, second = shared(tmp_path, clock), shared(tmp_path, clock)
    first.record(200, budget(remaining=0, reset=0.0))
    assert first.acquire() == 0.0
    assert second.acquire() == pytest.approx(PROBE_5_SECONDS)


def test_a_probe_that_got_no_answer_hands_the_first_turn_on_at_once(tmp_path, clock):
    first, second = shared(tmp_path, clock), shared(tmp_path, clock)
    first.record(200, budget(remaining=0, reset=0.0))
    first.acquire()
    first.no_answer()
    assert second.acquire() == 0.0


def test_a_429_spends_the_budget_until_the_server_wait(tmp_path, clock):
    first, second = shared(tmp_path, clock), shared(tmp_path, clock)
    first.record(200, budget(remaining=3, reset=1.0))
    first.record(429, {"Retry-After": "2"}, server_wait=2.0)
    assert second.acquire() == pytest.approx(2.0)


def test_answers_crossing_on_the_way_back_keep_the_smallest_budget_of_the_window(tmp_path, clock):
    first, second = shared(tmp_path, clock), shared(tmp_path, clock)
    first.record(200, budget(remaining=1, reset=1.0))
    first.record(200, budget(remaining=3, reset=0.2))  # sent earlier, answered later
    assert second.acquire() == 0.0
    assert second.acquire() == pytest.approx(1.0)


def test_another_key_has_its_own_budget(tmp_path, clock):
    shared(tmp_path, clock).record(429, budget(remaining=0, reset=5.0), server_wait=5.0)
    assert shared(tmp_path, clock, credential="Basic other").acquire() == 0.0


def test_a_budget_is_forgotten_a_minute_after_its_window(tmp_path, clock):
    run = shared(tmp_path, clock)
    run.record(429, budget(remaining=0, reset=1.0), server_wait=1.0)
    clock.sleep(62)
    assert [run.acquire() for dummy in range(3)] == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("content", ["{not json", "[]", '{"remaining": "many", "window_end": 2000}'])
def test_a_corrupt_state_file_is_ignored(tmp_path, clock, content):
    run = shared(tmp_path, clock)
    run.record(429, budget(remaining=0, reset=5.0), server_wait=5.0)
    with open(run.path, "w") as handle:
        handle.write(content)
    assert run.acquire() == 0.0


def test_an_unusable_state_file_leaves_runs_uncoordinated(tmp_path, clock):
    run = shared(tmp_path, clock)
    (tmp_path / run.path.rsplit("/", 1)[1]).mkdir()  # cannot be opened as a file
    run.record(200, budget(remaining=0, reset=5.0))
    assert run.acquire() == 0.0


def test_the_state_file_is_private(tmp_path, clock):
    run = shared(tmp_path, clock)
    run.record(200, budget(remaining=1, reset=1.0))
    assert (tmp_path / run.path.rsplit("/", 1)[1]).stat().st_mode & 0o077 == 0


def test_a_budget_longer_than_the_allowed_wait_is_not_waited_for(tmp_path, clock):
    first, second = shared(tmp_path, clock), shared(tmp_path, clock)
    first.record(429, {"Retry-After": "120"}, server_wait=120.0)
    assert second.acquire(max_wait=30) == 0.0
    assert clock.waits == []
    assert second.acquire(max_wait=150) == pytest.approx(120.0)


# Pacing against runs on other controllers, which share the key but not the state file. The clock is FakeTime and
# the jitter of the pacing is fixed (rand 0.5: the interval is exactly 1 / rate), so nothing sleeps for real.

def throttled(reset=1):
    return dict(budget(remaining=0, reset=reset, limit=2), **{"Retry-After": str(reset)})


def send(run, clock, status=200, headers=None, latency=0.01):
    """One request of a fork: take from the budget (sleeping as told), then learn from the answer."""
    waited = run.acquire()
    clock.sleep(latency)
    headers = budget(remaining=0, reset=1, limit=2) if headers is None else headers
    run.record(status, headers, server_wait=1.0 if status == 429 else None)
    return waited


class FixedWindow:
    """The simulator's limiter: ``limit`` requests per ``window`` seconds, the window starting with its first request."""

    def __init__(self, clock, limit=2, window=1.0):
        self.clock, self.limit, self.window = clock, limit, window
        self.start, self.count = None, 0

    def answer(self):
        now = self.clock.now
        if self.start is None or now >= self.start + self.window:
            self.start, self.count = now, 0
        reset = max(1, math.ceil(round(self.start + self.window - now, 9)))
        if self.count >= self.limit:
            return 429, dict(budget(remaining=0, reset=reset, limit=self.limit), **{"Retry-After": str(reset)})
        self.count += 1
        return 200, budget(remaining=self.limit - self.count, reset=reset, limit=self.limit)


def test_a_429_while_the_budget_seemed_free_cuts_the_rate_to_a_share_of_what_was_sent(tmp_path, clock):
    server = FixedWindow(clock)
    run, other = shared(tmp_path / "ours", clock), shared(tmp_path / "theirs", clock)
    (tmp_path / "ours").mkdir()
    (tmp_path / "theirs").mkdir()
    sent = []
    for dummy in range(6):  # alone: the key's whole limit, two requests a window
        run.acquire()
        sent.append(clock.now)
        clock.sleep(0.01)
        run.record(*server.answer())
        clock.sleep(0.2)
    assert run.rate() is None
    clock.sleep(1.0)
    other.acquire()  # another controller takes the new window's budget first
    other.record(*server.answer())
    other.acquire()
    other.record(*server.answer())
    run.acquire()
    sent.append(clock.now)
    clock.sleep(0.01)
    status, headers = server.answer()
    run.record(status, headers, server_wait=1.0)
    assert status == 429
    recent = [moment for moment in sent if moment > clock.now - 3.0]
    assert run.rate() == pytest.approx(CUT_TO_A_QUARTER * len(recent) / (clock.now - recent[0]))
    assert other.rate() is None


def test_throttled_by_others_requests_leave_at_the_paced_rate(tmp_path, clock):
    run = shared(tmp_path, clock)
    send(run, clock, headers=budget(remaining=1, reset=1, limit=2))
    send(run, clock, status=429, headers=throttled())
    clock.sleep(5)  # the window is long over
    sent, rates = [], []
    for dummy in range(3):
        rates.append(run.rate())
        run.acquire()
        sent.append(clock.now)
        clock.sleep(0.01)
        run.record(200, budget(remaining=0, reset=1, limit=2))
    # Each request leaves one interval of the rate (raised by every success) after the one before it.
    assert [later - earlier for earlier, later in zip(sent, sent[1:])] == [
        pytest.approx(1 / rates[1] + 0.01 - 0.01), pytest.approx(1 / rates[2])]


def test_several_429s_of_one_window_cut_the_rate_once(tmp_path, clock):
    forks = [shared(tmp_path, clock) for dummy in range(3)]
    for fork in forks:
        send(fork, clock, headers=budget(remaining=1, reset=1, limit=2))
    for fork in forks:
        fork.record(429, throttled(), server_wait=1.0)
    once = forks[0].rate()
    clock.sleep(1.0)
    forks[0].record(429, throttled(), server_wait=1.0)
    assert forks[0].rate() == pytest.approx(max(FLOOR_OF_5_PERCENT * 2, CUT_TO_A_QUARTER * once))
    assert forks[0].rate() < once


def test_the_rate_never_drops_below_the_floor(tmp_path, clock):
    run = shared(tmp_path, clock)
    for dummy in range(30):
        send(run, clock, status=429, headers=throttled())
        clock.sleep(1.0)
    assert run.rate() == pytest.approx(FLOOR_OF_5_PERCENT * 2 / 1.0)


def test_answers_that_succeed_raise_the_rate_again(tmp_path, clock):
    run = shared(tmp_path, clock)
    send(run, clock, headers=budget(remaining=1, reset=1, limit=2))
    send(run, clock, status=429, headers=throttled())
    rates = [run.rate()]
    for dummy in range(3):
        send(run, clock, headers=budget(remaining=0, reset=1, limit=2))
        rates.append(run.rate())
    assert rates == [pytest.approx(rates[0] * (1 + RAISE_BY_A_QUARTER) ** n) for n in range(4)]


def test_an_answer_that_shows_budget_left_raises_the_rate_to_use_it(tmp_path, clock):
    run = shared(tmp_path, clock)
    send(run, clock, headers=budget(remaining=4, reset=1, limit=10))
    send(run, clock, status=429, headers=dict(budget(remaining=0, reset=1, limit=10), **{"Retry-After": "1"}))
    assert run.rate() < 3.0
    clock.sleep(1.0)
    send(run, clock, headers=budget(remaining=6, reset=2, limit=10))
    assert run.rate() == pytest.approx(3.0)


def test_when_the_others_stop_an_untouched_window_ends_the_pacing_at_once(tmp_path, clock):
    run = shared(tmp_path, clock)
    send(run, clock, headers=budget(remaining=1, reset=1, limit=2))
    send(run, clock, status=429, headers=throttled())
    for dummy in range(3):  # the others still spend the budget: our answers find their windows used up
        send(run, clock, status=429, headers=throttled())
        clock.sleep(1.0)
    assert run.rate() == pytest.approx(FLOOR_OF_5_PERCENT * 2)
    # The others stopped: our next request is the first of its window, and the one after it goes at once.
    send(run, clock, headers=budget(remaining=1, reset=1, limit=2))
    assert run.rate() is None
    assert run.acquire() == 0.0


def test_when_the_others_stop_steady_successes_bring_back_the_full_rate(tmp_path, clock):
    run = shared(tmp_path, clock)
    for dummy in range(4):
        send(run, clock, headers=budget(remaining=5, reset=1, limit=10))
        clock.sleep(0.1)
    send(run, clock, status=429, headers=dict(budget(remaining=0, reset=1, limit=10), **{"Retry-After": "1"}))
    paced = run.rate()
    answers = 0
    while run.rate() is not None:
        send(run, clock, headers=budget(remaining=0, reset=1, limit=10))
        answers += 1
        assert answers < 30
    # From a quarter of the measured rate to the key's whole limit, a quarter more per success.
    assert paced * (1 + RAISE_BY_A_QUARTER) ** (answers - 1) < 10.0 <= paced * (1 + RAISE_BY_A_QUARTER) ** answers


def test_while_paced_a_new_windows_requests_are_spread_over_the_window(tmp_path, clock):
    run = shared(tmp_path, clock)
    state = {"rate": 100.0, "limit": 5, "window": 1.0, "last": clock.now - 1, "gap": 1.0}
    state.update(remaining=4, window_end=clock.now + 1.0)
    with open(run.path, "w") as handle:
        json.dump(state, handle)
    window_start = clock.now
    sent = []
    for dummy in range(4):
        run.acquire()
        sent.append(clock.now - window_start)
    assert sent == [pytest.approx(0.0), pytest.approx(0.25), pytest.approx(0.5), pytest.approx(0.75)]


def test_unpaced_a_new_windows_requests_go_at_once(tmp_path, clock):
    run = shared(tmp_path, clock)
    run.record(200, budget(remaining=4, reset=1, limit=5))
    assert [run.acquire() for dummy in range(4)] == [0.0] * 4
    assert clock.waits == []


def test_the_pacing_interval_is_jittered(tmp_path, clock):
    draws = iter([0.0, 1.0, 0.5])
    run = shared(tmp_path, clock, rand=lambda: next(draws))
    state = {"rate": 1.0, "limit": 20, "window": 1.0, "remaining": 20, "window_end": clock.now + 2}
    with open(run.path, "w") as handle:
        json.dump(state, handle)
    assert run.acquire() == 0.0  # goes, and draws the shortest interval ...
    shortest, longest = run.acquire(), run.acquire()  # ... then the longest
    assert shortest < 1.0 < longest  # around the rate's interval of 1 s, not on it
    assert (shortest, longest) == (pytest.approx(1.0 - PACE_JITTER_HALF), pytest.approx(1.0 + PACE_JITTER_HALF))


def test_a_429_without_a_budget_in_its_headers_does_not_pace(tmp_path, clock):
    run = shared(tmp_path, clock)
    send(run, clock, headers=budget(remaining=1, reset=1, limit=2))
    run.record(429, {"Retry-After": "2"}, server_wait=2.0)
    assert run.rate() is None


def test_pacing_is_forgotten_a_minute_after_the_last_request(tmp_path, clock):
    run = shared(tmp_path, clock)
    send(run, clock, headers=budget(remaining=1, reset=1, limit=2))
    send(run, clock, status=429, headers=throttled())
    assert run.rate() is not None
    clock.sleep(FORGET_AFTER_A_MINUTE + 2)
    assert run.acquire() == 0.0
    assert run.rate() is None


def test_pacing_is_kept_until_a_minute_after_the_window(tmp_path, clock):
    run = shared(tmp_path, clock)
    send(run, clock, headers=budget(remaining=1, reset=1, limit=2))
    send(run, clock, status=429, headers=throttled())  # its window ends 1 s from now
    clock.sleep(1 + FORGET_AFTER_A_MINUTE - 1)
    assert run.acquire() == 0.0
    assert run.rate() is not None


@pytest.mark.parametrize("content", [
    '{"rate": "fast", "remaining": 1, "window_end": 2000}',
    '{"rate": -1, "remaining": 1, "window_end": 2000}',
    '{"sends": "many", "remaining": 1, "window_end": 2000}',
    '{"sends": [NaN], "remaining": 1, "window_end": 2000}',
    '{"limit": 0, "remaining": 1, "window_end": 2000}',
    '{"window": Infinity, "remaining": 1, "window_end": 2000}',
])
def test_a_state_file_with_a_broken_pacing_is_ignored(tmp_path, clock, content):
    run = shared(tmp_path, clock)
    run.record(200, budget(remaining=0, reset=5.0))
    with open(run.path, "w") as handle:
        handle.write(content)
    assert run.acquire() == 0.0
    assert clock.waits == []


@pytest.mark.parametrize("reset", ["-5", "soon", "1e400", "nan", ""])
def test_a_garbage_reset_records_nothing(tmp_path, clock, reset):
    run = shared(tmp_path, clock)
    run.record(200, {"X-RateLimit-Limit": "2", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset})
    assert run.acquire() == 0.0
    assert clock.waits == []


def test_a_huge_reset_is_not_waited_for_beyond_the_allowed_wait(tmp_path, clock):
    run = shared(tmp_path, clock)
    run.record(200, budget(remaining=0, reset="1e300"))
    assert run.acquire(max_wait=30) == 0.0
    assert clock.waits == []


@pytest.mark.parametrize("headers, server_wait", [
    (budget(remaining=0, reset="1e300"), None),
    (budget(remaining=0, reset="86400"), None),
    ({"Retry-After": "1e300"}, 1e300),
])
def test_a_huge_reset_is_not_kept_as_a_budget(tmp_path, clock, headers, server_wait):
    run = shared(tmp_path, clock)
    run.record(429 if server_wait else 200, headers, server_wait=server_wait)
    run.record(200, budget(remaining=1, reset=1))
    assert [run.acquire(), run.acquire()] == [0.0, pytest.approx(1.0)]

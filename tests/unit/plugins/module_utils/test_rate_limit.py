# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._rate_limit import (
    POLL_SECONDS,
    PROBE_SECONDS,
    SharedRateLimit,
)
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import FakeTime


def budget(remaining, reset, limit=4):
    return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining), "X-RateLimit-Reset": str(reset)}


@pytest.fixture
def clock():
    return FakeTime()


def shared(tmp_path, clock, credential="Basic abc"):
    return SharedRateLimit("https://api.example.test", credential, directory=str(tmp_path), now=clock.time,
                           sleep=clock.sleep)


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
    assert 0.1 <= second.acquire() <= 0.1 + POLL_SECONDS + 1e-9
    assert third.acquire() == 0.0


def test_a_probe_without_an_answer_lets_another_go_after_a_while(tmp_path, clock):
    first, second = shared(tmp_path, clock), shared(tmp_path, clock)
    first.record(200, budget(remaining=0, reset=0.0))
    assert first.acquire() == 0.0
    assert second.acquire() == pytest.approx(PROBE_SECONDS)


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

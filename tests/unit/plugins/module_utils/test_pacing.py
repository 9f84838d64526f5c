# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._pacing import SharedPacer
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import FakeTime

LIMIT_4_PER_SECOND = {"X-RateLimit-Limit": "4", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1"}


@pytest.fixture
def clock():
    return FakeTime()


def pacer(tmp_path, clock, credential="Basic abc"):
    return SharedPacer("https://api.example.test", credential, directory=str(tmp_path), now=clock.time,
                       sleep=clock.sleep)


def test_no_pacing_and_no_file_without_a_429(tmp_path, clock):
    assert pacer(tmp_path, clock).wait_for_turn() == 0.0
    assert list(tmp_path.iterdir()) == []


def test_after_a_429_runs_sharing_the_key_take_spaced_turns(tmp_path, clock):
    forks = [pacer(tmp_path, clock) for dummy in range(5)]
    forks[0].throttled(1.0, LIMIT_4_PER_SECOND)
    waits = [fork.wait_for_turn() for fork in forks]
    # The forks ask one after the other on one fake clock: the first slot is when the server said, then 0.25 s apart.
    assert waits == [pytest.approx(1.0)] + [pytest.approx(0.25)] * 4
    assert sum(clock.waits) == pytest.approx(2.0)


def test_slots_are_spaced_by_the_announced_rate(tmp_path, clock):
    forks = [pacer(tmp_path, clock) for dummy in range(4)]
    forks[0].throttled(0.0, LIMIT_4_PER_SECOND)
    start = clock.now
    for fork in forks:
        fork.wait_for_turn()
    assert clock.now - start == pytest.approx(0.75)


def test_another_key_is_not_paced(tmp_path, clock):
    pacer(tmp_path, clock).throttled(5.0, LIMIT_4_PER_SECOND)
    assert pacer(tmp_path, clock, credential="Basic other").wait_for_turn() == 0.0


def test_without_rate_headers_runs_share_the_wait_only(tmp_path, clock):
    first, second = pacer(tmp_path, clock), pacer(tmp_path, clock)
    first.throttled(2.0, {"Retry-After": "2"})
    assert second.wait_for_turn() == pytest.approx(2.0)
    assert first.wait_for_turn() == 0.0


def test_pacing_is_forgotten_a_minute_after_the_last_429(tmp_path, clock):
    first = pacer(tmp_path, clock)
    first.throttled(0.0, LIMIT_4_PER_SECOND)
    clock.sleep(61)
    assert [first.wait_for_turn() for dummy in range(3)] == [0.0, 0.0, 0.0]


def test_a_corrupt_state_file_is_ignored(tmp_path, clock):
    first = pacer(tmp_path, clock)
    first.throttled(1.0, LIMIT_4_PER_SECOND)
    with open(first.path, "w") as handle:
        handle.write("{not json")
    assert first.wait_for_turn() == 0.0


def test_the_state_file_is_private(tmp_path, clock):
    first = pacer(tmp_path, clock)
    first.throttled(1.0, LIMIT_4_PER_SECOND)
    assert (tmp_path / first.path.rsplit("/", 1)[1]).stat().st_mode & 0o077 == 0

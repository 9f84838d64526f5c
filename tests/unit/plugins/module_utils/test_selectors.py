# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""older_than means "created longer ago than": a resource exactly that old is not selected, one a moment older is.

The clock is frozen (FakeTime in place of the time module), so the boundary is exact and nothing depends on how fast
the test runs.
"""

from __future__ import annotations

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils import _selectors
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.api_bodies import env
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import FakeTime

NOW = 1_700_000_000.0  # 2023-11-14T22:13:20Z
ONE_HOUR_BEFORE = "2023-11-14T21:13:20Z"


@pytest.fixture
def clock(monkeypatch):
    clock = FakeTime()
    clock.now = NOW
    monkeypatch.setattr(_selectors, "time", clock)
    return clock


def selected(older_than, *resources):
    return [resource["id"] for resource in _selectors.Selection(dict(older_than=older_than)).select(resources)]


@pytest.mark.parametrize("older_than", ["1h", "60m", "3600s", "3600.0s"])
def test_a_resource_exactly_older_than_old_is_not_selected(clock, older_than):
    assert selected(older_than, env("env-1", "ci", ONE_HOUR_BEFORE)) == []


@pytest.mark.parametrize("older_than", ["1h", "60m", "3600s"])
def test_a_resource_one_second_past_the_boundary_is_selected(clock, older_than):
    clock.sleep(1)
    [resource] = _selectors.Selection(dict(older_than=older_than)).select([env("env-1", "ci", ONE_HOUR_BEFORE)])
    assert resource["id"] == "env-1" and resource["age_seconds"] == 3601


def test_a_fraction_of_a_second_past_the_boundary_is_enough(clock):
    assert selected("1h", env("env-1", "ci", "2023-11-14T21:13:19.999Z")) == ["env-1"]
    clock.sleep(0.001)
    assert selected("1h", env("env-2", "ci", ONE_HOUR_BEFORE)) == ["env-2"]


def test_the_boundary_is_the_same_in_any_time_zone(clock):
    at_the_boundary = [env("env-1", "ci", "2023-11-14T23:13:20+02:00"), env("env-2", "ci", "2023-11-14T16:13:20-0500")]
    assert selected("1h", *at_the_boundary) == []
    clock.sleep(1)
    assert selected("1h", *at_the_boundary) == ["env-1", "env-2"]


def test_one_second_younger_than_the_boundary_is_not_selected(clock):
    assert selected("1h", env("env-1", "ci", "2023-11-14T21:13:21Z")) == []


def test_without_a_creation_time_nothing_is_old_enough(clock):
    assert selected("1s", env("env-1", "ci"), env("env-2", "ci", "not a date")) == []

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._retry import (
    RetryPolicy,
    parse_retry_after,
    parse_seconds,
)

NOW = 1_700_000_000.0  # 2023-11-14T22:13:20Z


def policy(rand=0.0, max_delay=60):
    return RetryPolicy(max_delay, rand=lambda: rand, now=lambda: NOW)


@pytest.mark.parametrize("value, expected", [
    ("7", 7.0), (" 2 ", 2.0), ("0", 0.0), ("1.5", 1.5), ("-3", None), ("-0.5", None),
    (None, None), ("", None), ("soon", None), ("nan", None), ("inf", None),
])
def test_parse_seconds(value, expected):
    assert parse_seconds(value) == expected


def test_retry_after_http_date_is_relative_to_now():
    assert parse_retry_after("Tue, 14 Nov 2023 22:13:50 GMT", NOW) == pytest.approx(30.0)


def test_retry_after_http_date_in_the_past_means_no_wait():
    assert parse_retry_after("Tue, 14 Nov 2023 22:00:00 GMT", NOW) == 0.0


def test_negative_retry_after_is_ignored_not_taken_as_no_wait():
    assert parse_retry_after("-30", NOW) is None
    assert policy().server_wait(429, {"Retry-After": "-30", "X-RateLimit-Reset": "-2"}) is None


def test_retry_after_garbage_is_ignored():
    assert parse_retry_after("next tuesday-ish", NOW) is None


def test_retry_after_beats_rate_limit_reset():
    assert policy().server_wait(429, {"Retry-After": "3", "X-RateLimit-Reset": "40"}) == 3.0


def test_rate_limit_reset_is_relative_seconds_on_429():
    assert policy().server_wait(429, {"X-RateLimit-Reset": "12"}) == 12.0


def test_rate_limit_reset_does_not_count_outside_429():
    assert policy().server_wait(503, {"X-RateLimit-Reset": "12"}) is None


def test_retry_after_counts_on_503():
    assert policy().server_wait(503, {"Retry-After": "4"}) == 4.0


def test_no_headers_means_no_server_wait():
    assert policy().server_wait(429, {}) is None


@pytest.mark.parametrize("retry_number, ceiling", [(1, 1.0), (2, 2.0), (3, 4.0), (6, 32.0), (7, 60.0), (30, 60.0)])
def test_backoff_full_jitter_bounds(retry_number, ceiling):
    assert policy(rand=0.0).backoff(retry_number) == 0.0
    assert policy(rand=0.999999).backoff(retry_number) == pytest.approx(ceiling, rel=1e-5)
    assert policy(rand=0.5).backoff(retry_number) == pytest.approx(ceiling / 2)


def test_backoff_respects_small_max_delay():
    assert policy(rand=0.999999, max_delay=3).backoff(10) == pytest.approx(3.0, rel=1e-5)


def test_server_wait_jitter_is_small_and_never_shortens():
    assert policy(rand=0.0).jittered(10.0) == 10.0
    assert policy(rand=1.0).jittered(10.0) == pytest.approx(12.5)
    assert policy(rand=1.0).jittered(0.0) == pytest.approx(0.1)
    assert policy(rand=1.0).jittered(100.0) == 60.0  # capped by max_delay
    assert policy(rand=1.0, max_delay=200).jittered(100.0) == pytest.approx(105.0)

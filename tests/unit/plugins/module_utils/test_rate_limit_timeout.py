# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""api_rate_limit_timeout as a task sees it: refused before any request when it is not a number of seconds, taken
from the environment when the task does not set it, and the end of the waits reported with the task's figures.

tests/unit/plugins/action/test_rate_limit_timeout_action.py runs these tests again through the action plugin."""

from __future__ import annotations

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.modules.confluent_connector import main
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import response

PATH = "/connect/v1/environments/env-1/clusters/lkc-1/connectors/orders-sink"
ARGS = dict(name="orders-sink", environment_id="env-1", kafka_cluster_id="lkc-1", state="absent")
ENV = "CONFLUENT_CLOUD_API_RATE_LIMIT_TIMEOUT"
LIMITED = response(429, {"error": {"code": 429, "message": "Too Many Requests"}},
                   headers={"Retry-After": "2", "X-Request-Id": "rid-429"})


@pytest.fixture(autouse=True)
def no_timeout_in_the_environment(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)


@pytest.mark.parametrize("value", [-1, -300])
def test_a_negative_timeout_is_refused_before_any_request(run_module, value):
    run = run_module(main, dict(ARGS, api_rate_limit_timeout=value))
    assert run.result["failed"] is True
    assert run.result["msg"] == "api_rate_limit_timeout must be at least 0, got %d" % value
    assert run.calls == []


@pytest.mark.parametrize("value", ["soon", "1.5", "nan", ""])
def test_a_timeout_that_is_not_a_number_is_refused_before_any_request(run_module, monkeypatch, value):
    for given in ("option", "environment"):
        if given == "environment":
            monkeypatch.setenv(ENV, value)
            run = run_module(main, ARGS)
        else:
            run = run_module(main, dict(ARGS, api_rate_limit_timeout=value))
        assert run.result["failed"] is True, given
        assert "api_rate_limit_timeout" in run.result["msg"] and "convert to int" in run.result["msg"], given
        assert "Traceback" not in run.stdout
        assert run.calls == []


def test_the_environment_gives_the_timeout_when_the_task_does_not(run_module, monkeypatch):
    monkeypatch.setenv(ENV, "3")
    run = run_module(main, ARGS, [("DELETE", PATH, LIMITED), ("DELETE", PATH, LIMITED)])
    assert run.result["failed"] is True
    assert "api_rate_limit_timeout (3 s)" in run.result["msg"]


def test_the_task_option_beats_the_environment(run_module, monkeypatch):
    monkeypatch.setenv(ENV, "0")
    run = run_module(main, dict(ARGS, api_rate_limit_timeout=30),
                     [("DELETE", PATH, LIMITED), ("DELETE", PATH, response(200, {"error": None}))])
    assert run.result["changed"] is True


def test_the_failure_says_how_long_it_waited_and_how_many_429s_with_truthful_figures(run_module):
    run = run_module(main, dict(ARGS, api_rate_limit_timeout=5), [("DELETE", PATH, LIMITED)] * 3)
    result = run.result
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith("Gave up on the rate limit: the API asked to wait 2 seconds more, beyond "
                                    "api_rate_limit_timeout (5 s) after waiting ")
    assert "and 3 answers of HTTP 429. DELETE %s failed with HTTP 429" % PATH in result["msg"]
    assert result["status"] == 429 and result["request_id"] == "rid-429"
    # Two waits of 2 s plus jitter were slept; the third 429 asked for more than was left.
    assert result["retries"] == 2 == len(run.clock.waits)
    assert result["retry_wait"] == pytest.approx(sum(run.clock.waits), abs=1e-3)
    assert result["rate_limit_wait"] == 0.0
    assert 4.0 <= result["retry_wait"] <= 5.0
    assert any("Retried 2 time(s) after HTTP 429 (2 times)" in warning for warning in run.warnings)


def test_zero_fails_at_the_first_429_without_waiting(run_module):
    run = run_module(main, dict(ARGS, api_rate_limit_timeout=0), [("DELETE", PATH, LIMITED)])
    assert run.result["msg"].startswith("Gave up on the rate limit after waiting 0.0 s on the rate limit and 1 "
                                        "answer of HTTP 429, the whole api_rate_limit_timeout (0 s).")
    assert run.clock.waits == [] and run.result["retries"] == 0

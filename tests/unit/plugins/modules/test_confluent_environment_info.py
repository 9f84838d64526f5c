# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.modules.confluent_environment_info import main
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.api_bodies import ORG_NOT_FOUND, env, page
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import response
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.modules.module_runner import CREDENTIALS

LIST = "/org/v2/environments"
# The scripted clock stands at 1000 s after the epoch: these environments are 1000 s, 700 s and 100 s old.
OLDEST = env("env-a", "ci-build-1", created_at="1970-01-01T00:00:00Z")
MIDDLE = env("env-b", "ci-build-2", created_at="1970-01-01T00:05:00.250+00:00")
NEWEST = env("env-c", "production", created_at="1970-01-01T01:15:00+01:00")
UNDATED = env("env-d", "ci-undated")
GOING = env("env-e", "ci-going", created_at="1970-01-01T00:00:00Z")
GOING = dict(GOING, metadata=dict(GOING["metadata"], deleted_at="1970-01-01T00:16:00Z"))


def names(run):
    return [environment["display_name"] for environment in run.result["environments"]]


def test_every_page_is_read_and_the_result_is_oldest_first_with_ages(run_module):
    script = [("GET", LIST, page([NEWEST, UNDATED], "p2")), ("GET", LIST, page([MIDDLE, OLDEST]))]
    run = run_module(main, {}, script)
    assert [r["params"] for r in run.session.requests] == [{"page_size": 100}, {"page_size": 100, "page_token": "p2"}]
    assert names(run) == ["ci-build-1", "ci-build-2", "production", "ci-undated"]
    assert [environment["age_seconds"] for environment in run.result["environments"]] == [1000, 699, 100, None]
    assert run.result["environments"][0] == dict(OLDEST, age_seconds=1000)
    assert run.result["changed"] is False and run.result["retries"] == 0


@pytest.mark.parametrize("args, expected", [
    (dict(display_name="ci-build-2"), ["ci-build-2"]),
    (dict(display_name="ci-build"), []),
    (dict(display_name_regex="^ci-"), ["ci-build-1", "ci-build-2", "ci-undated"]),
    (dict(display_name_regex="build-[2-9]$"), ["ci-build-2"]),
    (dict(older_than="12m"), ["ci-build-1"]),
    (dict(older_than="11m"), ["ci-build-1", "ci-build-2"]),
    (dict(older_than="90s"), ["ci-build-1", "ci-build-2", "production"]),
    (dict(older_than="0.25h"), ["ci-build-1"]),
    (dict(older_than="1d"), []),
    (dict(display_name_regex="^ci-", older_than="2m"), ["ci-build-1", "ci-build-2"]),
])
def test_filters_narrow_the_list(run_module, args, expected):
    run = run_module(main, args, [("GET", LIST, page([NEWEST, UNDATED, MIDDLE, OLDEST]))])
    assert names(run) == expected


def test_environments_being_deleted_are_left_out_unless_asked_for(run_module):
    run = run_module(main, dict(display_name_regex="^ci-"), [("GET", LIST, page([GOING, OLDEST]))])
    assert names(run) == ["ci-build-1"]
    run = run_module(main, dict(display_name_regex="^ci-", include_deleting=True), [("GET", LIST, page([GOING, OLDEST]))])
    assert sorted(names(run)) == ["ci-build-1", "ci-going"]


def test_id_is_one_get(run_module):
    run = run_module(main, dict(id="env-b"), [("GET", LIST + "/env-b", response(200, MIDDLE))])
    assert run.calls == [("GET", LIST + "/env-b")]
    assert run.result["environments"] == [dict(MIDDLE, age_seconds=699)]


def test_an_id_that_does_not_exist_is_an_empty_list(run_module):
    run = run_module(main, dict(id="env-zz"), [("GET", LIST + "/env-zz", response(404, ORG_NOT_FOUND))])
    assert run.result["environments"] == [] and not run.result.get("failed")


def test_id_is_narrowed_by_the_other_filters(run_module):
    run = run_module(main, dict(id="env-b", display_name="other"), [("GET", LIST + "/env-b", response(200, MIDDLE))])
    assert run.result["environments"] == []


def test_check_mode_sends_the_same_requests_and_returns_the_same(run_module):
    normal = run_module(main, dict(display_name_regex="^ci-"), [("GET", LIST, page([OLDEST]))])
    check = run_module(main, dict(display_name_regex="^ci-"), [("GET", LIST, page([OLDEST]))], check_mode=True)
    assert check.calls == normal.calls
    assert check.result["environments"] == normal.result["environments"]


@pytest.mark.parametrize("args, fragment", [
    (dict(older_than="6 hours"), "older_than must be a number followed by s, m, h or d"),
    (dict(older_than="-1h"), "older_than must be a number followed by s, m, h or d"),
    (dict(older_than="6"), "older_than must be a number followed by s, m, h or d"),
    (dict(display_name_regex="ci-[("), "display_name_regex is not a valid regular expression"),
    (dict(id="  "), "id must not be empty"),
    (dict(id="env\x1b1"), "id must not contain control characters"),
    (dict(display_name=""), "display_name must not be empty"),
])
def test_bad_input_fails_naming_the_option_before_any_request(run_module, args, fragment):
    run = run_module(main, args)
    assert run.result["failed"] is True and fragment in run.result["msg"]
    assert run.calls == []
    assert run.result["retries"] == 0


def test_a_failed_list_carries_the_api_status_message_and_request_id(run_module):
    body = {"errors": [{"status": "401", "title": "Authentication Required", "detail": "Valid credentials needed"}]}
    run = run_module(main, {}, [("GET", LIST, response(401, body, headers={"X-Request-Id": "rid-401"}))])
    assert run.result["failed"] is True and run.result["status"] == 401
    assert "Valid credentials needed" in run.result["msg"] and "rid-401" in run.result["msg"]
    assert CREDENTIALS["api_secret"] not in run.stdout


def test_a_mistyped_id_is_refused_before_any_request(run_module):
    run = run_module(main, dict(id="c10500"))
    assert run.result["failed"] is True
    assert run.result["msg"] == "id must be an ID starting with env-, got 'c10500'."
    assert run.calls == []

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.modules.confluent_kafka_cluster_info import main
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.api_bodies import (
    FORBIDDEN,
    ORG_NOT_FOUND,
    cluster,
    cluster_page,
    env,
)
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import response

LIST = "/cmk/v2/clusters"
ORDERS = cluster("lkc-1", "orders")
CLICKS = cluster("lkc-2", "clicks")
ORDERS_TWIN = cluster("lkc-3", "orders")


def test_every_page_of_the_environment_is_read(run_module):
    script = [("GET", LIST, cluster_page([ORDERS], "p2")), ("GET", LIST, cluster_page([CLICKS]))]
    run = run_module(main, dict(environment_id="env-1"), script)
    assert run.result["clusters"] == [dict(ORDERS, display_name="orders"), dict(CLICKS, display_name="clicks")]
    assert [r["params"] for r in run.session.requests] == [
        {"environment": "env-1", "page_size": 100}, {"environment": "env-1", "page_size": 100, "page_token": "p2"}]


def test_display_name_is_an_exact_match_on_the_spec(run_module):
    run = run_module(main, dict(environment_id="env-1", display_name="orders"),
                     [("GET", LIST, cluster_page([ORDERS, CLICKS, ORDERS_TWIN, cluster("lkc-4", "Orders")]))])
    assert [c["id"] for c in run.result["clusters"]] == ["lkc-1", "lkc-3"]


def test_id_is_one_get_in_the_environment(run_module):
    run = run_module(main, dict(environment_id="env-1", id="lkc-2"), [("GET", LIST + "/lkc-2", response(200, CLICKS))])
    assert run.result["clusters"] == [dict(CLICKS, display_name="clicks")]
    assert run.session.requests[0]["params"] == {"environment": "env-1"}


def test_an_unknown_cluster_is_an_empty_list(run_module):
    run = run_module(main, dict(environment_id="env-1", id="lkc-9"),
                     [("GET", LIST + "/lkc-9", response(404, ORG_NOT_FOUND))])
    assert run.result["clusters"] == []


@pytest.mark.parametrize("answer", [response(404, ORG_NOT_FOUND), cluster_page([])])
def test_an_unknown_environment_is_an_empty_list(run_module, answer):
    run = run_module(main, dict(environment_id="env-9"), [("GET", LIST, answer)])
    assert run.result["clusters"] == [] and not run.result.get("failed")


def test_a_403_for_an_environment_that_does_not_exist_is_an_empty_list(run_module):
    run = run_module(main, dict(environment_id="env-9"), [
        ("GET", LIST, response(403, FORBIDDEN)),
        ("GET", "/org/v2/environments/env-9", response(404, ORG_NOT_FOUND)),
    ])
    assert run.result["clusters"] == [] and not run.result.get("failed")


def test_a_403_in_an_environment_that_exists_fails_with_the_api_message(run_module):
    run = run_module(main, dict(environment_id="env-1"), [
        ("GET", LIST, response(403, FORBIDDEN, headers={"X-Request-Id": "rid-403"})),
        ("GET", "/org/v2/environments/env-1", response(200, env("env-1", "staging"))),
    ])
    assert run.result["failed"] is True and run.result["status"] == 403
    assert "User Access Unauthorized" in run.result["msg"] and "rid-403" in run.result["msg"]


@pytest.mark.parametrize("args, fragment", [
    (dict(), "environment_id"),
    (dict(environment_id=" "), "environment_id must not be empty"),
    (dict(environment_id="env-1", id="lkc\n1"), "id must not contain control characters"),
    (dict(environment_id="env-1", display_name=""), "display_name must not be empty"),
])
def test_bad_input_fails_before_any_request(run_module, args, fragment):
    run = run_module(main, args)
    assert run.result["failed"] is True and fragment in run.result["msg"]
    assert run.calls == []


@pytest.mark.parametrize("args, msg", [
    (dict(environment_id="c1050"), "environment_id must be an ID starting with env-, got 'c1050'."),
    (dict(environment_id="env-1", id="1"), "id must be an ID starting with lkc-, got '1'."),
])
def test_a_mistyped_id_is_refused_before_any_request(run_module, args, msg):
    run = run_module(main, args)
    assert run.result["failed"] is True and run.result["msg"] == msg
    assert run.calls == []

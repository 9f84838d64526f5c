# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.modules.confluent_kafka_cluster import main
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.api_bodies import (
    FORBIDDEN,
    ORG_NOT_FOUND,
    cluster,
    connectors_path,
    env,
    expansions,
)
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import response

PATH = "/cmk/v2/clusters/lkc-1"
ARGS = dict(id="lkc-1", environment_id="env-1", state="absent")
ORDERS = cluster("lkc-1", "orders")
SCOPE = {"environment": "env-1"}
ENV_PATH = "/org/v2/environments/env-1"
ENVIRONMENT_EXISTS = [("GET", ENV_PATH, response(200, env("env-1", "staging")))]
ENVIRONMENT_MISSING = [("GET", ENV_PATH, response(404, ORG_NOT_FOUND))]


def test_delete_is_one_request_scoped_to_the_environment(run_module):
    run = run_module(main, ARGS, [("DELETE", PATH, response(204))])
    assert run.calls == [("DELETE", PATH)]
    assert run.session.requests[0]["params"] == SCOPE
    assert run.result["changed"] is True and run.result["kafka_cluster"] == dict(id="lkc-1", environment_id="env-1")


def test_already_gone_is_ok(run_module):
    run = run_module(main, ARGS, [("DELETE", PATH, response(404, ORG_NOT_FOUND))] + ENVIRONMENT_EXISTS)
    assert run.result["changed"] is False and not run.result.get("failed")
    assert run.calls == [("DELETE", PATH), ("GET", ENV_PATH)] and run.warnings == []


def test_a_404_in_an_environment_that_does_not_exist_is_ok_with_a_warning(run_module):
    run = run_module(main, ARGS, [("DELETE", PATH, response(404, ORG_NOT_FOUND))] + ENVIRONMENT_MISSING)
    assert run.result["changed"] is False and not run.result.get("failed")
    assert run.calls == [("DELETE", PATH), ("GET", ENV_PATH)]
    assert run.warnings == ["environment env-1 does not exist, so nothing was deleted; if that is a typo, check "
                            "environment_id."]


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_403_in_an_environment_that_does_not_exist_is_ok_with_a_warning(run_module, check_mode):
    # Confluent may answer a request in an unknown environment with 403 instead of 404.
    method = "GET" if check_mode else "DELETE"
    run = run_module(main, ARGS, [(method, PATH, response(403, FORBIDDEN))] + ENVIRONMENT_MISSING,
                     check_mode=check_mode)
    assert run.result["changed"] is False and not run.result.get("failed")
    assert run.warnings[0].startswith("environment env-1 does not exist, so nothing was deleted")


def test_a_403_in_an_environment_that_exists_fails_with_the_api_message(run_module):
    run = run_module(main, ARGS, [("DELETE", PATH, response(403, FORBIDDEN))] + ENVIRONMENT_EXISTS)
    assert run.result["failed"] is True and run.result["status"] == 403
    assert "User Access Unauthorized" in run.result["msg"] and run.warnings == []


def test_a_mistyped_id_is_refused_before_any_request(run_module):
    run = run_module(main, dict(ARGS, id="c1"))
    assert run.result["msg"] == "id must be an ID starting with lkc-, got 'c1'. Nothing was deleted."
    assert run.result["failed"] is True and run.calls == []
    run = run_module(main, dict(ARGS, environment_id="lkc-1"))
    assert run.result["msg"] == "environment_id must be an ID starting with env-, got 'lkc-1'. Nothing was deleted."
    assert run.result["failed"] is True and run.calls == []


def test_check_mode_gets_it_and_previews_its_connectors(run_module):
    script = [("GET", PATH, response(200, ORDERS)),
              ("GET", connectors_path("lkc-1"), expansions(("s3-sink", "lcc-1", "RUNNING")))]
    run = run_module(main, ARGS, script, check_mode=True, diff=True)
    assert [r["method"] for r in run.session.requests] == ["GET", "GET"]
    assert run.session.requests[0]["params"] == SCOPE
    assert run.result["changed"] is True and run.result["kafka_cluster"] == ORDERS
    contents = {"connectors": [{"name": "s3-sink", "id": "lcc-1", "state": "RUNNING"}]}
    assert run.result["contents"] == contents
    assert run.result["diff"]["before"] == dict(ORDERS, contents=contents)


def test_guard_mismatch_fails_and_deletes_nothing(run_module):
    run = run_module(main, dict(ARGS, display_name="clicks"), [("GET", PATH, response(200, ORDERS))])
    assert run.result["failed"] is True and "Safety guard" in run.result["msg"]
    assert "'orders'" in run.result["msg"] and run.calls == [("GET", PATH)]
    assert run.result["kafka_cluster"] == ORDERS


def test_guard_match_deletes(run_module):
    run = run_module(main, dict(ARGS, display_name="orders"),
                     [("GET", PATH, response(200, ORDERS)), ("DELETE", PATH, response(204))])
    assert run.result["changed"] is True and run.calls[-1] == ("DELETE", PATH)


def test_a_cluster_already_being_deleted_is_ok(run_module):
    going = cluster("lkc-1", "orders", status={"phase": "DEPROVISIONING"})
    run = run_module(main, dict(ARGS, display_name="orders"), [("GET", PATH, response(200, going))])
    assert run.result["changed"] is False and run.calls == [("GET", PATH)]


def test_wait_polls_until_404(run_module):
    script = [("DELETE", PATH, response(204)), ("GET", PATH, response(200, ORDERS)),
              ("GET", PATH, response(404, ORG_NOT_FOUND))]
    run = run_module(main, dict(ARGS, wait=True), script)
    assert run.result["changed"] is True and run.clock.waits == [1.0]
    assert all(r["params"] == SCOPE for r in run.session.requests)


def test_wait_timeout_reports_the_accepted_deletion(run_module):
    script = [("DELETE", PATH, response(204))] + [("GET", PATH, response(200, ORDERS))] * 3
    run = run_module(main, dict(ARGS, wait=True, wait_timeout=2), script)
    assert run.result["failed"] is True and run.result["changed"] is True
    assert "Kafka cluster lkc-1 is still being deleted after wait_timeout (2 s)" in run.result["msg"]


def test_deletion_protection_fails_with_the_api_message_and_what_to_do(run_module):
    body = {"errors": [{"status": "409", "code": "resource_conflict", "title": "Conflict",
                        "detail": "Cluster deletion protection is enabled"}]}
    run = run_module(main, ARGS, [("DELETE", PATH, response(409, body, headers={"X-Request-Id": "rid-409"}))])
    assert run.result["failed"] is True and run.result["changed"] is False
    msg = run.result["msg"]
    assert "HTTP 409" in msg and "Cluster deletion protection is enabled" in msg and "rid-409" in msg
    assert "Turn the cluster's deletion protection off" in msg
    assert run.result["status"] == 409 and run.result["error"] == body


@pytest.mark.parametrize("args, fragment", [
    (dict(environment_id="env-1", state="absent"), "id"),
    (dict(id="lkc-1", state="absent"), "environment_id"),
    (dict(ARGS, id="lkc-1/.."), None),
    (dict(ARGS, display_name=" "), "display_name must not be empty"),
    (dict(ARGS, wait_timeout=-1), "wait_timeout must be at least 0"),
])
def test_bad_input_fails_before_any_request(run_module, args, fragment):
    if fragment is None:  # any printable ID is one encoded path segment, not a failure
        run = run_module(main, args, [("DELETE", "/cmk/v2/clusters/lkc-1%2F..", response(404, ORG_NOT_FOUND))]
                         + ENVIRONMENT_EXISTS)
        assert run.result["changed"] is False
        return
    run = run_module(main, args)
    assert run.result["failed"] is True and fragment in run.result["msg"]
    assert run.calls == []

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
    ksqldb_cluster,
    page,
)
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import response

PATH = "/cmk/v2/clusters/lkc-1"
ARGS = dict(id="lkc-1", environment_id="env-1", state="absent")
ORDERS = cluster("lkc-1", "orders")
SCOPE = {"environment": "env-1"}
ENV_PATH = "/org/v2/environments/env-1"
ENVIRONMENT_EXISTS = [("GET", ENV_PATH, response(200, env("env-1", "staging")))]
ENVIRONMENT_MISSING = [("GET", ENV_PATH, response(404, ORG_NOT_FOUND))]
KSQLDB = "/ksqldbcm/v2/clusters"
CONNECTORS = connectors_path("lkc-1")
# ksqlDB clusters of the environment: two on lkc-1 (one already being deleted), one on another cluster.
ON_LKC_1 = ksqldb_cluster("lksqlc-1", "orders-ksql")
GOING = dict(ksqldb_cluster("lksqlc-2", "old-ksql"), metadata={"deleted_at": "2026-11-30T00:00:00Z"})
ELSEWHERE = dict(ksqldb_cluster("lksqlc-3", "other"), spec={"display_name": "other", "kafka_cluster": {"id": "lkc-2"}})
TOKEN = dict(access_token="tok-1", api_endpoint="http://127.0.0.1:9")
KSQLDB_LIST = ("GET", KSQLDB, page([ON_LKC_1, GOING, ELSEWHERE], path=KSQLDB, kind="ClusterList"))
USERS = ("GET", CONNECTORS, expansions(("s3-sink", "lcc-1", "RUNNING"), ("jdbc", "lcc-2", "FAILED")))
WHAT_USES_IT = {"connectors": [{"name": "jdbc", "id": "lcc-2", "state": "FAILED"},
                               {"name": "s3-sink", "id": "lcc-1", "state": "RUNNING"}],
                "ksqldb_clusters": [{"id": "lksqlc-1", "display_name": "orders-ksql", "kafka_cluster_id": "lkc-1"}]}


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


def test_check_mode_gets_it_and_previews_what_uses_it(run_module):
    run = run_module(main, ARGS, [("GET", PATH, response(200, ORDERS)), USERS, KSQLDB_LIST], check_mode=True,
                     diff=True)
    assert run.calls == [("GET", PATH), ("GET", CONNECTORS), ("GET", KSQLDB)]
    assert run.session.requests[0]["params"] == SCOPE
    assert run.session.requests[2]["params"] == dict(SCOPE, page_size=100)
    assert run.result["changed"] is True and run.result["kafka_cluster"] == ORDERS
    assert run.result["contents"] == WHAT_USES_IT
    assert run.result["diff"]["before"] == dict(ORDERS, contents=WHAT_USES_IT)


@pytest.mark.parametrize("diff", [False, True])
def test_cascade_deletes_connectors_then_ksqldb_clusters_then_the_cluster(run_module, diff):
    script = [("GET", PATH, response(200, ORDERS)), USERS, KSQLDB_LIST,
              ("DELETE", CONNECTORS + "/jdbc", response(200, {})), ("DELETE", CONNECTORS + "/s3-sink", response(200, {})),
              ("DELETE", KSQLDB + "/lksqlc-1", response(204)), ("DELETE", PATH, response(204))]
    run = run_module(main, dict(ARGS, cascade=True), script, diff=diff)
    assert [call for call in run.calls if call[0] == "DELETE"] == [
        ("DELETE", CONNECTORS + "/jdbc"), ("DELETE", CONNECTORS + "/s3-sink"), ("DELETE", KSQLDB + "/lksqlc-1"),
        ("DELETE", PATH)]
    assert run.session.requests[5]["params"] == SCOPE
    assert run.result["changed"] is True and run.result["contents"] == WHAT_USES_IT


def test_cascade_in_check_mode_lists_everything_and_deletes_nothing(run_module):
    run = run_module(main, dict(ARGS, cascade=True), [("GET", PATH, response(200, ORDERS)), USERS, KSQLDB_LIST],
                     check_mode=True)
    assert [method for method, dummy in run.calls] == ["GET"] * 3
    assert run.result["changed"] is True and run.result["contents"] == WHAT_USES_IT


def test_cascade_never_touches_a_protected_cluster(run_module):
    protected = dict(ORDERS, spec=dict(ORDERS["spec"], deletion_protection=True))
    for check_mode in (False, True):
        run = run_module(main, dict(ARGS, cascade=True), [("GET", PATH, response(200, protected))],
                         check_mode=check_mode)
        assert run.result["failed"] is True and run.result["changed"] is False and run.calls == [("GET", PATH)]
        assert "deletion protection on" in run.result["msg"] and "Nothing was deleted" in run.result["msg"]


def test_with_an_access_token_the_preview_says_it_cannot_list_ksqldb_clusters_and_cascade_refuses(run_module):
    run = run_module(main, dict(ARGS, **TOKEN), [("GET", PATH, response(200, ORDERS)), USERS], check_mode=True,
                     credentials=False)
    assert run.calls == [("GET", PATH), ("GET", CONNECTORS)]
    assert run.result["contents"] == dict(WHAT_USES_IT, ksqldb_clusters=None)
    assert any("ksqlDB API (ksqldbcm/v2) accepts a Cloud API key" in warning for warning in run.warnings)
    run = run_module(main, dict(ARGS, cascade=True, **TOKEN), [("GET", PATH, response(200, ORDERS))],
                     credentials=False)
    assert run.result["failed"] is True and run.calls == [("GET", PATH)]
    assert "cascade must list the ksqlDB clusters" in run.result["msg"] and "Nothing was deleted" in run.result["msg"]


def test_a_cascade_that_stops_says_what_went_and_what_remains(run_module):
    refused = {"errors": [{"status": "403", "title": "Forbidden", "detail": "may not delete ksqlDB clusters"}]}
    script = [("GET", PATH, response(200, ORDERS)), USERS, KSQLDB_LIST,
              ("DELETE", CONNECTORS + "/jdbc", response(200, {})), ("DELETE", CONNECTORS + "/s3-sink", response(404, {})),
              ("DELETE", KSQLDB + "/lksqlc-1", response(403, refused))]
    run = run_module(main, dict(ARGS, cascade=True), script)
    assert run.result["failed"] is True and run.result["changed"] is True and run.result["status"] == 403
    msg = run.result["msg"]
    assert "may not delete ksqlDB clusters" in msg
    assert ("The cascade stopped: deleted connector jdbc, connector s3-sink; still there: ksqlDB cluster lksqlc-1, "
            "the Kafka cluster lkc-1. Run the task again to finish") in msg
    assert ("DELETE", PATH) not in run.calls


def test_without_cascade_a_409_that_names_what_uses_the_cluster_says_cascade_would_remove_it(run_module):
    body = {"errors": [{"status": "409", "code": "resource_conflict", "title": "Conflict",
                        "detail": "Kafka cluster lkc-1 has 1 ksqlDB cluster (lksqlc-1); delete it first"}]}
    run = run_module(main, ARGS, [("DELETE", PATH, response(409, body))])
    assert run.result["failed"] is True and run.result["changed"] is False
    assert "cascade=true deletes the cluster's connectors, then its ksqlDB clusters" in run.result["msg"]
    assert "lksqlc-1" in run.result["msg"] and run.calls == [("DELETE", PATH)]


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

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.modules.confluent_environment import main
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.api_bodies import (
    FORBIDDEN,
    ORG_NOT_FOUND,
    cluster,
    cluster_page,
    compute_pool,
    connectors_path,
    env,
    expansions,
    ksqldb_cluster,
    page,
)
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import response

LIST = "/org/v2/environments"
PATH = "/org/v2/environments/env-1"
CLUSTERS = "/cmk/v2/clusters"
NOT_FOUND = ORG_NOT_FOUND
STAGING = env("env-1", "staging")
KSQLDB = "/ksqldbcm/v2/clusters"
POOLS = "/fcpm/v2/compute-pools"
NO_CONTENTS = {"kafka_clusters": [], "connectors": [], "ksqldb_clusters": [], "flink_compute_pools": []}
# The answers of the two lists that end every preview, when the environment has no ksqlDB cluster or compute pool.
NO_KSQLDB_NOR_POOLS = [("GET", KSQLDB, page([], path=KSQLDB, kind="ClusterList")),
                       ("GET", POOLS, page([], path=POOLS, kind="ComputePoolList"))]


def test_delete_by_id_is_exactly_one_request(run_module):
    run = run_module(main, dict(id="env-1", state="absent"), [("DELETE", PATH, response(204))])
    assert run.calls == [("DELETE", PATH)]
    assert run.result["changed"] is True and run.result["environment"] == {"id": "env-1"}


def test_already_gone_is_ok(run_module):
    run = run_module(main, dict(id="env-1", state="absent"), [("DELETE", PATH, response(404, NOT_FOUND))])
    assert run.result["changed"] is False and not run.result.get("failed")


def test_check_mode_existing(run_module):
    run = run_module(main, dict(id="env-1", state="absent"),
                     [("GET", PATH, response(200, STAGING)), ("GET", CLUSTERS, cluster_page([]))] + NO_KSQLDB_NOR_POOLS,
                     check_mode=True)
    assert run.calls == [("GET", PATH), ("GET", CLUSTERS), ("GET", KSQLDB), ("GET", POOLS)]
    assert [r["params"] for r in run.session.requests[2:]] == [{"environment": "env-1", "page_size": 100}] * 2
    assert run.result["changed"] is True and run.result["environment"] == STAGING
    assert run.result["contents"] == NO_CONTENTS


def test_check_mode_previews_every_cluster_and_connector_the_deletion_takes(run_module):
    script = [
        ("GET", PATH, response(200, STAGING)),
        ("GET", CLUSTERS, cluster_page([cluster("lkc-1", "orders")], next_token="p2")),
        ("GET", CLUSTERS, cluster_page([cluster("lkc-2", "clicks")])),
        ("GET", connectors_path("lkc-1"), expansions(("s3-sink", "lcc-11", "RUNNING"), ("jdbc", "lcc-12", "FAILED"))),
        ("GET", connectors_path("lkc-2"), expansions()),
        ("GET", KSQLDB, page([ksqldb_cluster("lksqlc-1", "orders-ksql")], path=KSQLDB, kind="ClusterList")),
        ("GET", POOLS, page([compute_pool("lfcp-1", "orders-flink")], path=POOLS, kind="ComputePoolList")),
    ]
    run = run_module(main, dict(id="env-1", state="absent"), script, check_mode=True)
    assert run.result["changed"] is True
    assert run.result["contents"] == {
        "kafka_clusters": [{"id": "lkc-1", "display_name": "orders"}, {"id": "lkc-2", "display_name": "clicks"}],
        "connectors": [
            {"name": "jdbc", "id": "lcc-12", "kafka_cluster_id": "lkc-1", "state": "FAILED"},
            {"name": "s3-sink", "id": "lcc-11", "kafka_cluster_id": "lkc-1", "state": "RUNNING"},
        ],
        "ksqldb_clusters": [{"id": "lksqlc-1", "display_name": "orders-ksql", "kafka_cluster_id": "lkc-1"}],
        "flink_compute_pools": [{"id": "lfcp-1", "display_name": "orders-flink"}],
    }
    cluster_requests = run.session.requests[1:3]
    assert [r["params"] for r in cluster_requests] == [
        {"environment": "env-1", "page_size": 100}, {"environment": "env-1", "page_size": 100, "page_token": "p2"}]
    assert [r["params"] for r in run.session.requests[3:5]] == [{"expand": "id,info,status"}] * 2


def test_preview_of_a_cluster_list_refused_with_403_fails_instead_of_showing_nothing(run_module):
    script = [
        ("GET", PATH, response(200, STAGING)),
        ("GET", CLUSTERS, response(403, FORBIDDEN)),
        ("GET", PATH, response(200, STAGING)),
    ]
    run = run_module(main, dict(id="env-1", state="absent"), script, check_mode=True)
    assert run.result["failed"] is True and run.result["status"] == 403
    assert run.result["msg"].startswith("GET /cmk/v2/clusters failed with HTTP 403")


def test_preview_of_a_cluster_gone_meanwhile_lists_no_connectors_for_it(run_module):
    script = [
        ("GET", PATH, response(200, STAGING)),
        ("GET", CLUSTERS, cluster_page([cluster("lkc-1", "orders")])),
        ("GET", connectors_path("lkc-1"), response(404, {"error": {"code": 404, "message": "not found"}})),
    ] + NO_KSQLDB_NOR_POOLS
    run = run_module(main, dict(id="env-1", state="absent"), script, check_mode=True)
    assert run.result["contents"] == dict(NO_CONTENTS, kafka_clusters=[{"id": "lkc-1", "display_name": "orders"}])


def test_check_mode_absent(run_module):
    run = run_module(main, dict(id="env-1", state="absent"), [("GET", PATH, response(404, NOT_FOUND))],
                     check_mode=True)
    assert run.result["changed"] is False and run.result["environment"] == {"id": "env-1"}


def test_environment_already_being_deleted_is_not_a_change(run_module):
    going = env("env-1", "staging", metadata={"deleted_at": "2026-11-23T10:00:00Z"})
    run = run_module(main, dict(id="env-1", state="absent"), [("GET", PATH, response(200, going))],
                     check_mode=True)
    assert run.result["changed"] is False


def test_diff(run_module):
    script = [("GET", PATH, response(200, STAGING)), ("GET", CLUSTERS, cluster_page([cluster("lkc-1", "orders")])),
              ("GET", connectors_path("lkc-1"), expansions(("s3-sink", "lcc-11", "PAUSED")))]
    script += NO_KSQLDB_NOR_POOLS + [("DELETE", PATH, response(204))]
    run = run_module(main, dict(id="env-1", state="absent"), script, diff=True)
    contents = dict(NO_CONTENTS, kafka_clusters=[{"id": "lkc-1", "display_name": "orders"}],
                    connectors=[{"name": "s3-sink", "id": "lcc-11", "kafka_cluster_id": "lkc-1", "state": "PAUSED"}])
    assert run.result["diff"] == {"before": dict(STAGING, contents=contents), "after": {}}
    assert run.result["contents"] == contents
    assert run.result["changed"] is True
    assert run.calls[-1] == ("DELETE", PATH)


def test_no_preview_in_normal_mode_without_diff(run_module):
    run = run_module(main, dict(id="env-1", display_name="staging", state="absent"),
                     [("GET", PATH, response(200, STAGING)), ("DELETE", PATH, response(204))])
    assert run.calls == [("GET", PATH), ("DELETE", PATH)]
    assert "contents" not in run.result


def test_display_name_lookup_across_pages_exact_match_only(run_module):
    script = [
        ("GET", LIST, page([env("env-9", "staging-old"), env("env-8", "Staging")], "p2")),
        ("GET", LIST, page([env("env-7", "pre-staging"), STAGING], "p3")),
        ("GET", LIST, page([env("env-6", "staging ")])),
        ("DELETE", PATH, response(204)),
    ]
    run = run_module(main, dict(display_name="staging", state="absent"), script)
    assert run.result["changed"] is True and run.result["environment"] == STAGING
    tokens = [r["params"].get("page_token") for r in run.session.requests[:3]]
    assert tokens == [None, "p2", "p3"]


def test_display_name_without_match_is_already_absent(run_module):
    run = run_module(main, dict(display_name="staging", state="absent"), [("GET", LIST, page([env("env-2", "prod")]))])
    assert run.result["changed"] is False
    assert run.result["environment"] == {"display_name": "staging"}


def test_display_name_with_several_matches_fails_naming_ids(run_module):
    run = run_module(main, dict(display_name="staging", state="absent"),
                     [("GET", LIST, page([env("env-2", "staging"), STAGING]))])
    assert run.result["failed"] is True
    assert "env-1, env-2" in run.result["msg"] and "Nothing was deleted" in run.result["msg"]


def test_guard_match_deletes(run_module):
    run = run_module(main, dict(id="env-1", display_name="staging", state="absent"),
                     [("GET", PATH, response(200, STAGING)), ("DELETE", PATH, response(204))])
    assert run.result["changed"] is True


def test_guard_mismatch_fails_and_deletes_nothing(run_module):
    run = run_module(main, dict(id="env-1", display_name="production", state="absent"),
                     [("GET", PATH, response(200, STAGING))])
    assert run.result["failed"] is True
    assert "Safety guard" in run.result["msg"] and "'staging'" in run.result["msg"]
    assert run.calls == [("GET", PATH)]


def test_guard_on_absent_environment_is_ok(run_module):
    run = run_module(main, dict(id="env-1", display_name="staging", state="absent"),
                     [("GET", PATH, response(404, NOT_FOUND))])
    assert run.result["changed"] is False


def test_wait_polls_with_growing_intervals_until_404(run_module):
    script = [("DELETE", PATH, response(204))] + [("GET", PATH, response(200, STAGING))] * 4 + [
        ("GET", PATH, response(404, NOT_FOUND))]
    run = run_module(main, dict(id="env-1", state="absent", wait=True), script)
    assert run.result["changed"] is True
    assert run.clock.waits == [1.0, 1.5, 2.25, 3.375]


def test_wait_intervals_stop_growing_at_ten_seconds(run_module):
    script = [("DELETE", PATH, response(204))] + [("GET", PATH, response(200, STAGING))] * 9 + [
        ("GET", PATH, response(404, NOT_FOUND))]
    run = run_module(main, dict(id="env-1", state="absent", wait=True), script)
    assert max(run.clock.waits) == 10.0 and run.clock.waits[-1] == 10.0


def test_wait_treats_403_as_gone(run_module):
    script = [("DELETE", PATH, response(204)), ("GET", PATH, response(403, FORBIDDEN))]
    run = run_module(main, dict(id="env-1", state="absent", wait=True), script)
    assert run.result["changed"] is True and not run.result.get("failed")


def test_wait_timeout_fails_clearly(run_module):
    script = [("DELETE", PATH, response(204))] + [("GET", PATH, response(200, STAGING))] * 5
    run = run_module(main, dict(id="env-1", state="absent", wait=True, wait_timeout=6), script)
    assert run.result["failed"] is True
    assert "still being deleted after wait_timeout (6 s)" in run.result["msg"]
    assert sum(run.clock.waits) == pytest.approx(6.0)


def test_failure_while_waiting_still_reports_the_accepted_deletion(run_module):
    script = [("DELETE", PATH, response(204)), ("GET", PATH, response(401, FORBIDDEN))]
    run = run_module(main, dict(id="env-1", state="absent", wait=True), script)
    assert run.result["failed"] is True and run.result["changed"] is True
    assert run.result["msg"].startswith("The API accepted the deletion, but then: GET /org/v2/environments/env-1")


def test_failure_before_the_deletion_is_not_a_change(run_module):
    run = run_module(main, dict(id="env-1", state="absent"), [("DELETE", PATH, response(403, FORBIDDEN))])
    assert run.result["failed"] is True and run.result["changed"] is False


def test_wait_for_an_environment_already_being_deleted(run_module):
    going = env("env-1", "staging", metadata={"deleted_at": "2026-11-23T10:00:00Z"})
    script = [("GET", PATH, response(200, going)), ("GET", PATH, response(200, going)),
              ("GET", PATH, response(404, NOT_FOUND))]
    run = run_module(main, dict(id="env-1", display_name="staging", state="absent", wait=True), script)
    assert run.result["changed"] is False
    assert run.clock.waits == [1.0]


def test_conflict_fails_with_detail_and_request_id(run_module):
    body = {"errors": [{"status": "409", "code": "resource_conflict", "title": "Conflict",
                        "detail": "Environment has active clusters"}]}
    run = run_module(main, dict(id="env-1", state="absent"),
                     [("DELETE", PATH, response(409, body, headers={"X-Request-Id": "rid-409"}))])
    assert run.result["failed"] is True
    assert "HTTP 409" in run.result["msg"] and "Environment has active clusters" in run.result["msg"]
    assert "rid-409" in run.result["msg"] and run.result["error"] == body
    assert len(run.calls) == 1


def test_id_or_display_name_is_required(run_module):
    run = run_module(main, dict(state="absent"))
    assert run.result["failed"] is True and "id, display_name" in run.result["msg"]


def test_blank_display_name_is_refused(run_module):
    run = run_module(main, dict(display_name="  ", state="absent"))
    assert run.result["failed"] is True and "display_name must not be empty" in run.result["msg"]
    assert run.calls == []


def test_state_present_is_not_a_choice(run_module):
    run = run_module(main, dict(id="env-1", state="present"))
    assert run.result["failed"] is True and "absent" in run.result["msg"]
    assert run.calls == []


@pytest.mark.parametrize("args", [dict(id="c10500", state="absent"),
                                  dict(id="c10500", display_name="staging", state="absent")])
def test_a_mistyped_id_is_refused_before_any_request(run_module, args):
    run = run_module(main, args)
    assert run.result["failed"] is True and run.result["changed"] is False
    assert run.result["msg"] == "id must be an ID starting with env-, got 'c10500'. Nothing was deleted."
    assert run.result["environment"] == dict(id="c10500")
    assert run.calls == []

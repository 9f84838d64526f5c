# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.kafkaops.confluent_cloud.plugins.modules.confluent_kafka_topic_info import main
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.api_bodies import (
    CONNECT_NOT_FOUND,
    UNKNOWN_CLUSTER,
    cluster,
    connectors_path,
    expansions,
    topic_list,
    topics_path,
)
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import response

KAFKA = dict(kafka_api_key="CLUSTERKEY", kafka_api_secret="never-print-this-cluster-secret-0xBEEF")
ARGS = dict(KAFKA, kafka_cluster_id="lkc-1", rest_endpoint="http://127.0.0.1:9")
ORPHANS = dict(ARGS, environment_id="env-1", orphaned_connector_topics=True)
TOPICS = ("orders", "dlq-lcc-live", "dlq-lcc-gone", "success-lcc-gone", "error-lcc-gone", "error-lcc-live",
          "dlq-orders", "dlq-lcc-gone-extra", "_confluent-metrics")


def names(run):
    return [found["name"] for found in run.result["topics"]]


def test_lists_every_topic_by_name_with_one_request(run_module):
    run = run_module(main, ARGS, [("GET", topics_path(), topic_list("b", "a", partitions=2))], credentials=False)
    assert run.calls == [("GET", topics_path())]
    assert run.result["topics"] == [dict(name="a", partitions_count=2, replication_factor=3, is_internal=False),
                                    dict(name="b", partitions_count=2, replication_factor=3, is_internal=False)]
    assert run.result["changed"] is False


def test_name_and_name_regex_narrow_the_list(run_module):
    run = run_module(main, dict(ARGS, name="orders"), [("GET", topics_path(), topic_list(*TOPICS))], credentials=False)
    assert names(run) == ["orders"]
    run = run_module(main, dict(ARGS, name_regex="^dlq-"), [("GET", topics_path(), topic_list(*TOPICS))],
                     credentials=False)
    assert names(run) == ["dlq-lcc-gone", "dlq-lcc-gone-extra", "dlq-lcc-live", "dlq-orders"]


def test_orphaned_connector_topics_are_those_whose_connector_is_gone(run_module):
    run = run_module(main, ORPHANS, [
        ("GET", topics_path(), topic_list(*TOPICS)),
        ("GET", connectors_path("lkc-1"), expansions(("orders-sink", "lcc-live", "FAILED"))),
    ])
    assert run.calls == [("GET", topics_path()), ("GET", connectors_path("lkc-1"))]
    assert names(run) == ["dlq-lcc-gone", "error-lcc-gone", "success-lcc-gone"]
    assert set(found["connector_id"] for found in run.result["topics"]) == {"lcc-gone"}


def test_orphans_with_environment_only_read_the_endpoint_first(run_module):
    body = cluster("lkc-1", "orders")
    body["spec"]["http_endpoint"] = "http://127.0.0.1:9"
    args = dict(ORPHANS, rest_endpoint=None)
    run = run_module(main, dict((k, v) for k, v in args.items() if v is not None), [
        ("GET", "/cmk/v2/clusters/lkc-1", response(200, body)),
        ("GET", topics_path(), topic_list("dlq-lcc-gone")),
        ("GET", connectors_path("lkc-1"), expansions()),
    ])
    assert names(run) == ["dlq-lcc-gone"] and len(run.calls) == 3


def test_a_connector_list_that_answers_404_calls_nothing_orphaned(run_module):
    run = run_module(main, ORPHANS, [("GET", topics_path(), topic_list("dlq-lcc-gone")),
                                     ("GET", connectors_path("lkc-1"), response(404, CONNECT_NOT_FOUND))])
    assert run.result["failed"] is True and "no topic is called orphaned" in run.result["msg"]


def test_orphans_need_environment_id_before_any_request(run_module):
    run = run_module(main, dict(ARGS, orphaned_connector_topics=True))
    assert run.result["failed"] is True and run.calls == []
    assert run.result["msg"].startswith("orphaned_connector_topics needs environment_id")


def test_an_unknown_cluster_gives_an_empty_list_and_a_warning(run_module):
    run = run_module(main, ARGS, [("GET", topics_path(), response(404, UNKNOWN_CLUSTER))], credentials=False)
    assert run.result["topics"] == [] and not run.result.get("failed")
    assert run.warnings[0].startswith("Kafka cluster lkc-1 is not served at http://127.0.0.1:9")


def test_bad_patterns_and_names_fail_before_any_request(run_module):
    run = run_module(main, dict(ARGS, name_regex="("), credentials=False)
    assert run.result["failed"] is True and run.calls == [] and run.result["msg"].startswith("name_regex is not a valid")
    run = run_module(main, dict(ARGS, name="a/b"), credentials=False)
    assert run.result["failed"] is True and run.calls == [] and run.result["msg"].startswith("name must be a Kafka")


def test_check_mode_sends_the_same_requests(run_module):
    run = run_module(main, ARGS, [("GET", topics_path(), topic_list("a"))], check_mode=True, credentials=False)
    assert names(run) == ["a"] and run.calls == [("GET", topics_path())]

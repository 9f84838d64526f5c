# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import os

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.modules.confluent_kafka_topic import main
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.api_bodies import (
    KAFKA_UNAUTHORIZED,
    ORG_NOT_FOUND,
    UNKNOWN_CLUSTER,
    UNKNOWN_TOPIC,
    cluster,
    topic,
    topics_path,
)
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import response

KAFKA = dict(kafka_api_key="CLUSTERKEY", kafka_api_secret="never-print-this-cluster-secret-0xBEEF")
ARGS = dict(KAFKA, name="dlq-lcc-1", kafka_cluster_id="lkc-1", rest_endpoint="http://127.0.0.1:9", state="absent")
BY_ENVIRONMENT = dict(KAFKA, name="dlq-lcc-1", kafka_cluster_id="lkc-1", environment_id="env-1", state="absent")
TOPIC_PATH = topics_path() + "/dlq-lcc-1"
CLUSTER_PATH = "/cmk/v2/clusters/lkc-1"


def cluster_with_endpoint(endpoint="http://127.0.0.1:9"):
    body = cluster("lkc-1", "orders")
    body["spec"]["http_endpoint"] = endpoint
    return body


def test_delete_with_rest_endpoint_is_exactly_one_request(run_module):
    run = run_module(main, ARGS, [("DELETE", TOPIC_PATH, response(204))], credentials=False)
    assert run.calls == [("DELETE", TOPIC_PATH)]
    assert run.result["changed"] is True and run.result["topic"] == dict(name="dlq-lcc-1", kafka_cluster_id="lkc-1")


def test_the_kafka_credential_is_sent_not_the_cloud_key(run_module):
    run = run_module(main, ARGS, [("DELETE", TOPIC_PATH, response(204))])
    assert run.session.headers["Authorization"] == "Basic Q0xVU1RFUktFWTpuZXZlci1wcmludC10aGlzLWNsdXN0ZXItc2VjcmV0LTB4QkVFRg=="


def test_with_environment_id_the_endpoint_is_read_from_the_cluster(run_module):
    run = run_module(main, BY_ENVIRONMENT, [("GET", CLUSTER_PATH, response(200, cluster_with_endpoint())),
                                            ("DELETE", TOPIC_PATH, response(204))])
    assert run.calls == [("GET", CLUSTER_PATH), ("DELETE", TOPIC_PATH)]
    assert run.session.requests[0]["params"] == {"environment": "env-1"}
    assert run.result["changed"] is True


def test_a_cluster_that_does_not_exist_is_ok_with_a_warning(run_module):
    run = run_module(main, BY_ENVIRONMENT, [("GET", CLUSTER_PATH, response(404, ORG_NOT_FOUND))])
    assert run.result["changed"] is False and not run.result.get("failed")
    assert run.warnings == ["Kafka cluster lkc-1 does not exist in environment env-1, so nothing was deleted; if that "
                            "is a typo, check kafka_cluster_id and environment_id."]


def test_already_gone_is_ok_without_warning(run_module):
    run = run_module(main, ARGS, [("DELETE", TOPIC_PATH, response(404, UNKNOWN_TOPIC))], credentials=False)
    assert run.result["changed"] is False and not run.result.get("failed") and run.warnings == []


def test_a_cluster_unknown_at_the_endpoint_is_ok_with_a_warning(run_module):
    run = run_module(main, ARGS, [("DELETE", TOPIC_PATH, response(404, UNKNOWN_CLUSTER))], credentials=False)
    assert run.result["changed"] is False and not run.result.get("failed")
    assert run.warnings[0].startswith("Kafka cluster lkc-1 is not served at http://127.0.0.1:9, so nothing was deleted")


def test_check_mode_only_gets_the_topic_and_diff_shows_it(run_module):
    found = topic("dlq-lcc-1")
    run = run_module(main, ARGS, [("GET", TOPIC_PATH, response(200, found))], check_mode=True, diff=True,
                     credentials=False)
    assert run.calls == [("GET", TOPIC_PATH)]
    assert run.result["changed"] is True and run.result["topic"] == found
    assert run.result["diff"] == {"before": found, "after": {}}
    run = run_module(main, ARGS, [("GET", TOPIC_PATH, response(404, UNKNOWN_TOPIC))], check_mode=True,
                     credentials=False)
    assert run.result["changed"] is False and run.calls == [("GET", TOPIC_PATH)]


def test_a_topic_name_is_one_encoded_path_segment(run_module):
    run = run_module(main, dict(ARGS, name="orders.v1_x-y"), [("DELETE", topics_path() + "/orders.v1_x-y",
                                                              response(204))], credentials=False)
    assert run.result["changed"] is True


@pytest.mark.parametrize("name", ["a/b", "bad\nname", "", ".", "..", "x" * 250, "with space"])
def test_a_name_that_cannot_be_a_topic_is_refused_before_any_request(run_module, name):
    run = run_module(main, dict(ARGS, name=name), credentials=False)
    assert run.result["failed"] is True and run.calls == []
    assert run.result["msg"].startswith("name must be a Kafka topic name")
    assert run.result["msg"].endswith("Nothing was deleted.")


@pytest.mark.parametrize("args, fragment", [
    (dict(ARGS, rest_endpoint=None), "one of the following is required: rest_endpoint, environment_id"),
    (dict(ARGS, environment_id="env-1"), "parameters are mutually exclusive: rest_endpoint|environment_id"),
    (dict(ARGS, rest_endpoint="http://pkc-1.example.com"), "Refusing plain http:// to pkc-1.example.com, the host of "
                                                           "rest_endpoint"),
    (dict(ARGS, rest_endpoint="pkc-1.example.com"), "rest_endpoint must be an absolute https:// URL such as "
                                                    "https://pkc-00000.us-west-2.aws.confluent.cloud:443"),
    (dict(ARGS, kafka_api_key=None, kafka_api_secret=None), "No Kafka cluster credentials: set kafka_api_key and "
                                                            "kafka_api_secret (or the environment variables "
                                                            "CONFLUENT_KAFKA_API_KEY and CONFLUENT_KAFKA_API_SECRET)"),
    (dict(ARGS, kafka_api_secret=None), "Incomplete Kafka cluster API key credentials: kafka_api_secret (or "
                                        "CONFLUENT_KAFKA_API_SECRET) is missing."),
    (dict(ARGS, kafka_api_key="TESTKEY"), "kafka_api_key is the Cloud API key (api_key)"),
    (dict(ARGS, kafka_cluster_id="pkc-1"), "kafka_cluster_id must be an ID starting with lkc-, got 'pkc-1'."),
])
def test_bad_input_fails_before_any_request(run_module, args, fragment):
    run = run_module(main, dict((key, value) for key, value in args.items() if value is not None))
    assert run.result["failed"] is True and run.calls == []
    assert fragment in run.result["msg"]


def test_no_kafka_credential_says_the_cloud_key_is_not_one(run_module):
    args = dict((key, value) for key, value in ARGS.items() if not key.startswith("kafka_api"))
    run = run_module(main, args)
    assert "not the Cloud API key (api_key)" in run.result["msg"] and run.calls == []


def test_credentials_from_the_environment(run_module, monkeypatch):
    monkeypatch.setenv("CONFLUENT_KAFKA_API_KEY", "ENVKEY")
    monkeypatch.setenv("CONFLUENT_KAFKA_API_SECRET", "env-secret")
    args = dict((key, value) for key, value in ARGS.items() if not key.startswith("kafka_api"))
    run = run_module(main, args, [("DELETE", TOPIC_PATH, response(204))], credentials=False)
    assert run.result["changed"] is True
    assert run.session.headers["Authorization"] == "Basic RU5WS0VZOmVudi1zZWNyZXQ="


def test_a_kafka_access_token_is_sent_as_bearer(run_module):
    args = dict((key, value) for key, value in ARGS.items() if not key.startswith("kafka_api"))
    run = run_module(main, dict(args, kafka_access_token="tok-kafka"), [("DELETE", TOPIC_PATH, response(204))],
                     credentials=False)
    assert run.result["changed"] is True and run.session.headers["Authorization"] == "Bearer tok-kafka"


def test_a_401_from_kafka_rest_says_a_cluster_key_is_needed(run_module):
    run = run_module(main, ARGS, [("DELETE", TOPIC_PATH, response(401, KAFKA_UNAUTHORIZED,
                                                                  headers={"X-Request-Id": "req-k401"}))])
    assert run.result["failed"] is True and run.result["status"] == 401 and run.result["request_id"] == "req-k401"
    assert "failed with HTTP 401 Unauthorized: Authentication failed (X-Request-Id: req-k401)" in run.result["msg"]
    assert "an API key of this Kafka cluster" in run.result["msg"] and "Cloud API key" in run.result["msg"]
    assert run.result["error"] == KAFKA_UNAUTHORIZED


def test_a_401_from_the_cloud_api_names_the_cloud_credential(run_module):
    run = run_module(main, BY_ENVIRONMENT, [("GET", CLUSTER_PATH, response(401, {"errors": [{"status": "401"}]}))])
    assert "Check api_key and api_secret" in run.result["msg"]


def test_a_403_carries_the_api_message(run_module):
    body = {"error_code": 40301, "message": "Request is not authorized"}
    run = run_module(main, ARGS, [("DELETE", TOPIC_PATH, response(403, body))], credentials=False)
    assert run.result["failed"] is True and "HTTP 403 Forbidden: Request is not authorized" in run.result["msg"]


def test_an_html_429_without_retry_after_is_retried_with_backoff(run_module):
    page = "<html><head><title>Error 429 Too Many Requests</title></head><body>HTTP ERROR 429</body></html>"
    run = run_module(main, ARGS, [("DELETE", TOPIC_PATH, response(429, text=page, headers={"Content-Type": "text/html"})),
                                  ("DELETE", TOPIC_PATH, response(204))], credentials=False)
    assert run.result["changed"] is True and run.result["retries"] == 1
    assert 0 < run.clock.waits[0] <= 1.0 and run.result["retry_wait"] == pytest.approx(run.clock.waits[0], abs=1e-3)


def test_the_cluster_secret_never_appears_in_the_output(run_module):
    run = run_module(main, ARGS, [("DELETE", TOPIC_PATH, response(401, KAFKA_UNAUTHORIZED))])
    assert KAFKA["kafka_api_secret"] not in run.stdout and "never-print-this-secret" not in run.stdout


def test_kafka_rest_has_a_rate_limit_budget_of_its_own(run_module, tmp_path):
    budget = {"X-RateLimit-Limit": "25", "X-RateLimit-Remaining": "20", "X-RateLimit-Reset": "30"}
    run = run_module(main, BY_ENVIRONMENT, [("GET", CLUSTER_PATH, response(200, cluster_with_endpoint(), headers=budget)),
                                            ("DELETE", TOPIC_PATH, response(204, headers=budget))])
    assert run.result["changed"] is True
    # One budget file for the Cloud API key at the Cloud endpoint, one for the cluster key at the REST endpoint.
    assert len([name for name in os.listdir(str(tmp_path)) if name.startswith("kafkaops-confluent-cloud-rate-")]) == 2


def test_a_cluster_without_a_rest_endpoint_asks_for_rest_endpoint(run_module):
    body = cluster("lkc-1", "orders")
    run = run_module(main, BY_ENVIRONMENT, [("GET", CLUSTER_PATH, response(200, body))])
    assert run.result["failed"] is True and run.calls == [("GET", CLUSTER_PATH)]
    assert run.result["msg"] == ("Kafka cluster lkc-1 shows no REST endpoint (spec.http_endpoint is empty): give "
                                 "rest_endpoint.")

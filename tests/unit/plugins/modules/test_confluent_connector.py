# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._version import COLLECTION_VERSION
from ansible_collections.kafkaops.confluent_cloud.plugins.modules.confluent_connector import main
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.api_bodies import (
    FORBIDDEN,
    ORG_NOT_FOUND,
    cluster,
    connectors_path,
    env,
    expansion,
    topic_list,
    topics_path,
)
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import read_timeout, response
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.modules.module_runner import CREDENTIALS

PATH = "/connect/v1/environments/env-1/clusters/lkc-1/connectors/orders-sink"
ARGS = dict(name="orders-sink", environment_id="env-1", kafka_cluster_id="lkc-1", state="absent")
CONNECTOR = {"name": "orders-sink", "type": "sink", "config": {"connector.class": "S3_SINK"},
             "tasks": [{"connector": "orders-sink", "task": 0}]}
NOT_FOUND = {"error": {"code": 404, "message": "resource not found"}}
IDENTITY = dict(name="orders-sink", environment_id="env-1", kafka_cluster_id="lkc-1")
ENV_PATH = "/org/v2/environments/env-1"
CLUSTER_PATH = "/cmk/v2/clusters/lkc-1"
# The answers when the module, told the connector is not there, asks after its cluster (which, when it exists, proves
# its environment too), then, only if the cluster is not there, after the environment.
PARENTS_EXIST = [("GET", CLUSTER_PATH, response(200, cluster("lkc-1", "orders")))]
ENVIRONMENT_MISSING = [("GET", CLUSTER_PATH, response(403, FORBIDDEN)), ("GET", ENV_PATH, response(404, ORG_NOT_FOUND))]
CLUSTER_MISSING = [("GET", CLUSTER_PATH, response(404, ORG_NOT_FOUND)),
                   ("GET", ENV_PATH, response(200, env("env-1", "staging")))]


def test_delete_is_exactly_one_request(run_module):
    run = run_module(main, ARGS, [("DELETE", PATH, response(200, {"error": None}))])
    assert run.calls == [("DELETE", PATH)]
    assert run.result["changed"] is True
    assert run.result["connector"] == IDENTITY
    assert run.result["retries"] == 0 and "diff" not in run.result


@pytest.mark.parametrize("body", [NOT_FOUND, {"error_code": 404, "message": "Connector not found"}])
def test_already_gone_is_ok(run_module, body):
    run = run_module(main, ARGS, [("DELETE", PATH, response(404, body))] + PARENTS_EXIST)
    assert run.result["changed"] is False
    assert not run.result.get("failed")
    assert run.calls == [("DELETE", PATH), ("GET", CLUSTER_PATH)]
    assert run.session.requests[1]["params"] == {"environment": "env-1"}
    assert run.warnings == []


def test_a_404_in_an_environment_that_does_not_exist_is_ok_with_a_warning(run_module):
    run = run_module(main, ARGS, [("DELETE", PATH, response(404, NOT_FOUND))] + ENVIRONMENT_MISSING)
    assert run.result["changed"] is False and not run.result.get("failed")
    assert run.calls == [("DELETE", PATH), ("GET", CLUSTER_PATH), ("GET", ENV_PATH)]
    assert run.warnings == ["environment env-1 does not exist, so nothing was deleted; if that is a typo, check "
                            "environment_id and kafka_cluster_id."]


def test_a_404_in_a_cluster_that_does_not_exist_is_ok_with_a_warning(run_module):
    run = run_module(main, ARGS, [("DELETE", PATH, response(404, NOT_FOUND))] + CLUSTER_MISSING)
    assert run.result["changed"] is False and not run.result.get("failed")
    assert run.calls == [("DELETE", PATH), ("GET", CLUSTER_PATH), ("GET", ENV_PATH)]
    assert len(run.warnings) == 1
    assert run.warnings[0].startswith("Kafka cluster lkc-1 does not exist in environment env-1, so nothing was deleted")


def test_a_parent_that_cannot_be_read_is_not_called_missing(run_module):
    run = run_module(main, ARGS, [("DELETE", PATH, response(404, NOT_FOUND)),
                                  ("GET", CLUSTER_PATH, response(403, FORBIDDEN)),
                                  ("GET", ENV_PATH, response(403, FORBIDDEN))])
    assert run.result["changed"] is False and not run.result.get("failed")
    assert run.warnings == []


def test_a_403_in_an_environment_that_does_not_exist_is_ok_with_a_warning(run_module):
    # Confluent may answer a request in an unknown environment with 403 instead of 404.
    run = run_module(main, ARGS, [("DELETE", PATH, response(403, FORBIDDEN))] + ENVIRONMENT_MISSING)
    assert run.result["changed"] is False and not run.result.get("failed")
    assert run.warnings[0].startswith("environment env-1 does not exist")


def test_a_403_where_the_parents_exist_fails_with_the_api_message(run_module):
    run = run_module(main, ARGS, [("DELETE", PATH, response(403, FORBIDDEN))] + PARENTS_EXIST)
    assert run.result["failed"] is True and run.result["status"] == 403
    assert "User Access Unauthorized" in run.result["msg"] and run.warnings == []


def test_check_mode_existing_sends_only_a_get(run_module):
    run = run_module(main, ARGS, [("GET", PATH, response(200, CONNECTOR))], check_mode=True)
    assert run.calls == [("GET", PATH)]
    assert run.result["changed"] is True
    assert run.result["connector"] == dict(CONNECTOR, environment_id="env-1", kafka_cluster_id="lkc-1")


def test_check_mode_absent_is_ok(run_module):
    run = run_module(main, ARGS, [("GET", PATH, response(404, NOT_FOUND))] + PARENTS_EXIST, check_mode=True)
    assert run.calls == [("GET", PATH), ("GET", CLUSTER_PATH)]
    assert run.warnings == []
    assert run.result["changed"] is False
    assert run.result["connector"] == IDENTITY


def test_diff_fetches_then_deletes(run_module):
    run = run_module(main, ARGS, [("GET", PATH, response(200, CONNECTOR)),
                                  ("DELETE", PATH, response(200, {"error": None}))], diff=True)
    assert run.result["changed"] is True
    assert run.result["diff"] == {"before": dict(CONNECTOR, environment_id="env-1", kafka_cluster_id="lkc-1"),
                                  "after": {}}


def test_check_mode_in_an_environment_that_does_not_exist_warns_as_normal_mode_does(run_module):
    run = run_module(main, ARGS, [("GET", PATH, response(404, NOT_FOUND))] + ENVIRONMENT_MISSING, check_mode=True)
    assert run.result["changed"] is False
    assert run.warnings[0].startswith("environment env-1 does not exist, so nothing was deleted")


def test_a_connector_found_then_gone_needs_no_look_at_its_parents(run_module):
    run = run_module(main, ARGS, [("GET", PATH, response(200, CONNECTOR)), ("DELETE", PATH, response(404, NOT_FOUND))],
                     diff=True)
    assert run.calls == [("GET", PATH), ("DELETE", PATH)]
    assert run.result["changed"] is False and run.warnings == []


def test_diff_of_an_absent_connector_is_empty(run_module):
    run = run_module(main, ARGS, [("GET", PATH, response(404, NOT_FOUND))] + PARENTS_EXIST, diff=True)
    assert run.calls == [("GET", PATH), ("GET", CLUSTER_PATH)]
    assert run.result["diff"] == {"before": {}, "after": {}}
    assert run.result["changed"] is False


def test_check_mode_with_diff_predicts_the_diff(run_module):
    run = run_module(main, ARGS, [("GET", PATH, response(200, CONNECTOR))], check_mode=True, diff=True)
    assert run.result["changed"] is True
    assert run.result["diff"]["before"]["type"] == "sink"


def test_dropped_first_attempt_then_404_counts_as_changed(run_module):
    run = run_module(main, ARGS, [("DELETE", PATH, read_timeout()), ("DELETE", PATH, response(404, NOT_FOUND))])
    assert run.result["changed"] is True
    assert run.result["retries"] == 1
    assert any("most likely deleted it" in w for w in run.warnings)


def test_rate_limited_then_deleted_reports_wait(run_module):
    run = run_module(main, ARGS, [("DELETE", PATH, response(429, headers={"Retry-After": "2"})),
                                  ("DELETE", PATH, response(200, {"error": None}))])
    assert run.result["changed"] is True
    assert run.result["retries"] == 1
    assert 2.0 <= run.result["retry_wait"] <= 2.5
    assert 2.0 <= run.clock.waits[0] <= 2.5
    assert any("Retried 1 time(s) after HTTP 429" in w for w in run.warnings)


def test_unauthorized_fails_with_status_message_and_request_id(run_module):
    run = run_module(main, ARGS, [("DELETE", PATH, response(401, {"error": {"code": 401, "message": "Unauthorized"}},
                                                            headers={"X-Request-Id": "rid-401"}))])
    result = run.result
    assert result["failed"] is True
    assert "DELETE %s failed with HTTP 401" % PATH in result["msg"]
    assert "Unauthorized" in result["msg"] and "rid-401" in result["msg"]
    # What to check, in the user's words: the options, their environment variables, and the kind of key.
    for setting in ("api_key", "api_secret", "access_token", "CONFLUENT_CLOUD_API_KEY", "CONFLUENT_CLOUD_API_SECRET",
                    "CONFLUENT_CLOUD_ACCESS_TOKEN"):
        assert setting in result["msg"]
    assert "Cloud API key" in result["msg"] and "not a Kafka cluster API key" in result["msg"]
    assert result["status"] == 401 and result["request_id"] == "rid-401"
    assert result["error"] == {"error": {"code": 401, "message": "Unauthorized"}}
    assert CREDENTIALS["api_secret"] not in run.stdout


def test_html_gateway_page_fails_cleanly(run_module):
    page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    run = run_module(main, dict(ARGS, api_retries=0), [("DELETE", PATH, response(502, text=page))])
    assert run.result["failed"] is True
    assert "HTTP 502" in run.result["msg"] and "502 Bad Gateway</h1>" in run.result["msg"]
    assert run.result["error"] is None


def test_secret_never_in_output(run_module):
    run = run_module(main, ARGS, [("DELETE", PATH, response(200, {"error": None}))])
    assert CREDENTIALS["api_secret"] not in run.stdout


def test_path_values_are_encoded_as_single_segments(run_module):
    args = dict(ARGS, name="team/a b%?#", environment_id="env-1 a", kafka_cluster_id="lkc-ü")
    path = "/connect/v1/environments/env-1%20a/clusters/lkc-%C3%BC/connectors/team%2Fa%20b%25%3F%23"
    run = run_module(main, args, [("DELETE", path, response(200, {"error": None}))])
    assert run.calls == [("DELETE", path)]


@pytest.mark.parametrize("field, value, fragment", [
    ("name", "  ", "name must not be empty"),
    ("name", "", "name must not be empty"),
    ("environment_id", "env\n1", "control characters"),
    ("kafka_cluster_id", "..", "cannot be '..'"),
])
def test_bad_values_fail_before_any_request(run_module, field, value, fragment):
    run = run_module(main, dict(ARGS, **{field: value}))
    assert run.result["failed"] is True and fragment in run.result["msg"]
    assert run.calls == []


@pytest.mark.parametrize("args, msg", [
    (dict(ARGS, environment_id="c1050"), "environment_id must be an ID starting with env-, got 'c1050'."),
    (dict(ARGS, environment_id="env-"), "environment_id must be an ID starting with env-, got 'env-'."),
    (dict(ARGS, kafka_cluster_id="lkc1"), "kafka_cluster_id must be an ID starting with lkc-, got 'lkc1'."),
    (dict(ARGS, kafka_cluster_id="env-1"), "kafka_cluster_id must be an ID starting with lkc-, got 'env-1'."),
    (dict(ARGS, name=None, id="orders-sink"), "id must be an ID starting with lcc-, got 'orders-sink'."),
])
def test_a_mistyped_id_is_refused_before_any_request(run_module, args, msg):
    run = run_module(main, dict((key, value) for key, value in args.items() if value is not None))
    assert run.result["failed"] is True and run.result["changed"] is False
    assert run.result["msg"] == msg + " Nothing was deleted."
    assert run.calls == []


def test_an_endpoint_from_the_environment_is_named_as_such(run_module, monkeypatch):
    monkeypatch.setenv("CONFLUENT_CLOUD_API_ENDPOINT", "127.0.0.1:8080")
    credentials = dict(api_key=CREDENTIALS["api_key"], api_secret=CREDENTIALS["api_secret"])
    run = run_module(main, dict(ARGS, **credentials), credentials=False)
    assert run.result["failed"] is True and run.calls == []
    msg = run.result["msg"]
    assert msg.startswith("CONFLUENT_CLOUD_API_ENDPOINT (an environment variable; the task sets no api_endpoint) "
                          "must be an absolute https:// URL")
    assert "http:// is accepted for a loopback address only" in msg and "'127.0.0.1:8080'" in msg


def test_an_endpoint_of_the_task_is_named_even_with_the_variable_set(run_module, monkeypatch):
    monkeypatch.setenv("CONFLUENT_CLOUD_API_ENDPOINT", "http://127.0.0.1:9")
    run = run_module(main, dict(ARGS, api_endpoint="http://10.0.0.1:8080"))
    assert run.result["failed"] is True and run.calls == []
    assert run.result["msg"].startswith("Refusing plain http:// to 10.0.0.1, the host of api_endpoint:")
    assert "CONFLUENT_CLOUD_API_ENDPOINT" not in run.result["msg"]


def test_a_remote_http_endpoint_from_the_environment_is_refused_naming_it(run_module, monkeypatch):
    monkeypatch.setenv("CONFLUENT_CLOUD_API_ENDPOINT", "http://10.0.0.1:8080")
    credentials = dict(api_key=CREDENTIALS["api_key"], api_secret=CREDENTIALS["api_secret"])
    run = run_module(main, dict(ARGS, **credentials), credentials=False)
    assert run.result["msg"].startswith("Refusing plain http:// to 10.0.0.1, the host of CONFLUENT_CLOUD_API_ENDPOINT")
    assert "http:// only to a loopback address" in run.result["msg"]


def test_state_is_required(run_module):
    args = dict(ARGS)
    del args["state"]
    run = run_module(main, args)
    assert run.result["failed"] is True and "state" in run.result["msg"]
    assert run.calls == []


def test_missing_credentials_fail_naming_options_and_variables(run_module):
    run = run_module(main, dict(ARGS, api_endpoint="http://127.0.0.1:9"), credentials=False)
    msg = run.result["msg"]
    for name in ("api_key", "api_secret", "access_token", "CONFLUENT_CLOUD_API_KEY", "CONFLUENT_CLOUD_API_SECRET",
                 "CONFLUENT_CLOUD_ACCESS_TOKEN"):
        assert name in msg
    assert run.calls == []


def test_half_a_key_names_the_missing_part(run_module):
    run = run_module(main, dict(ARGS, api_key="K", api_endpoint="http://127.0.0.1:9"), credentials=False)
    assert "api_secret (or CONFLUENT_CLOUD_API_SECRET) is missing" in run.result["msg"]


def test_credentials_from_environment(run_module, monkeypatch):
    monkeypatch.setenv("CONFLUENT_CLOUD_API_KEY", "ENVKEY")
    monkeypatch.setenv("CONFLUENT_CLOUD_API_SECRET", "ENVSECRET")
    monkeypatch.setenv("CONFLUENT_CLOUD_API_ENDPOINT", "http://127.0.0.1:9")
    run = run_module(main, ARGS, [("DELETE", PATH, response(200, {"error": None}))], credentials=False)
    assert run.result["changed"] is True
    assert run.session.headers["Authorization"] == "Basic " + base64.b64encode(b"ENVKEY:ENVSECRET").decode()
    assert "ENVSECRET" not in run.stdout


def test_access_token_is_sent_as_bearer(run_module):
    args = dict(ARGS, access_token="tok-123", api_endpoint="http://127.0.0.1:9")
    run = run_module(main, args, [("DELETE", PATH, response(200, {"error": None}))], credentials=False)
    assert run.session.headers["Authorization"] == "Bearer tok-123"
    assert "tok-123" not in run.stdout


def test_credentials_lose_surrounding_whitespace(run_module):
    args = dict(ARGS, access_token="tok-123\n", api_endpoint="http://127.0.0.1:9")
    run = run_module(main, args, [("DELETE", PATH, response(200, {"error": None}))], credentials=False)
    assert run.session.headers["Authorization"] == "Bearer tok-123"


@pytest.mark.parametrize("token, fragment", [
    ("Zq9w\r\nX-Evil: 1", "control characters"),
    ("Zq9w\x00en", "control characters"),
    ("Zq9wö€n", "cannot be sent in an HTTP header"),
])
def test_unsendable_tokens_fail_before_any_request_without_quoting_them(run_module, token, fragment):
    args = dict(ARGS, access_token=token, api_endpoint="http://127.0.0.1:9")
    run = run_module(main, args, credentials=False)
    assert run.result["failed"] is True and fragment in run.result["msg"]
    assert "Zq9w" not in run.stdout
    assert run.calls == []


def test_access_token_and_api_key_are_mutually_exclusive(run_module):
    run = run_module(main, dict(ARGS, access_token="tok"))
    assert run.result["failed"] is True and "mutually exclusive" in run.result["msg"]
    assert run.calls == []


def test_task_token_beats_environment_key(run_module, monkeypatch):
    monkeypatch.setenv("CONFLUENT_CLOUD_API_KEY", "ENVKEY")
    monkeypatch.setenv("CONFLUENT_CLOUD_API_SECRET", "ENVSECRET")
    args = dict(ARGS, access_token="tok-9", api_endpoint="http://127.0.0.1:9")
    run = run_module(main, args, [("DELETE", PATH, response(200, {"error": None}))], credentials=False)
    assert run.session.headers["Authorization"] == "Bearer tok-9"


def test_token_and_key_both_from_environment_fail(run_module, monkeypatch):
    monkeypatch.setenv("CONFLUENT_CLOUD_API_KEY", "ENVKEY")
    monkeypatch.setenv("CONFLUENT_CLOUD_API_SECRET", "ENVSECRET")
    monkeypatch.setenv("CONFLUENT_CLOUD_ACCESS_TOKEN", "ENVTOKEN")
    run = run_module(main, dict(ARGS, api_endpoint="http://127.0.0.1:9"), credentials=False)
    assert run.result["failed"] is True and "unset one" in run.result["msg"]
    assert "ENVTOKEN" not in run.stdout and "ENVSECRET" not in run.stdout


def test_plain_http_to_a_remote_host_is_refused(run_module):
    run = run_module(main, dict(ARGS, api_endpoint="http://api.confluent.cloud"))
    assert run.result["failed"] is True and "Refusing plain http://" in run.result["msg"]
    assert run.calls == []


@pytest.mark.parametrize("option, value", [("api_timeout", 0), ("api_retries", -1), ("api_retry_max_delay", -5)])
def test_bad_numbers_fail_before_any_request(run_module, option, value):
    run = run_module(main, dict(ARGS, **{option: value}))
    assert run.result["failed"] is True and option in run.result["msg"]


def test_user_agent_names_the_collection_and_version(run_module):
    run = run_module(main, ARGS, [("DELETE", PATH, response(200, {"error": None}))])
    assert run.session.headers["User-Agent"].startswith("kafkaops.confluent_cloud/%s " % COLLECTION_VERSION)


def test_alias_connector_name(run_module):
    args = dict(ARGS)
    args["connector_name"] = args.pop("name")
    run = run_module(main, args, [("DELETE", PATH, response(200, {"error": None}))])
    assert run.result["changed"] is True


BY_ID = dict(id="lcc-2", environment_id="env-1", kafka_cluster_id="lkc-1", state="absent")
LIST = connectors_path("lkc-1")
LISTED = {"orders-sink": expansion("orders-sink", "lcc-2", "FAILED"), "other": expansion("other", "lcc-3")}


def test_by_id_maps_the_id_to_the_name_with_one_list_then_deletes_by_name(run_module):
    run = run_module(main, BY_ID, [("GET", LIST, response(200, LISTED)), ("DELETE", PATH, response(200, {"error": None}))])
    assert run.calls == [("GET", LIST), ("DELETE", PATH)]
    assert run.session.requests[0]["params"] == {"expand": "id,info,status"}
    assert run.result["changed"] is True
    connector = run.result["connector"]
    assert (connector["name"], connector["id"], connector["state"]) == ("orders-sink", "lcc-2", "FAILED")
    assert (connector["environment_id"], connector["kafka_cluster_id"]) == ("env-1", "lkc-1")


def test_an_id_not_in_the_cluster_is_ok_and_deletes_nothing(run_module):
    run = run_module(main, dict(BY_ID, id="lcc-9"), [("GET", LIST, response(200, LISTED))])
    assert run.calls == [("GET", LIST)]
    assert run.result["changed"] is False and not run.result.get("failed")
    assert run.result["connector"] == dict(id="lcc-9", environment_id="env-1", kafka_cluster_id="lkc-1")


def test_by_id_in_a_cluster_that_does_not_exist_is_ok_with_a_warning(run_module):
    run = run_module(main, BY_ID, [("GET", LIST, response(404, NOT_FOUND))] + CLUSTER_MISSING)
    assert run.result["changed"] is False and not run.result.get("failed")
    assert run.calls == [("GET", LIST), ("GET", CLUSTER_PATH), ("GET", ENV_PATH)]
    assert run.warnings[0].startswith("Kafka cluster lkc-1 does not exist in environment env-1")


def test_by_id_in_check_mode_sends_only_the_list(run_module):
    run = run_module(main, BY_ID, [("GET", LIST, response(200, LISTED))], check_mode=True, diff=True)
    assert run.calls == [("GET", LIST)]
    assert run.result["changed"] is True and run.result["diff"]["before"]["id"] == "lcc-2"


def test_by_id_deleted_meanwhile_is_not_a_change(run_module):
    run = run_module(main, BY_ID, [("GET", LIST, response(200, LISTED)), ("DELETE", PATH, response(404, NOT_FOUND))])
    assert run.result["changed"] is False and not run.result.get("failed")


@pytest.mark.parametrize("args, fragment", [
    (dict(BY_ID, name="orders-sink"), "mutually exclusive: name|id"),
    (dict(environment_id="env-1", kafka_cluster_id="lkc-1", state="absent"), "one of the following is required: name, id"),
    (dict(BY_ID, id=" "), "id must not be empty"),
    (dict(BY_ID, id="lcc\x7f1"), "id must not contain control characters"),
])
def test_name_or_id_exactly_one_and_sane(run_module, args, fragment):
    run = run_module(main, args)
    assert run.result["failed"] is True and fragment in run.result["msg"]
    assert run.calls == []


# --- delete_topics: the topics the connector created go with it, through the cluster's Kafka REST ------------------
KAFKA = dict(kafka_api_key="CLUSTERKEY", kafka_api_secret="never-print-this-cluster-secret-0xBEEF")
WITH_TOPICS = dict(ARGS, delete_topics=True, rest_endpoint="http://127.0.0.1:9", **KAFKA)
TOPICS = topics_path("lkc-1")
# lcc-2's dead letter queue and error topic exist; its success topic does not; lcc-3's and other topics stay.
CLUSTER_TOPICS = topic_list("dlq-lcc-2", "error-lcc-2", "dlq-lcc-3", "orders")


def test_delete_topics_deletes_the_connectors_topics_that_exist(run_module):
    run = run_module(main, WITH_TOPICS, [
        ("GET", LIST, response(200, LISTED)), ("DELETE", PATH, response(200, {"error": None})),
        ("GET", TOPICS, CLUSTER_TOPICS),
        ("DELETE", TOPICS + "/dlq-lcc-2", response(204)), ("DELETE", TOPICS + "/error-lcc-2", response(204))])
    assert run.result["changed"] is True and run.result["deleted_topics"] == ["dlq-lcc-2", "error-lcc-2"]
    assert "contents" not in run.result


def test_delete_topics_reads_the_endpoint_from_the_cluster_without_rest_endpoint(run_module):
    body = cluster("lkc-1", "orders")
    body["spec"]["http_endpoint"] = "http://127.0.0.1:9"
    args = dict((key, value) for key, value in WITH_TOPICS.items() if key != "rest_endpoint")
    run = run_module(main, args, [
        ("GET", LIST, response(200, LISTED)), ("DELETE", PATH, response(200, {"error": None})),
        ("GET", CLUSTER_PATH, response(200, body)), ("GET", TOPICS, topic_list("success-lcc-2")),
        ("DELETE", TOPICS + "/success-lcc-2", response(204))])
    assert run.result["deleted_topics"] == ["success-lcc-2"]


def test_delete_topics_in_check_mode_and_diff_lists_them_and_deletes_nothing(run_module):
    run = run_module(main, WITH_TOPICS, [("GET", LIST, response(200, LISTED)), ("GET", TOPICS, CLUSTER_TOPICS)],
                     check_mode=True, diff=True)
    assert [method for method, _path in run.calls] == ["GET", "GET"]
    assert run.result["changed"] is True and run.result["contents"] == {"topics": ["dlq-lcc-2", "error-lcc-2"]}
    assert run.result["deleted_topics"] == ["dlq-lcc-2", "error-lcc-2"]
    assert run.result["diff"]["before"]["contents"] == {"topics": ["dlq-lcc-2", "error-lcc-2"]}


def test_delete_topics_with_diff_lists_the_topics_once(run_module):
    run = run_module(main, WITH_TOPICS, [
        ("GET", LIST, response(200, LISTED)), ("GET", TOPICS, CLUSTER_TOPICS),
        ("DELETE", PATH, response(200, {"error": None})),
        ("DELETE", TOPICS + "/dlq-lcc-2", response(204)), ("DELETE", TOPICS + "/error-lcc-2", response(404, {
            "error_code": 40403, "message": "This server does not host this topic-partition."}))], diff=True)
    assert run.result["deleted_topics"] == ["dlq-lcc-2"]


def test_delete_topics_of_a_connector_already_gone_deletes_nothing(run_module):
    run = run_module(main, WITH_TOPICS, [("GET", LIST, response(200, {}))])
    assert run.result["changed"] is False and run.result["deleted_topics"] == []


def test_delete_topics_without_cluster_credentials_fails_before_any_request(run_module):
    args = dict((key, value) for key, value in WITH_TOPICS.items() if not key.startswith("kafka_api"))
    run = run_module(main, args)
    assert run.result["failed"] is True and run.calls == []
    assert run.result["msg"].startswith("delete_topics: No Kafka cluster credentials: set kafka_api_key")
    assert run.result["msg"].endswith("Nothing was deleted.")


def test_a_failed_topic_deletion_says_the_connector_went(run_module):
    run = run_module(main, WITH_TOPICS, [
        ("GET", LIST, response(200, LISTED)), ("DELETE", PATH, response(200, {"error": None})),
        ("GET", TOPICS, CLUSTER_TOPICS), ("DELETE", TOPICS + "/dlq-lcc-2", response(204)),
        ("DELETE", TOPICS + "/error-lcc-2", response(403, {"error_code": 40301, "message": "Request is not authorized"}))])
    assert run.result["failed"] is True and run.result["changed"] is True
    assert run.result["msg"].startswith("The API accepted the deletion, but then: DELETE /kafka/v3/clusters/lkc-1/topics/"
                                        "error-lcc-2 failed with HTTP 403")
    assert run.result["deleted_topics"] == ["dlq-lcc-2"]


def test_without_delete_topics_nothing_changes(run_module):
    run = run_module(main, dict(ARGS, **KAFKA), [("DELETE", PATH, response(200, {"error": None}))])
    assert run.calls == [("DELETE", PATH)] and "deleted_topics" not in run.result


def test_delete_topics_at_an_endpoint_that_does_not_serve_the_cluster_warns(run_module):
    unknown = response(404, {"error_code": 404, "message": "Cluster lkc-1 cannot be found."})
    run = run_module(main, WITH_TOPICS, [("GET", LIST, response(200, LISTED)),
                                         ("DELETE", PATH, response(200, {"error": None})), ("GET", TOPICS, unknown)])
    assert run.result["changed"] is True and run.result["deleted_topics"] == []
    assert run.warnings == ["Kafka cluster lkc-1 is not served at http://127.0.0.1:9, so none of the connector's "
                            "topics was deleted; check rest_endpoint."]

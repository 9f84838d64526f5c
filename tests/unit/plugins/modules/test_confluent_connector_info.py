# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.modules.confluent_connector_info import main
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.api_bodies import (
    CONNECT_NOT_FOUND,
    connectors_path,
    expansion,
)
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import response

LIST = connectors_path("lkc-1")
ARGS = dict(environment_id="env-1", kafka_cluster_id="lkc-1")
MASKED = {"connector.class": "S3_SINK", "kafka.api.key": "****************", "kafka.api.secret": "****************"}
ANSWER = {
    "s3-sink": expansion("s3-sink", "lcc-1", "RUNNING", config=MASKED, tasks=2),
    "jdbc": expansion("jdbc", "lcc-2", "FAILED", trace="Provided Kafka ApiKey is invalid"),
    "datagen": expansion("datagen", "lcc-3", "DEGRADED"),
}


def test_one_request_returns_every_connector_with_id_state_tasks_and_config(run_module):
    run = run_module(main, ARGS, [("GET", LIST, response(200, ANSWER))])
    assert run.calls == [("GET", LIST)]
    assert run.session.requests[0]["params"] == {"expand": "id,info,status"}
    connectors = run.result["connectors"]
    assert [c["name"] for c in connectors] == ["datagen", "jdbc", "s3-sink"]
    s3 = connectors[2]
    assert s3 == {
        "name": "s3-sink", "id": "lcc-1", "type": "sink", "state": "RUNNING", "trace": "",
        "tasks": ANSWER["s3-sink"]["status"]["tasks"], "config": ANSWER["s3-sink"]["info"]["config"],
        "environment_id": "env-1", "kafka_cluster_id": "lkc-1",
    }
    assert s3["config"]["kafka.api.secret"] == "****************"
    assert connectors[1]["trace"] == "Provided Kafka ApiKey is invalid"


@pytest.mark.parametrize("args, expected", [
    (dict(name="jdbc"), ["jdbc"]),
    (dict(connector_name="jdbc"), ["jdbc"]),
    (dict(id="lcc-3"), ["datagen"]),
    (dict(id="lcc-9"), []),
    (dict(state=["FAILED", "DEGRADED"]), ["datagen", "jdbc"]),
    (dict(state=["PAUSED"]), []),
    (dict(name="jdbc", state=["RUNNING"]), []),
])
def test_filters(run_module, args, expected):
    run = run_module(main, dict(ARGS, **args), [("GET", LIST, response(200, ANSWER))])
    assert [c["name"] for c in run.result["connectors"]] == expected
    assert len(run.calls) == 1


def test_a_cluster_or_environment_that_does_not_exist_is_an_empty_list(run_module):
    run = run_module(main, ARGS, [("GET", LIST, response(404, CONNECT_NOT_FOUND))])
    assert run.result["connectors"] == [] and not run.result.get("failed")


def test_check_mode_is_the_same(run_module):
    run = run_module(main, ARGS, [("GET", LIST, response(200, ANSWER))], check_mode=True)
    assert len(run.result["connectors"]) == 3 and run.result["changed"] is False


@pytest.mark.parametrize("args, fragment", [
    (dict(state=["BROKEN"]), "state"),
    (dict(id=" "), "id must not be empty"),
    (dict(name="a\tb"), "name must not contain control characters"),
    (dict(kafka_cluster_id=".."), "kafka_cluster_id cannot be '..'"),
])
def test_bad_input_fails_before_any_request(run_module, args, fragment):
    run = run_module(main, dict(ARGS, **args))
    assert run.result["failed"] is True and fragment in run.result["msg"]
    assert run.calls == []


@pytest.mark.parametrize("args, msg", [
    (dict(environment_id="c1050"), "environment_id must be an ID starting with env-, got 'c1050'."),
    (dict(kafka_cluster_id="LKC-1"), "kafka_cluster_id must be an ID starting with lkc-, got 'LKC-1'."),
    (dict(id="orders"), "id must be an ID starting with lcc-, got 'orders'."),
])
def test_a_mistyped_id_is_refused_before_any_request(run_module, args, msg):
    run = run_module(main, dict(ARGS, **args))
    assert run.result["failed"] is True and run.result["msg"] == msg
    assert run.calls == []

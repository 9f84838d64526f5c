# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every way a module can fail returns every key its documentation says is returned always, and the wait warnings.

Each module lists one scenario per failure path: bad input, bad settings, an API error, a broken connection, a
protocol error, retries used up, and the module's own refusals (safety guard, ambiguous name, wait timeout).
"""

from __future__ import annotations

import importlib
import os
import re

import pytest
import yaml

from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.api_bodies import (
    api_key,
    cluster,
    cluster_page,
    compute_pool,
    connectors_path,
    env,
    ksqldb_cluster,
    page,
    service_account,
)
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import (
    connection_dropped,
    response,
)

PLUGINS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "plugins")
MODULES = sorted(name[:-3] for name in os.listdir(os.path.join(PLUGINS, "modules")) if name.endswith(".py"))

ENV_PATH = "/org/v2/environments/env-1"
CONNECTOR_PATH = connectors_path("lkc-1") + "/orders"
CONNECTOR_ARGS = dict(name="orders", environment_id="env-1", kafka_cluster_id="lkc-1", state="absent")
CLUSTER_ARGS = dict(environment_id="env-1")
CONNECTOR_INFO_ARGS = dict(environment_id="env-1", kafka_cluster_id="lkc-1")
SERVER_ERROR = response(503, {"errors": [{"status": "503", "title": "Service Unavailable"}]})
UNAUTHORIZED = response(401, {"errors": [{"status": "401", "title": "Authentication Required"}]})
NOT_JSON = response(200, text="<html>maintenance</html>")


def common(args, request):
    """The failure paths every module shares: settings refused before any request, then the first request failing."""
    method, path = request
    return [
        ("bad endpoint", dict(args, api_endpoint="http://example.com"), [],
         dict(msg="http:// only to a loopback address")),
        ("bad number", dict(args, api_timeout=0), []),
        ("unauthorized", args, [(method, path, UNAUTHORIZED)], dict(msg="not a Kafka cluster API key")),
        ("retries used up", dict(args, api_retries=1), [(method, path, SERVER_ERROR)] * 2),
        ("connection dropped", dict(args, api_retries=1), [(method, path, connection_dropped())] * 2),
    ]


SCENARIOS = {
    "confluent_environment": common(dict(id="env-1", state="absent"), ("DELETE", ENV_PATH)) + [
        ("blank id", dict(id=" ", state="absent"), []),
        ("mistyped id", dict(id="c10500", state="absent"), [], dict(msg="starting with env-, got 'c10500'. Nothing")),
        ("negative wait_timeout", dict(id="env-1", state="absent", wait_timeout=-1), []),
        ("safety guard", dict(id="env-1", display_name="prod", state="absent"),
         [("GET", ENV_PATH, response(200, env("env-1", "staging")))]),
        ("ambiguous name", dict(display_name="twin", state="absent"),
         [("GET", "/org/v2/environments", page([env("env-1", "twin"), env("env-2", "twin")]))]),
        ("not JSON", dict(id="env-1", state="absent"), [("GET", ENV_PATH, NOT_JSON)], dict(check_mode=True)),
        ("preview refused", dict(id="env-1", state="absent"), [
            ("GET", ENV_PATH, response(200, env("env-1", "staging"))),
            ("GET", "/cmk/v2/clusters", response(500, {})), ("GET", "/cmk/v2/clusters", response(500, {}))],
         dict(check_mode=True, extra=dict(api_retries=1))),
        ("wait timeout", dict(id="env-1", state="absent", wait=True, wait_timeout=1),
         [("DELETE", ENV_PATH, response(204))] + [("GET", ENV_PATH, response(200, env("env-1", "staging")))] * 2),
    ],
    "confluent_environment_info": common({}, ("GET", "/org/v2/environments")) + [
        ("bad age", dict(older_than="6 hours"), []),
        ("bad regex", dict(display_name_regex="("), []),
        ("mistyped id", dict(id="c10500"), [], dict(msg="id must be an ID starting with env-")),
        ("pagination loop", {}, [("GET", "/org/v2/environments", page([], "same"))] * 2),
    ],
    "confluent_connector": common(CONNECTOR_ARGS, ("DELETE", CONNECTOR_PATH)) + [
        ("blank name", dict(CONNECTOR_ARGS, name=""), []),
        ("mistyped environment_id", dict(CONNECTOR_ARGS, environment_id="c1050"), [],
         dict(msg="environment_id must be an ID starting with env-, got 'c1050'. Nothing was deleted.")),
        ("mistyped kafka_cluster_id", dict(CONNECTOR_ARGS, kafka_cluster_id="lkc1"), [],
         dict(msg="kafka_cluster_id must be an ID starting with lkc-")),
        ("mistyped id", dict(CONNECTOR_ARGS, name=None, id="1"), [], dict(msg="id must be an ID starting with lcc-")),
        ("not JSON", dict(CONNECTOR_ARGS, name=None, id="lcc-1"), [("GET", connectors_path("lkc-1"), NOT_JSON)]),
    ],
    "confluent_connector_info": common(CONNECTOR_INFO_ARGS, ("GET", connectors_path("lkc-1"))) + [
        ("control character", dict(CONNECTOR_INFO_ARGS, id="lcc\n"), []),
        ("mistyped id", dict(CONNECTOR_INFO_ARGS, id="1"), [], dict(msg="id must be an ID starting with lcc-")),
    ],
    "confluent_kafka_cluster": common(dict(id="lkc-1", environment_id="env-1", state="absent"),
                                      ("DELETE", "/cmk/v2/clusters/lkc-1")) + [
        ("conflict", dict(id="lkc-1", environment_id="env-1", state="absent"),
         [("DELETE", "/cmk/v2/clusters/lkc-1", response(409, {"errors": [{"status": "409", "title": "Conflict"}]}))]),
        ("safety guard", dict(id="lkc-1", environment_id="env-1", display_name="x", state="absent"),
         [("GET", "/cmk/v2/clusters/lkc-1", response(200, cluster("lkc-1", "orders")))]),
        ("mistyped id", dict(id="1", environment_id="env-1", state="absent"), [],
         dict(msg="id must be an ID starting with lkc-")),
        ("mistyped environment_id", dict(id="lkc-1", environment_id="1", state="absent"), [],
         dict(msg="environment_id must be an ID starting with env-")),
    ],
    # Its first request reads the task's own API key, to refuse deleting the service account that owns it.
    "confluent_service_account": common(dict(id="sa-1", state="absent"), ("GET", "/iam/v2/api-keys/TESTKEY")) + [
        ("owns the task's own key", dict(id="sa-1", state="absent"),
         [("GET", "/iam/v2/api-keys/TESTKEY", response(200, api_key("TESTKEY", "sa-1")))],
         dict(msg="Refusing to delete service account sa-1: it owns the API key TESTKEY")),
        ("own key unreadable", dict(id="sa-1", state="absent"),
         [("GET", "/iam/v2/api-keys/TESTKEY", response(403, {"errors": [{"status": "403", "title": "Forbidden"}]}))],
         dict(msg="Cannot tell which service account owns the API key TESTKEY")),
        ("ambiguous name", dict(display_name="twin", state="absent"),
         [("GET", "/iam/v2/service-accounts", page([service_account("sa-1", "twin"), service_account("sa-2", "twin")],
                                                   path="/iam/v2/service-accounts"))]),
        ("mistyped id", dict(id="u-1", state="absent"), [], dict(msg="id must be an ID starting with sa-, got 'u-1'.")),
    ],
    "confluent_service_account_info": common({}, ("GET", "/iam/v2/service-accounts")) + [
        ("bad age", dict(older_than="-1h"), []),
        ("mistyped id", dict(id="1"), [], dict(msg="id must be an ID starting with sa-")),
    ],
    "confluent_api_key": common(dict(id="KEY1", state="absent"), ("DELETE", "/iam/v2/api-keys/KEY1")) + [
        ("own key", dict(id="TESTKEY", state="absent"), []),
        ("owner guard", dict(id="KEY1", owner="u-1", state="absent"),
         [("GET", "/iam/v2/api-keys/KEY1", response(200, api_key("KEY1", "sa-1")))]),
    ],
    "confluent_kafka_cluster_info": common(CLUSTER_ARGS, ("GET", "/cmk/v2/clusters")) + [
        ("blank id", dict(CLUSTER_ARGS, id=""), []),
        ("mistyped environment_id", dict(environment_id="1"), [],
         dict(msg="environment_id must be an ID starting with env-")),
        ("pagination loop", CLUSTER_ARGS, [("GET", "/cmk/v2/clusters", cluster_page([], "same"))] * 2),
    ],
}


# --- confluent_api_key refuses an access token, and its own key with whitespace around it (issue 18, point 8) -------
# "credentials": False runs the task without the test's Cloud API key; "msg" is a text the failure must contain, so
# that a scenario cannot pass by failing on another path.
SCENARIOS["confluent_api_key"] += [
    ("access token refused", dict(id="KEY1", state="absent", access_token="tok-1", api_endpoint="http://127.0.0.1:9"),
     [], dict(credentials=False, msg="accepts a Cloud API key (api_key and api_secret) only, not an access token")),
    ("own key with whitespace refused", dict(id="TESTKEY", state="absent", api_key=" TESTKEY \n"), [],
     dict(msg="this task authenticates with (api_key)")),
]
# --- end of confluent_api_key's refusals ----------------------------------------------------------------------------


def in_environment(path, prefix, body, list_kind):
    """The failure paths of a module of a resource that lives in an environment, and of its info module."""
    item = prefix + "1"
    args = dict(id=item, environment_id="env-1", state="absent")
    info_args = dict(environment_id="env-1")
    absent = common(args, ("DELETE", "%s/%s" % (path, item))) + [
        ("safety guard", dict(args, display_name="x"), [("GET", "%s/%s" % (path, item), response(200, body(item, "ci")))]),
        ("mistyped id", dict(args, id="1"), [], dict(msg="id must be an ID starting with %s" % prefix)),
        ("wait timeout", dict(args, wait=True, wait_timeout=1), [("DELETE", "%s/%s" % (path, item), response(204))]
         + [("GET", "%s/%s" % (path, item), response(200, body(item, "ci")))] * 2),
    ]
    info = common(info_args, ("GET", path)) + [
        ("bad regex", dict(info_args, display_name_regex="("), []),
        ("mistyped id", dict(info_args, id="1"), [], dict(msg="id must be an ID starting with %s" % prefix)),
        ("pagination loop", info_args, [("GET", path, page([], "same", path=path, kind=list_kind))] * 2),
    ]
    return absent, info


SCENARIOS["confluent_ksqldb_cluster"], SCENARIOS["confluent_ksqldb_cluster_info"] = in_environment(
    "/ksqldbcm/v2/clusters", "lksqlc-", ksqldb_cluster, "ClusterList")
SCENARIOS["confluent_flink_compute_pool"], SCENARIOS["confluent_flink_compute_pool_info"] = in_environment(
    "/fcpm/v2/compute-pools", "lfcp-", compute_pool, "ComputePoolList")


# --- Kafka REST: the topic modules, whose first request goes to the cluster's REST endpoint --------------------------
KAFKA_ARGS = dict(kafka_cluster_id="lkc-1", rest_endpoint="http://127.0.0.1:9", kafka_api_key="CLUSTERKEY",
                  kafka_api_secret="cluster-secret")
TOPIC_ARGS = dict(KAFKA_ARGS, name="dlq-lcc-1", state="absent")
KAFKA_UNAUTHORIZED = response(401, {"error_code": 40101, "message": "Authentication failed"})
KAFKA_SERVER_ERROR = response(500, {"error_code": 50003, "message": "Internal Server Error"})


def kafka_rest(args, request):
    method, path = request
    return [
        ("bad rest_endpoint", dict(args, rest_endpoint="http://example.com"), [],
         dict(msg="http:// to example.com, the host of rest_endpoint")),
        ("no cluster credentials", dict(args, kafka_api_key=None, kafka_api_secret=None), [],
         dict(msg="No Kafka cluster credentials")),
        ("mistyped kafka_cluster_id", dict(args, kafka_cluster_id="1"), [],
         dict(msg="kafka_cluster_id must be an ID starting with lkc-")),
        ("unauthorized", args, [(method, path, KAFKA_UNAUTHORIZED)], dict(msg="an API key of this Kafka cluster")),
        ("retries used up", dict(args, api_retries=1), [(method, path, KAFKA_SERVER_ERROR)] * 2),
        ("connection dropped", dict(args, api_retries=1), [(method, path, connection_dropped())] * 2),
        ("cloud API unauthorized", dict(args, rest_endpoint=None, environment_id="env-1"),
         [("GET", "/cmk/v2/clusters/lkc-1", UNAUTHORIZED)], dict(msg="not a Kafka cluster API key")),
    ]


SCENARIOS["confluent_kafka_topic"] = kafka_rest(TOPIC_ARGS, ("DELETE", "/kafka/v3/clusters/lkc-1/topics/dlq-lcc-1")) + [
    ("name with a slash", dict(TOPIC_ARGS, name="a/b"), [], dict(msg="name must be a Kafka topic name")),
    ("not JSON", TOPIC_ARGS, [("GET", "/kafka/v3/clusters/lkc-1/topics/dlq-lcc-1", NOT_JSON)], dict(check_mode=True)),
]
SCENARIOS["confluent_kafka_topic_info"] = kafka_rest(KAFKA_ARGS, ("GET", "/kafka/v3/clusters/lkc-1/topics")) + [
    ("bad regex", dict(KAFKA_ARGS, name_regex="("), [], dict(msg="name_regex is not a valid regular expression")),
    ("orphans without environment_id", dict(KAFKA_ARGS, orphaned_connector_topics=True), [],
     dict(msg="orphaned_connector_topics needs environment_id")),
]
SCENARIOS["confluent_connector"] += [
    ("delete_topics without cluster credentials", dict(CONNECTOR_ARGS, delete_topics=True), [],
     dict(msg="delete_topics: No Kafka cluster credentials")),
]
# --- end of the Kafka REST modules ------------------------------------------------------------------------------------


def always_returned(module_name):
    module = importlib.import_module("ansible_collections.kafkaops.confluent_cloud.plugins.modules." + module_name)
    documented = yaml.safe_load(module.RETURN)
    return sorted(key for key, doc in documented.items() if doc.get("returned") == "always")


def cases():
    for module_name in MODULES:
        for scenario in SCENARIOS.get(module_name, []):
            name, args, script = scenario[:3]
            options = scenario[3] if len(scenario) > 3 else {}
            yield pytest.param(module_name, args, script, options, id="%s-%s" % (module_name, name))


def test_every_module_lists_its_failure_paths():
    assert sorted(SCENARIOS) == MODULES


@pytest.mark.parametrize("module_name, args, script, options", list(cases()))
def test_a_failure_returns_every_key_documented_as_always(run_module, module_name, args, script, options):
    main = importlib.import_module("ansible_collections.kafkaops.confluent_cloud.plugins.modules." + module_name).main
    args = dict((key, value) for key, value in dict(args, **options.get("extra", {})).items() if value is not None)
    run = run_module(main, args, script, check_mode=options.get("check_mode", False),
                     credentials=options.get("credentials", True))
    assert run.result.get("failed") is True, run.result
    assert options.get("msg", "") in run.result["msg"]
    missing = [key for key in always_returned(module_name) if key not in run.result]
    assert missing == [], "%s failed without %s: %s" % (module_name, missing, run.result["msg"])
    if run.result["retries"]:
        assert any(warning.startswith("Retried %d time(s)" % run.result["retries"]) for warning in run.warnings)


def test_modules_fail_only_through_the_one_failure_path():
    """A direct fail_json() would skip the statistics and warnings; only ConfluentModule.fail() may call it."""
    offenders = []
    for folder in ("modules", "module_utils", "action"):
        for name in sorted(os.listdir(os.path.join(PLUGINS, folder))):
            if not name.endswith(".py"):
                continue
            with open(os.path.join(PLUGINS, folder, name), encoding="utf-8") as handle:
                calls = len(re.findall(r"\.fail_json\(", handle.read()))
            allowed = 1 if (folder, name) == ("module_utils", "_base.py") else 0
            if calls != allowed:
                offenders.append("%s/%s: %d" % (folder, name, calls))
    assert offenders == []

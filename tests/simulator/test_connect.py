"""Tests of the simulator's connect/v1 connectors: list, expansions, states, get, delete and encoded names.

Fixtures are in conftest.py; seeds, URL helpers and the OpenAPI validator in simtest.py.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest

import confluent_sim  # conftest.py puts this folder on sys.path
from simtest import CLUSTER, ENV, ODD_NAMES, assert_connect_error, assert_org_error, base_seed, conn_url, control


# --------------------------------------------------------------------------- connectors


def test_list_connectors(sim, api, spec):
    resp = api.get(conn_url(sim))
    assert resp.status_code == 200
    assert spec(resp) == "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors"
    assert resp.json() == ["orders-sink", "users-source"] + ODD_NAMES
    empty = api.get(conn_url(sim, cluster="lkc-empty"))
    assert empty.status_code == 200 and empty.json() == []
    spec(empty)


def test_list_connectors_with_expansions(sim, api, spec):
    resp = api.get(conn_url(sim) + "?expand=info,status,id")
    assert resp.status_code == 200
    assert "?expand" in spec(resp)
    body = resp.json()
    assert set(body) == {"orders-sink", "users-source", *ODD_NAMES}
    item = body["orders-sink"]
    assert item["id"]["id"].startswith("lcc-") and item["info"]["config"]["flush.size"] == "1000"
    assert item["status"]["connector"]["state"] == "RUNNING" and len(item["status"]["tasks"]) == 2
    spec.validate_schema("connect", "connect.v1.ConnectorExpansionMap", body)
    only_id = api.get(conn_url(sim), params={"expand": "id"}).json()
    assert set(only_id["users-source"]) == {"id"}
    assert_connect_error(api.get(conn_url(sim), params={"expand": "bogus"}), 400)


@pytest.mark.parametrize("state,task_states", [
    ("RUNNING", ["RUNNING"] * 3), ("FAILED", ["FAILED"] * 3), ("PAUSED", ["PAUSED"] * 3),
    ("DEGRADED", ["FAILED", "RUNNING", "RUNNING"]), ("PROVISIONING", ["PROVISIONING"] * 3),
    ("NONE", ["NONE"] * 3), ("DELETED", ["DELETED"] * 3),
])
def test_connector_states_show_in_status_and_tasks(sim, api, spec, state, task_states):
    seed = base_seed()
    seed["environments"][0]["clusters"][0]["connectors"] = [
        {"name": "c", "id": "lcc-seeded", "state": state, "tasks": 3}, {"name": "plain"}]
    sim.load_seed(seed)
    resp = api.get(conn_url(sim), params={"expand": "info,status,id"})
    assert resp.status_code == 200
    assert "?expand" in spec(resp)
    body = resp.json()
    cluster_state = control(sim, "GET", "state").json()["environments"][0]["clusters"][0]
    snapshot = {c["name"]: c for c in cluster_state["connectors"]}
    assert body["c"]["status"]["connector"]["state"] == snapshot["c"]["state"] == state
    assert [t["state"] for t in body["c"]["status"]["tasks"]] == task_states
    assert [t["id"] for t in body["c"]["status"]["tasks"]] == [0, 1, 2]
    assert body["c"]["id"] == {"id": "lcc-seeded", "id_type": "ID"}
    assert body["plain"]["status"]["connector"]["state"] == snapshot["plain"]["state"] == "RUNNING"
    assert re.fullmatch(r"lcc-[0-9a-f]{6}", body["plain"]["id"]["id"])
    assert body["plain"]["id"]["id"] == snapshot["plain"]["id"]


@pytest.mark.parametrize("connector", [{"name": "x", "state": "BROKEN"}, {"name": "x", "state": "running"},
                                       {"name": "x", "id": "conn-1"}, {"name": "x", "id": 5}])
def test_bad_connector_state_or_id_is_rejected(connector):
    seed = {"environments": [{"id": "e", "clusters": [{"id": "lkc-1", "connectors": [connector]}]}]}
    with pytest.raises(confluent_sim.SeedError, match="connector 'x'"):
        confluent_sim.Simulator(seed)


def test_get_connector(sim, api, spec):
    resp = api.get(conn_url(sim, name="orders-sink"))
    assert resp.status_code == 200
    spec(resp)
    body = resp.json()
    assert set(body) == {"name", "config", "tasks", "type"}
    assert body["name"] == "orders-sink" and body["type"] == "sink"
    assert body["config"]["connector.class"] == "S3_SINK"
    assert body["config"]["tasks.max"] == "2" and body["config"]["name"] == "orders-sink"
    assert all(isinstance(v, str) for v in body["config"].values())
    assert body["tasks"] == [{"connector": "orders-sink", "task": 0}, {"connector": "orders-sink", "task": 1}]
    spec.validate_schema("connect", "connect.v1.Connector", body)
    source = api.get(conn_url(sim, name="users-source"))
    assert source.json()["type"] == "source"


def test_delete_connector(sim, api, spec):
    resp = api.delete(conn_url(sim, name="orders-sink"))
    assert resp.status_code == 200 and resp.json() == {"error": None}
    spec(resp)
    assert "orders-sink" not in sim.connector_names(ENV, CLUSTER)
    missing = api.get(conn_url(sim, name="orders-sink"))
    assert_connect_error(missing, 404, "Connector orders-sink not found")
    spec(missing)
    again = api.delete(conn_url(sim, name="orders-sink"))
    assert_connect_error(again, 404)
    spec(again)


@pytest.mark.parametrize("env_id,cluster", [("env-missing", CLUSTER), (ENV, "lkc-missing")])
def test_connector_404_for_unknown_environment_or_cluster(sim, api, spec, env_id, cluster):
    for resp in (api.get(conn_url(sim, env_id, cluster)),
                 api.get(conn_url(sim, env_id, cluster, "orders-sink")),
                 api.delete(conn_url(sim, env_id, cluster, "orders-sink"))):
        assert_connect_error(resp, 404)
        spec(resp)
    assert "orders-sink" in sim.connector_names(ENV, CLUSTER)


@pytest.mark.parametrize("name", ODD_NAMES)
def test_encoded_connector_names(sim, api, spec, name):
    url = conn_url(sim, name=name)
    resp = api.get(url)
    assert resp.status_code == 200, resp.text
    assert resp.json()["name"] == name
    spec(resp)
    control(sim, "DELETE", "log")
    deleted = api.delete(url)
    assert deleted.status_code == 200
    assert name not in sim.connector_names(ENV, CLUSTER)
    entry = control(sim, "GET", "log").json()[-1]
    assert entry["path"] == urlsplit(url).path
    assert entry["path"].endswith("/connectors/" + quote(name, safe=""))


def test_segments_are_decoded_exactly_once(sim, api):
    # "a%252Fb" decodes once to the literal name "a%2Fb", not to "a/b".
    literal = api.get(conn_url(sim) + "/a%252Fb")
    assert literal.status_code == 200 and literal.json()["name"] == "a%2Fb"
    slash = api.get(conn_url(sim) + "/a%2Fb")
    assert slash.status_code == 200 and slash.json()["name"] == "a/b"
    raw_slash = api.get(conn_url(sim) + "/a/b")
    assert_org_error(raw_slash, 404, "resource_not_found", "Not Found")

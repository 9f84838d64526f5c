"""Tests of the simulator's ksqlDB clusters (ksqldbcm/v2) and Flink compute pools (fcpm/v2).

Both are resources of one environment, listed, read and deleted with a required ``environment`` query: the tests
that hold for both run once per family (the ``family`` fixture). Every answer that a test looks at is also validated
against the matching OpenAPI document (see simtest.SpecValidator).
"""

from __future__ import annotations

import base64
import datetime
import re
from collections import namedtuple
from urllib.parse import parse_qs, quote, urlsplit

import pytest

import confluent_sim  # conftest.py puts this folder on sys.path
from familytest import MAY_FIRST_NOON, SEVEN_HOURS, fetched, now_utc, walk_pages
from simtest import (AUTH, CLUSTER, ENV, PENDING_DELETE_DELAY, assert_org_error, base_seed, cluster_url, control,
                     env_url, parse_time, requests)

Kind = namedtuple("Kind", "name path api_version kind list_kind ids other_id state_key phase_deleting make")
KSQLDB = Kind("ksqldbcm", "/ksqldbcm/v2/clusters", "ksqldbcm/v2", "Cluster", "ClusterList",
              ["lksqlc-orders", "lksqlc-small"], "lksqlc-other", "ksqldb_clusters", "PROVISIONED",
              lambda i: {"id": "lksqlc-%03d" % i, "kafka_cluster": "lkc-777"})
FLINK = Kind("fcpm", "/fcpm/v2/compute-pools", "fcpm/v2", "ComputePool", "ComputePoolList",
             ["lfcp-east", "lfcp-west"], "lfcp-other", "flink_compute_pools", "DEPROVISIONING",
             lambda i: {"id": "lfcp-%03d" % i})


def scoped_seed():
    """base_seed() with two ksqlDB clusters and two compute pools in ENV, and one of each in env-other."""
    seed = base_seed()
    staging, other = seed["environments"]
    staging["ksqldb_clusters"] = [
        {"id": "lksqlc-orders", "display_name": "orders-ksql", "kafka_cluster": CLUSTER, "age": SEVEN_HOURS, "csu": 4},
        {"id": "lksqlc-small", "kafka_cluster": "lkc-empty", "csu": 1, "created_at": "2024-05-01T12:00:00Z",
         "credential_identity": "sa-ksql"}]
    staging["flink_compute_pools"] = [
        {"id": "lfcp-east", "display_name": "east.pool", "age": SEVEN_HOURS, "region": "us-east-1"},
        {"id": "lfcp-west", "cloud": "GCP", "max_cfu": 10, "current_cfu": 3, "created_at": "2024-05-01T12:00:00Z"}]
    other["ksqldb_clusters"] = [{"id": "lksqlc-other", "kafka_cluster": "lkc-777"}]
    other["flink_compute_pools"] = [{"id": "lfcp-other", "region": "us-east-1"}]
    return seed


@pytest.fixture
def sim_seed():
    return scoped_seed()


@pytest.fixture(params=[KSQLDB, FLINK], ids=["ksqldbcm", "fcpm"])
def family(request):
    return request.param


def url_of(sim, family, item_id=None):
    return sim.url + family.path + ("" if item_id is None else "/" + quote(item_id, safe=""))


def state_of(sim, family, env_id=ENV):
    """The family's part of the environment in /_sim/state, by id."""
    env = [e for e in control(sim, "GET", "state").json()["environments"] if e["id"] == env_id][0]
    return {item["id"]: item for item in env[family.state_key]}


def listed(sim, api, spec, family, env_id=ENV, **params):
    resp = api.get(url_of(sim, family), params=dict(params, environment=env_id))
    assert resp.status_code == 200, resp.text
    spec(resp)
    return resp.json()


# --------------------------------------------------------------------------- the shapes


def test_get_ksqldb_cluster_shape(sim, api, spec):
    body = fetched(api, spec, url_of(sim, KSQLDB, "lksqlc-orders"), "/ksqldbcm/v2/clusters/{id}", "ksqldbcm/v2",
                   "Cluster", environment=ENV)
    meta = body["metadata"]
    assert meta["self"] == url_of(sim, KSQLDB, "lksqlc-orders") and "deleted_at" not in meta
    assert re.fullmatch(r"crn://confluent\.cloud/organization=[^/]+/environment=%s/cloud-cluster=lksqlc-orders" % ENV,
                        meta["resource_name"])
    age = now_utc() - parse_time(meta["created_at"])
    assert datetime.timedelta(seconds=SEVEN_HOURS) <= age < datetime.timedelta(seconds=SEVEN_HOURS + 60)
    cluster = api.get(cluster_url(sim, CLUSTER), params={"environment": ENV}).json()
    assert body["spec"]["kafka_cluster"] == {
        "id": CLUSTER, "environment": ENV, "related": cluster["metadata"]["self"],
        "resource_name": cluster["metadata"]["resource_name"]}
    assert (body["spec"]["display_name"], body["spec"]["csu"]) == ("orders-ksql", 4)
    assert body["spec"]["environment"] == cluster["spec"]["environment"]
    identity = body["spec"]["credential_identity"]
    assert (identity["id"], identity["kind"]) == ("u-ksqldb", "User")
    assert identity["related"] == sim.url + "/iam/v2/users/u-ksqldb"
    assert body["status"] == {"phase": "PROVISIONED", "is_paused": False, "storage": 500,
                              "topic_prefix": "pksqlc-order",
                              "http_endpoint": "https://pksqlc-order.us-west-2.aws.confluent.cloud"}
    spec.validate_schema("ksqldbcm", "ksqldbcm.v2.Cluster", body)
    small = fetched(api, spec, url_of(sim, KSQLDB, "lksqlc-small"), "/ksqldbcm/v2/clusters/{id}", "ksqldbcm/v2",
                    "Cluster", environment=ENV)
    assert small["spec"]["display_name"] == "lksqlc-small" and small["spec"]["csu"] == 1
    assert small["spec"]["credential_identity"]["kind"] == "ServiceAccount"
    assert parse_time(small["metadata"]["created_at"]) == MAY_FIRST_NOON
    assert small["metadata"]["updated_at"] == small["metadata"]["created_at"]


def test_get_compute_pool_shape(sim, api, spec):
    body = fetched(api, spec, url_of(sim, FLINK, "lfcp-east"), "/fcpm/v2/compute-pools/{id}", "fcpm/v2",
                   "ComputePool", environment=ENV)
    assert body["metadata"]["self"] == url_of(sim, FLINK, "lfcp-east") and "deleted_at" not in body["metadata"]
    assert body["metadata"]["resource_name"].endswith(
        "/environment=%s/flink-region=aws.us-east-1/compute-pool=lfcp-east" % ENV)
    age = now_utc() - parse_time(body["metadata"]["created_at"])
    assert datetime.timedelta(seconds=SEVEN_HOURS) <= age < datetime.timedelta(seconds=SEVEN_HOURS + 60)
    assert body["spec"] == {"display_name": "east.pool", "cloud": "AWS", "region": "us-east-1", "max_cfu": 5,
                            "environment": {"id": ENV, "related": env_url(sim, ENV),
                                            "resource_name": body["metadata"]["resource_name"].split("/flink")[0]}}
    assert body["status"] == {"phase": "PROVISIONED", "current_cfu": 0}
    spec.validate_schema("fcpm", "fcpm.v2.ComputePool", body)
    west = fetched(api, spec, url_of(sim, FLINK, "lfcp-west"), "/fcpm/v2/compute-pools/{id}", "fcpm/v2",
                   "ComputePool", environment=ENV)
    assert (west["spec"]["display_name"], west["spec"]["cloud"], west["spec"]["region"]) == (
        "lfcp-west", "GCP", "us-west-2")
    assert (west["spec"]["max_cfu"], west["status"]["current_cfu"]) == (10, 3)
    assert parse_time(west["metadata"]["created_at"]) == MAY_FIRST_NOON


# --------------------------------------------------------------------------- lists


def test_list_of_an_environment(sim, api, spec, family):
    body = listed(sim, api, spec, family)
    assert (body["api_version"], body["kind"]) == (family.api_version, family.list_kind)
    assert [item["id"] for item in body["data"]] == family.ids
    assert body["data"][0] == api.get(url_of(sim, family, family.ids[0]), params={"environment": ENV}).json()
    spec.validate_schema(family.name, "%s.v2.%s" % (family.name, family.list_kind), body)
    if family is FLINK:
        # fcpm-v2.yaml: "only the `next` field will be populated"
        assert body["metadata"] == {}
    else:
        assert body["metadata"] == {"first": url_of(sim, family) + "?environment=" + ENV, "total_size": 2}
    other = listed(sim, api, spec, family, "env-other")
    assert [item["id"] for item in other["data"]] == [family.other_id]
    assert other["data"][0]["spec"]["environment"]["id"] == "env-other"
    missing = listed(sim, api, spec, family, "env-missing")
    assert missing["data"] == [] and "next" not in missing["metadata"]


def test_lists_paginate(sim, api, spec, family):
    seed = scoped_seed()
    seed["environments"][1][family.state_key] = [family.make(i) for i in range(23)]
    sim.load_seed(seed)
    ids = [family.make(i)["id"] for i in range(23)]

    def check(body):
        assert len(body["data"]) <= 10
        url = body["metadata"].get("next")
        if url:
            query = parse_qs(urlsplit(url).query)
            assert url.startswith(url_of(sim, family) + "?")
            assert query["environment"] == ["env-other"] and query["page_size"] == ["10"] and query["page_token"]

    seen, pages = walk_pages(api, spec, url_of(sim, family) + "?environment=env-other&page_size=10", check)
    assert pages == 3 and seen == ids
    default = listed(sim, api, spec, family, "env-other")
    assert [item["id"] for item in default["data"]] == ids[:10] and default["metadata"]["next"]
    everything = listed(sim, api, spec, family, "env-other", page_size=100)
    assert [item["id"] for item in everything["data"]] == ids and "next" not in everything["metadata"]


@pytest.mark.parametrize("params,parameter", [
    ({"page_size": "0"}, "page_size"), ({"page_size": "101"}, "page_size"), ({"page_size": "abc"}, "page_size"),
    ({"page_token": "garbage!"}, "page_token"),
    ({"page_token": base64.urlsafe_b64encode(b"lkc-after:0").decode().rstrip("=")}, "page_token"),
])
def test_bad_paging(sim, api, spec, family, params, parameter):
    resp = api.get(url_of(sim, family), params=dict(params, environment=ENV))
    err = assert_org_error(resp, 400, "invalid_parameter", "Invalid Parameter")
    assert err["source"] == {"parameter": parameter}
    spec(resp)


def test_compute_pool_filters(sim, api, spec):
    east = listed(sim, api, spec, FLINK, **{"spec.region": "us-east-1"})
    assert [p["id"] for p in east["data"]] == ["lfcp-east"]
    first = listed(sim, api, spec, FLINK, **{"spec.region": "us-west-2", "page_size": 1})
    assert [p["id"] for p in first["data"]] == ["lfcp-west"] and "next" not in first["metadata"]
    seed = scoped_seed()
    seed["environments"][0]["flink_compute_pools"].append({"id": "lfcp-west2"})
    sim.load_seed(seed)
    first = listed(sim, api, spec, FLINK, **{"spec.region": "us-west-2", "page_size": 1})
    assert parse_qs(urlsplit(first["metadata"]["next"]).query)["spec.region"] == ["us-west-2"]
    assert [p["id"] for p in api.get(first["metadata"]["next"]).json()["data"]] == ["lfcp-west2"]
    assert listed(sim, api, spec, FLINK, **{"spec.network": "n-abc123"})["data"] == []


# --------------------------------------------------------------------------- errors


def test_routes_need_the_environment(sim, api, spec, family):
    for method, url, params in [("GET", url_of(sim, family), {}), ("GET", url_of(sim, family), {"environment": ""}),
                                ("GET", url_of(sim, family, family.ids[0]), {}),
                                ("DELETE", url_of(sim, family, family.ids[0]), {})]:
        resp = api.request(method, url, params=params)
        err = assert_org_error(resp, 400, "invalid_parameter", "Invalid Parameter")
        assert err["source"] == {"parameter": "environment"} and "required" in err["detail"]
        spec(resp)
    assert not any(item["deleting"] for item in state_of(sim, family).values())


def test_unknown_or_elsewhere_is_404(sim, api, spec, family):
    for method in ("GET", "DELETE"):
        for item_id, env_id in ((family.ids[0][:-1] + "x", ENV), (family.other_id, ENV), (family.ids[0], "env-other"),
                                (family.ids[0], "env-missing")):
            resp = api.request(method, url_of(sim, family, item_id), params={"environment": env_id})
            err = assert_org_error(resp, 404, "resource_not_found", "Not Found")
            assert item_id in err["detail"] and env_id in err["detail"] and err["id"] == resp.headers["X-Request-Id"]
            spec(resp)
    assert not any(item["deleting"] for item in state_of(sim, family).values())
    assert not any(item["deleting"] for item in state_of(sim, family, "env-other").values())


def test_methods_not_allowed(sim, api, family):
    resp = api.post(url_of(sim, family), params={"environment": ENV}, json={})
    assert_org_error(resp, 405, "method_not_allowed", "Method Not Allowed")
    assert resp.headers["Allow"] == "GET"
    for method in ("PATCH", "PUT"):
        one = api.request(method, url_of(sim, family, family.ids[0]), params={"environment": ENV}, json={})
        assert_org_error(one, 405, "method_not_allowed", "Method Not Allowed")
        assert one.headers["Allow"] == "GET, DELETE"


# --------------------------------------------------------------------------- deleting


def test_delete_is_asynchronous(sim, api, spec, family):
    gone, kept = family.ids
    resp = api.delete(url_of(sim, family, gone), params={"environment": ENV})
    assert resp.status_code == 204 and resp.content == b""
    assert "Content-Length" not in resp.headers and "X-Request-Id" in resp.headers
    spec(resp)

    still = api.get(url_of(sim, family, gone), params={"environment": ENV})
    spec(still)
    assert still.status_code == 200 and still.json()["status"]["phase"] == family.phase_deleting
    deleted_at = still.json()["metadata"]["deleted_at"]
    assert abs(parse_time(deleted_at) - now_utc()) < datetime.timedelta(seconds=60)
    assert [item["id"] for item in listed(sim, api, spec, family)["data"]] == family.ids
    assert api.delete(url_of(sim, family, gone), params={"environment": ENV}).status_code == 204
    items = state_of(sim, family)
    assert items[gone]["deleting"] is True and 0 < items[gone]["gone_in"] <= PENDING_DELETE_DELAY
    assert items[gone]["deleted_at"] == deleted_at
    assert items[kept]["deleting"] is False and items[kept]["gone_in"] is None

    sim.advance_clock(PENDING_DELETE_DELAY)
    assert_org_error(api.get(url_of(sim, family, gone), params={"environment": ENV}), 404, "resource_not_found",
                     "Not Found")
    assert [item["id"] for item in listed(sim, api, spec, family)["data"]] == [kept]
    assert list(state_of(sim, family)) == [kept]
    assert_org_error(api.delete(url_of(sim, family, gone), params={"environment": ENV}), 404, "resource_not_found",
                     "Not Found")
    assert sim.cluster_ids(ENV) == [CLUSTER, "lkc-empty"] and sim.connector_names(ENV, CLUSTER)


def test_deleting_the_environment_takes_them(sim, api, spec, family):
    assert api.delete(env_url(sim, ENV)).status_code == 204
    assert [item["id"] for item in listed(sim, api, spec, family)["data"]] == family.ids
    sim.advance_clock(PENDING_DELETE_DELAY)
    assert listed(sim, api, spec, family)["data"] == []
    assert_org_error(api.get(url_of(sim, family, family.ids[0]), params={"environment": ENV}), 404,
                     "resource_not_found", "Not Found")
    assert ENV not in [e["id"] for e in control(sim, "GET", "state").json()["environments"]]
    assert [item["id"] for item in listed(sim, api, spec, family, "env-other")["data"]] == [family.other_id]
    assert list(state_of(sim, family, "env-other")) == [family.other_id]


def test_state_shows_them_per_environment(sim):
    state = control(sim, "GET", "state").json()
    staging, other = state["environments"]
    assert [(k["id"], k["display_name"], k["kafka_cluster"], k["csu"], k["deleting"]) for k in staging[
        "ksqldb_clusters"]] == [("lksqlc-orders", "orders-ksql", CLUSTER, 4, False),
                                ("lksqlc-small", "lksqlc-small", "lkc-empty", 1, False)]
    assert [(p["id"], p["display_name"], p["cloud"], p["region"], p["max_cfu"]) for p in staging[
        "flink_compute_pools"]] == [("lfcp-east", "east.pool", "AWS", "us-east-1", 5),
                                    ("lfcp-west", "lfcp-west", "GCP", "us-west-2", 10)]
    assert parse_time(staging["flink_compute_pools"][1]["created_at"]) == MAY_FIRST_NOON
    assert [k["id"] for k in other["ksqldb_clusters"]] == ["lksqlc-other"]
    assert [p["id"] for p in other["flink_compute_pools"]] == ["lfcp-other"]
    assert all(item["deleted_at"] is None and item["gone_in"] is None
               for env in (staging, other) for key in ("ksqldb_clusters", "flink_compute_pools") for item in env[key])
    assert sim.state() == state


# --------------------------------------------------------------------------- seeds, the shared machinery, the validator


@pytest.mark.parametrize("key,entry,match", [
    ("ksqldb_clusters", {"id": "ksql-1", "kafka_cluster": "lkc-1"}, "lksqlc-"),
    ("ksqldb_clusters", {"id": "lksqlc-1"}, "kafka_cluster must be a Kafka cluster of environment env-1"),
    ("ksqldb_clusters", {"id": "lksqlc-1", "kafka_cluster": "lkc-elsewhere"}, "one of: lkc-1"),
    ("ksqldb_clusters", {"id": "lksqlc-1", "kafka_cluster": "lkc-1", "csu": 0}, "csu"),
    ("ksqldb_clusters", {"id": "lksqlc-1", "kafka_cluster": "lkc-1", "csu": "4"}, "csu"),
    ("ksqldb_clusters", {"id": "lksqlc-1", "kafka_cluster": "lkc-1", "display_name": "no spaces"}, "display_name"),
    ("ksqldb_clusters", {"id": "lksqlc-1", "kafka_cluster": "lkc-1", "display_name": "x" * 33}, "display_name"),
    ("ksqldb_clusters", {"id": "lksqlc-1", "kafka_cluster": "lkc-1", "credential_identity": "team"}, "credential"),
    ("ksqldb_clusters", {"id": "lksqlc-1", "kafka_cluster": "lkc-1", "age": -1}, "lksqlc-1"),
    ("flink_compute_pools", {"id": "pool-1"}, "lfcp-"),
    ("flink_compute_pools", {"id": "lfcp-"}, "lfcp-"),
    ("flink_compute_pools", {"id": "lfcp-1", "max_cfu": 0}, "max_cfu"),
    ("flink_compute_pools", {"id": "lfcp-1", "current_cfu": -1}, "current_cfu"),
    ("flink_compute_pools", {"id": "lfcp-1", "region": ""}, "region"),
    ("flink_compute_pools", {"id": "lfcp-1", "display_name": "p" * 65}, "display_name"),
    ("flink_compute_pools", {"id": "lfcp-1", "created_at": "2024-05-01"}, "RFC 3339"),
])
def test_bad_seed_is_rejected(key, entry, match):
    with pytest.raises(confluent_sim.SeedError, match=re.escape(match)):
        confluent_sim.Simulator({"environments": [{"id": "env-1", "clusters": [{"id": "lkc-1"}], key: [entry]}]})


@pytest.mark.parametrize("key,entry", [("ksqldb_clusters", {"id": "lksqlc-1", "kafka_cluster": "lkc-1"}),
                                       ("flink_compute_pools", {"id": "lfcp-1"})])
def test_seed_lists_and_ids(key, entry):
    with pytest.raises(confluent_sim.SeedError, match="must be a list"):
        confluent_sim.Simulator({"environments": [{"id": "env-1", "clusters": [{"id": "lkc-1"}], key: entry}]})
    # Ids are unique across environments.
    with pytest.raises(confluent_sim.SeedError, match="duplicate"):
        confluent_sim.Simulator({"environments": [{"id": "env-%d" % i, "clusters": [{"id": "lkc-1"}], key: [entry]}
                                                  for i in (1, 2)]})


def test_routes_share_auth_rate_limit_faults_and_log(sim, api, spec, family):
    denied = requests.get(url_of(sim, family), params={"environment": ENV}, auth=("KEY1", "wrong"))
    assert_org_error(denied, 401, "user_unauthenticated", "Authentication Required")
    spec(denied)
    control(sim, "POST", "faults", {"method": "DELETE", "path": "/" + family.ids[0], "action": "apply_then_drop"})
    with pytest.raises(requests.exceptions.ConnectionError):
        api.delete(url_of(sim, family, family.ids[0]), params={"environment": ENV})
    assert state_of(sim, family)[family.ids[0]]["deleting"] is True
    control(sim, "POST", "config", {"rate_limit": {"limit": 1, "window": 30}})
    assert api.get(url_of(sim, family), params={"environment": ENV}).status_code == 200
    limited = api.delete(url_of(sim, family, family.ids[1]), params={"environment": ENV})
    assert_org_error(limited, 429, "too_many_requests", "Too Many Requests")
    spec(limited)
    assert state_of(sim, family)[family.ids[1]]["deleting"] is False
    assert [(e["method"], urlsplit(e["path"]).path, e["status"], e.get("effect_status")) for e in sim.log()] == [
        ("GET", family.path, 401, None), ("DELETE", family.path + "/" + family.ids[0], None, 204),
        ("GET", family.path, 200, None), ("DELETE", family.path + "/" + family.ids[1], 429, None)]
    assert AUTH[1] not in str(sim.log())


@pytest.mark.parametrize("drop", [("status", "storage"), ("status", "phase"), ("spec", "display_name")])
def test_validator_rejects_off_spec_answers(sim, api, spec, family, drop):
    good = api.get(url_of(sim, family, family.ids[0]), params={"environment": ENV}).json()
    part, field = drop
    if field not in good[part]:
        field = "current_cfu"  # compute pools have no storage
    bad = dict(good, **{part: {k: v for k, v in good[part].items() if k != field}})
    control(sim, "POST", "faults", [
        {"method": "GET", "path": family.ids[0], "action": "respond", "status": 200, "body": bad},
        {"method": "GET", "path": family.path + r"\?", "action": "respond", "status": 200,
         "body": {"api_version": family.api_version, "kind": family.list_kind, "metadata": {}, "data": [bad]}},
        {"method": "DELETE", "path": family.ids[0], "action": "respond", "status": 200, "body": {}},
    ])
    if part == "status":
        with pytest.raises(Exception):
            spec(api.get(url_of(sim, family, family.ids[0]), params={"environment": ENV}))
    with pytest.raises(Exception):
        spec(api.get(url_of(sim, family), params={"environment": ENV}))
    with pytest.raises(AssertionError, match="not documented"):
        spec(api.delete(url_of(sim, family, family.ids[0]), params={"environment": ENV}))

"""Tests of the simulator's Kafka clusters (cmk/v2).

Every answer that a test looks at is also validated against the matching OpenAPI document
(see simtest.SpecValidator).
"""

from __future__ import annotations

import base64
import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

import confluent_sim  # conftest.py puts this folder on sys.path
from familytest import (GUARDED, MAY_FIRST_NOON, SEVEN_HOURS, clusters_in, cmk_seed, delete_connectors, fetched,
                        now_utc, walk_pages)
from simtest import (AUTH, AUTH2, CLUSTER, ENV, PENDING_DELETE_DELAY, assert_connect_error, assert_org_error,
                     cluster_url, conn_url, control, env_url, parse_time, requests)


@pytest.fixture
def sim_seed():
    return cmk_seed()


# --------------------------------------------------------------------------- clusters: reading


def test_get_cluster_shape(sim, api, spec):
    body = fetched(api, spec, cluster_url(sim, CLUSTER), "/cmk/v2/clusters/{id}", "cmk/v2", "Cluster", environment=ENV)
    meta = body["metadata"]
    assert meta["self"] == cluster_url(sim, CLUSTER)
    assert meta["resource_name"].startswith("crn://confluent.cloud/organization=")
    assert meta["resource_name"].endswith("/environment=%s/cloud-cluster=%s" % (ENV, CLUSTER))
    assert "deleted_at" not in meta
    age = now_utc() - parse_time(meta["created_at"])
    assert datetime.timedelta(seconds=SEVEN_HOURS) <= age < datetime.timedelta(seconds=SEVEN_HOURS + 60)
    assert meta["updated_at"] == meta["created_at"]
    spec_part = body["spec"]
    assert spec_part["display_name"] == "orders"
    assert (spec_part["cloud"], spec_part["region"], spec_part["availability"]) == ("GCP", "us-east4", "MULTI_ZONE")
    assert spec_part["config"] == {"kind": "Dedicated", "cku": 2}
    assert spec_part["environment"]["id"] == ENV
    assert spec_part["environment"]["related"] == env_url(sim, ENV)
    assert spec_part["environment"]["resource_name"] == meta["resource_name"].rsplit("/", 1)[0]
    assert spec_part["kafka_bootstrap_endpoint"].startswith("SASL_SSL://pkc-")
    assert spec_part["kafka_bootstrap_endpoint"].endswith(".us-east4.gcp.confluent.cloud:9092")
    assert spec_part["http_endpoint"] == sim.url  # the simulator serves the cluster's Kafka REST itself
    assert "deletion_protection" not in spec_part
    assert body["status"] == {"phase": "PROVISIONED", "cku": 2}
    spec.validate_schema("cmk", "cmk.v2.Cluster", body)
    # The connectors of this cluster default to its cloud and region.
    config = api.get(conn_url(sim, name="orders-sink")).json()["config"]
    assert (config["cloud.provider"], config["kafka.region"]) == ("gcp", "us-east4")
    assert config["kafka.endpoint"] == spec_part["kafka_bootstrap_endpoint"]


def test_cluster_defaults_and_seeded_created_at(sim, api, spec):
    body = api.get(cluster_url(sim, "lkc-empty"), params={"environment": ENV})
    spec(body)
    body = body.json()
    assert body["spec"]["display_name"] == "lkc-empty"
    assert body["spec"]["config"] == {"kind": "Basic"} and body["status"] == {"phase": "PROVISIONED"}
    assert (body["spec"]["cloud"], body["spec"]["region"], body["spec"]["availability"]) == (
        "AWS", "us-west-2", "SINGLE_ZONE")
    assert body["spec"]["deletion_protection"] is False
    assert parse_time(body["metadata"]["created_at"]) == MAY_FIRST_NOON
    guarded = api.get(cluster_url(sim, GUARDED), params={"environment": ENV}).json()
    assert guarded["spec"]["deletion_protection"] is True
    assert now_utc() - parse_time(guarded["metadata"]["created_at"]) < datetime.timedelta(seconds=60)


def test_list_clusters_of_an_environment(sim, api, spec):
    body = clusters_in(sim, api, spec)
    assert (body["api_version"], body["kind"]) == ("cmk/v2", "ClusterList")
    assert [c["id"] for c in body["data"]] == sim.cluster_ids(ENV) == [CLUSTER, "lkc-empty", GUARDED]
    assert body["metadata"]["total_size"] == 3 and "next" not in body["metadata"]
    assert body["metadata"]["first"] == cluster_url(sim) + "?environment=" + ENV
    single = api.get(cluster_url(sim, CLUSTER), params={"environment": ENV}).json()
    assert body["data"][0] == single
    other = clusters_in(sim, api, spec, "env-other")
    assert [c["id"] for c in other["data"]] == ["lkc-777"]
    assert other["data"][0]["spec"]["environment"]["id"] == "env-other"
    spec.validate_schema("cmk", "cmk.v2.ClusterList", body)


def test_list_clusters_paginates(sim, api, spec):
    seed = cmk_seed()
    ids = ["lkc-%03d" % i for i in range(23)]
    seed["environments"][1]["clusters"] = [{"id": i} for i in ids]
    sim.load_seed(seed)

    def check(body):
        assert body["metadata"]["total_size"] == 23
        url = body["metadata"].get("next")
        if url:
            query = parse_qs(urlsplit(url).query)
            assert url.startswith(cluster_url(sim) + "?")
            assert query["environment"] == ["env-other"] and query["page_size"] == ["10"] and query["page_token"]

    seen, pages = walk_pages(api, spec, cluster_url(sim) + "?environment=env-other&page_size=10", check)
    assert pages == 3 and seen == ids
    default = clusters_in(sim, api, spec, "env-other")
    assert [c["id"] for c in default["data"]] == ids[:10] and default["metadata"]["next"]
    everything = clusters_in(sim, api, spec, "env-other", page_size=100)
    assert [c["id"] for c in everything["data"]] == ids and "next" not in everything["metadata"]


@pytest.mark.parametrize("params,parameter", [
    ({"page_size": "0"}, "page_size"), ({"page_size": "101"}, "page_size"), ({"page_size": "abc"}, "page_size"),
    ({"page_size": ""}, "page_size"), ({"page_token": "garbage!"}, "page_token"),
    ({"page_token": base64.urlsafe_b64encode(b"env-after:0").decode().rstrip("=")}, "page_token"),
    ({"spec.deletion_protection": "maybe"}, "spec.deletion_protection"),
])
def test_cluster_list_bad_parameters(sim, api, spec, params, parameter):
    resp = api.get(cluster_url(sim), params=dict(params, environment=ENV))
    err = assert_org_error(resp, 400, "invalid_parameter", "Invalid Parameter")
    assert err["source"] == {"parameter": parameter}
    spec(resp)


def test_cluster_routes_need_the_environment(sim, api, spec):
    for method, url, params in [("GET", cluster_url(sim), {}), ("GET", cluster_url(sim), {"environment": ""}),
                                ("GET", cluster_url(sim, CLUSTER), {}),
                                ("DELETE", cluster_url(sim, "lkc-empty"), {})]:
        resp = api.request(method, url, params=params)
        err = assert_org_error(resp, 400, "invalid_parameter", "Invalid Parameter")
        assert err["source"] == {"parameter": "environment"} and "required" in err["detail"]
        spec(resp)
    assert not sim.is_cluster_deleting(ENV, "lkc-empty")


def test_cluster_list_of_unknown_environment_is_empty(sim, api, spec):
    body = clusters_in(sim, api, spec, "env-missing")
    assert body["data"] == [] and body["metadata"]["total_size"] == 0 and "next" not in body["metadata"]
    assert sim.cluster_ids("env-missing") is None


def test_cluster_list_filters(sim, api, spec):
    protected = clusters_in(sim, api, spec, **{"spec.deletion_protection": "true"})
    assert [c["id"] for c in protected["data"]] == [GUARDED]
    assert all(c["spec"]["deletion_protection"] is True for c in protected["data"])
    unprotected = clusters_in(sim, api, spec, **{"spec.deletion_protection": "false", "page_size": 1})
    assert [c["id"] for c in unprotected["data"]] == [CLUSTER]
    assert unprotected["metadata"]["total_size"] == 2
    next_query = parse_qs(urlsplit(unprotected["metadata"]["next"]).query)
    assert next_query["spec.deletion_protection"] == ["false"] and next_query["environment"] == [ENV]
    second = api.get(unprotected["metadata"]["next"])
    spec(second)
    assert [c["id"] for c in second.json()["data"]] == ["lkc-empty"] and "next" not in second.json()["metadata"]
    networked = clusters_in(sim, api, spec, **{"spec.network": ["n-1", "n-2"]})
    assert networked["data"] == [] and networked["metadata"]["total_size"] == 0


def test_unknown_cluster_is_404(sim, api, spec):
    for method in ("GET", "DELETE"):
        for cluster, env_id in (("lkc-missing", ENV), ("lkc-777", ENV), (CLUSTER, "env-missing")):
            resp = api.request(method, cluster_url(sim, cluster), params={"environment": env_id})
            err = assert_org_error(resp, 404, "resource_not_found", "Not Found")
            assert cluster in err["detail"] and err["id"] == resp.headers["X-Request-Id"]
            spec(resp)
    assert not sim.is_cluster_deleting("env-other", "lkc-777") and not sim.is_cluster_deleting(ENV, CLUSTER)


def test_cluster_methods_not_allowed(sim, api):
    resp = api.post(cluster_url(sim), params={"environment": ENV}, json={})
    assert_org_error(resp, 405, "method_not_allowed", "Method Not Allowed")
    assert resp.headers["Allow"] == "GET"
    patch = api.patch(cluster_url(sim, CLUSTER), params={"environment": ENV}, json={})
    assert_org_error(patch, 405, "method_not_allowed", "Method Not Allowed")
    assert patch.headers["Allow"] == "GET, DELETE"


# --------------------------------------------------------------------------- clusters: deleting


def test_delete_cluster_is_asynchronous(sim, api, spec):
    delete_connectors(sim, api, spec)  # else 409: see test_cluster_in_use_is_409
    resp = api.delete(cluster_url(sim, CLUSTER), params={"environment": ENV})
    assert resp.status_code == 204 and resp.content == b""
    assert "Content-Length" not in resp.headers and "X-Request-Id" in resp.headers
    spec(resp)

    still = api.get(cluster_url(sim, CLUSTER), params={"environment": ENV})
    assert still.status_code == 200
    spec(still)
    assert still.json()["metadata"]["deleted_at"] and still.json()["status"]["phase"] == "DEPROVISIONING"
    assert abs(parse_time(still.json()["metadata"]["deleted_at"]) - now_utc()) < datetime.timedelta(seconds=60)
    listed = clusters_in(sim, api, spec)
    assert CLUSTER in [c["id"] for c in listed["data"]]
    assert api.get(conn_url(sim)).status_code == 200
    assert api.delete(cluster_url(sim, CLUSTER), params={"environment": ENV}).status_code == 204
    cluster_state = [c for c in control(sim, "GET", "state").json()["environments"][0]["clusters"]
                     if c["id"] == CLUSTER][0]
    assert cluster_state["deleting"] is True and 0 < cluster_state["gone_in"] <= PENDING_DELETE_DELAY
    assert cluster_state["deleted_at"] == still.json()["metadata"]["deleted_at"]
    assert sim.is_cluster_deleting(ENV, CLUSTER) and not sim.is_cluster_deleting(ENV, "lkc-empty")
    assert CLUSTER not in sim.cluster_ids(ENV, include_deleting=False)

    sim.advance_clock(PENDING_DELETE_DELAY)
    assert sim.cluster_ids(ENV) == ["lkc-empty", GUARDED]
    assert_org_error(api.get(cluster_url(sim, CLUSTER), params={"environment": ENV}), 404,
                     "resource_not_found", "Not Found")
    listed = clusters_in(sim, api, spec)
    assert [c["id"] for c in listed["data"]] == ["lkc-empty", GUARDED] and listed["metadata"]["total_size"] == 2
    assert_connect_error(api.get(conn_url(sim)), 404)
    assert_connect_error(api.get(conn_url(sim, name="orders-sink")), 404)
    assert sim.connector_names(ENV, CLUSTER) is None
    assert sim.connector_names(ENV, GUARDED) == ["guarded-sink"]
    assert ENV in sim.environment_ids() and not sim.is_deleting(ENV)
    assert_org_error(api.delete(cluster_url(sim, CLUSTER), params={"environment": ENV}), 404,
                     "resource_not_found", "Not Found")


def test_deletion_protected_cluster_is_409(sim, api, spec):
    resp = api.delete(cluster_url(sim, GUARDED), params={"environment": ENV})
    err = assert_org_error(resp, 409, "deletion_protected", "Conflict")
    assert "deletion protection is on" in err["detail"] and GUARDED in err["detail"]
    assert resp.headers["Location"] == cluster_url(sim, GUARDED)
    spec(resp)
    sim.advance_clock(PENDING_DELETE_DELAY)
    assert GUARDED in sim.cluster_ids(ENV) and not sim.is_cluster_deleting(ENV, GUARDED)
    assert sim.connector_names(ENV, GUARDED) == ["guarded-sink"]
    body = api.get(cluster_url(sim, GUARDED), params={"environment": ENV}).json()
    assert "deleted_at" not in body["metadata"] and body["status"]["phase"] == "PROVISIONED"


def in_use_seed():
    """cmk_seed() with ksqlDB clusters on CLUSTER (which has 9 connectors), on GUARDED and on lkc-777 of env-other,
    and a connector being deleted (state DELETED) on lkc-empty."""
    seed = cmk_seed()
    staging, other = seed["environments"]
    staging["ksqldb_clusters"] = [{"id": "lksqlc-a", "kafka_cluster": CLUSTER},
                                  {"id": "lksqlc-guarded", "kafka_cluster": GUARDED},
                                  {"id": "lksqlc-b", "kafka_cluster": CLUSTER}]
    staging["clusters"][1]["connectors"] = [{"name": "going", "state": "DELETED"}]
    other["ksqldb_clusters"] = [{"id": "lksqlc-other", "kafka_cluster": "lkc-777"}]
    return seed


def test_cluster_in_use_is_409(sim, api, spec):
    sim.load_seed(in_use_seed())

    def refused(cluster, env_id=ENV):
        resp = api.delete(cluster_url(sim, cluster), params={"environment": env_id})
        err = assert_org_error(resp, 409, "resource_conflict", "Conflict")
        spec(resp)
        assert not sim.is_cluster_deleting(env_id, cluster)
        return err["detail"]

    connectors = ", ".join(sim.connector_names(ENV, CLUSTER))
    assert refused(CLUSTER) == (
        "Kafka cluster %s has 9 connectors (%s) and 2 ksqlDB clusters (lksqlc-a, lksqlc-b); delete them first"
        % (CLUSTER, connectors))
    # Only connectors, and a single one: env-other's lkc-777 without its ksqlDB cluster.
    assert api.delete(sim.url + "/ksqldbcm/v2/clusters/lksqlc-other", params={"environment": "env-other"}
                      ).status_code == 204
    assert refused("lkc-777", "env-other") == "Kafka cluster lkc-777 has 1 connector (keep-me); delete it first"
    # What is being deleted no longer blocks: a ksqlDB cluster with deleted_at, then the connectors once gone.
    assert api.delete(sim.url + "/ksqldbcm/v2/clusters/lksqlc-a", params={"environment": ENV}).status_code == 204
    assert refused(CLUSTER) == ("Kafka cluster %s has 9 connectors (%s) and 1 ksqlDB cluster (lksqlc-b); "
                                "delete them first" % (CLUSTER, connectors))
    delete_connectors(sim, api, spec)
    assert refused(CLUSTER) == "Kafka cluster %s has 1 ksqlDB cluster (lksqlc-b); delete it first" % CLUSTER
    assert api.delete(sim.url + "/ksqldbcm/v2/clusters/lksqlc-b", params={"environment": ENV}).status_code == 204
    resp = api.delete(cluster_url(sim, CLUSTER), params={"environment": ENV})
    assert resp.status_code == 204
    spec(resp)
    assert sim.is_cluster_deleting(ENV, CLUSTER)
    # A connector in state DELETED is being deleted: lkc-empty goes at once.
    assert api.delete(cluster_url(sim, "lkc-empty"), params={"environment": ENV}).status_code == 204
    assert sim.is_cluster_deleting(ENV, "lkc-empty")
    sim.advance_clock(PENDING_DELETE_DELAY)
    assert sim.cluster_ids(ENV) == [GUARDED]


def test_deletion_protection_wins_over_use(sim, api, spec):
    sim.load_seed(in_use_seed())
    resp = api.delete(cluster_url(sim, GUARDED), params={"environment": ENV})
    err = assert_org_error(resp, 409, "deletion_protected", "Conflict")
    assert "deletion protection is on" in err["detail"] and "ksqlDB" not in err["detail"]
    assert resp.headers["Location"] == cluster_url(sim, GUARDED)
    spec(resp)
    assert not sim.is_cluster_deleting(ENV, GUARDED)


def test_deleting_the_environment_takes_its_clusters(sim, api, spec):
    assert api.delete(env_url(sim, ENV)).status_code == 204
    assert [c["id"] for c in clusters_in(sim, api, spec)["data"]] == [CLUSTER, "lkc-empty", GUARDED]
    sim.advance_clock(PENDING_DELETE_DELAY)
    assert clusters_in(sim, api, spec)["data"] == []
    assert_org_error(api.get(cluster_url(sim, CLUSTER), params={"environment": ENV}), 404,
                     "resource_not_found", "Not Found")
    assert [c["id"] for c in clusters_in(sim, api, spec, "env-other")["data"]] == ["lkc-777"]


def test_cluster_state(sim):
    state = control(sim, "GET", "state").json()
    clusters = {c["id"]: c for c in state["environments"][0]["clusters"]}
    assert list(clusters) == [CLUSTER, "lkc-empty", GUARDED]
    assert {cid: (c["display_name"], c["deletion_protection"], c["deleting"]) for cid, c in clusters.items()} == {
        CLUSTER: ("orders", False, False), "lkc-empty": ("lkc-empty", False, False),
        GUARDED: ("guarded", True, False)}
    assert clusters[GUARDED]["deleted_at"] is None and clusters[GUARDED]["gone_in"] is None
    assert [c["name"] for c in clusters[GUARDED]["connectors"]] == ["guarded-sink"]
    assert parse_time(clusters["lkc-empty"]["created_at"]).year == 2024


@pytest.mark.parametrize("cluster", [
    {"id": "lkc-x", "config": {"kind": "Huge"}}, {"id": "lkc-x", "config": "Basic"},
    {"id": "lkc-x", "deletion_protection": "yes"}, {"id": "lkc-x", "display_name": 5},
    {"id": "lkc-x", "region": ""}, {"id": "lkc-x", "age": -5},
])
def test_bad_cluster_seed_is_rejected(cluster):
    with pytest.raises(confluent_sim.SeedError, match="lkc-x"):
        confluent_sim.Simulator({"environments": [{"id": "env-1", "clusters": [cluster]}]})


# --------------------------------------------------------------------------- clusters: auth, rate limit, faults, log


def test_cluster_routes_share_auth_rate_limit_and_log(sim, api, spec):
    unauthenticated = requests.get(cluster_url(sim), params={"environment": ENV}, auth=("KEY1", "wrong"))
    err = assert_org_error(unauthenticated, 401, "user_unauthenticated", "Authentication Required")
    assert 'error="invalid_key"' in unauthenticated.headers["WWW-Authenticate"] and err
    spec(unauthenticated)

    control(sim, "POST", "config", {"rate_limit": {"limit": 3, "window": 30}})
    sim.clear_log()
    assert api.get(env_url(sim)).status_code == 200
    first = api.get(cluster_url(sim, CLUSTER), params={"environment": ENV})
    assert first.status_code == 200 and first.headers["X-RateLimit-Remaining"] == "1"
    spec(first)
    assert api.get(conn_url(sim)).status_code == 200
    limited = api.delete(cluster_url(sim, "lkc-empty"), params={"environment": ENV})
    assert_org_error(limited, 429, "too_many_requests", "Too Many Requests")
    assert limited.headers["X-RateLimit-Remaining"] == "0" and int(limited.headers["Retry-After"]) >= 1
    spec(limited)
    assert not sim.is_cluster_deleting(ENV, "lkc-empty")
    other_key = requests.get(cluster_url(sim), params={"environment": ENV}, auth=AUTH2)
    assert other_key.status_code == 200 and other_key.headers["X-RateLimit-Remaining"] == "2"
    log = sim.log()
    assert [(e["method"], urlsplit(e["path"]).path, e["key"], e["status"]) for e in log] == [
        ("GET", "/org/v2/environments", "KEY1", 200),
        ("GET", "/cmk/v2/clusters/" + CLUSTER, "KEY1", 200),
        ("GET", "/connect/v1/environments/%s/clusters/%s/connectors" % (ENV, CLUSTER), "KEY1", 200),
        ("DELETE", "/cmk/v2/clusters/lkc-empty", "KEY1", 429),
        ("GET", "/cmk/v2/clusters", "KEY2", 200)]
    assert log[1]["path"] == "/cmk/v2/clusters/%s?environment=%s" % (CLUSTER, ENV)


def test_cluster_routes_take_faults(sim, api):
    control(sim, "POST", "faults", [
        {"method": "GET", "path": r"^/cmk/v2/clusters\?", "action": "respond", "status": 503, "body": "busy"},
        {"method": "DELETE", "path": "/cmk/v2/clusters/lkc-empty", "action": "apply_then_drop"},
    ])
    busy = api.get(cluster_url(sim), params={"environment": ENV})
    assert busy.status_code == 503 and busy.text == "busy"
    assert api.get(cluster_url(sim), params={"environment": ENV}).status_code == 200
    with pytest.raises(requests.exceptions.ConnectionError):
        api.delete(cluster_url(sim, "lkc-empty"), params={"environment": ENV})
    assert sim.is_cluster_deleting(ENV, "lkc-empty")
    assert [(e["fault"], e["status"], e.get("effect_status")) for e in sim.log()] == [
        ("respond", 503, None), (None, 200, None), ("apply_then_drop", None, 204)]
    assert AUTH[1] not in str(sim.log())


# --------------------------------------------------------------------------- the validator itself


def test_validator_rejects_off_spec_cluster_answers(sim, api, spec):
    good = api.get(cluster_url(sim, CLUSTER), params={"environment": ENV}).json()
    no_status = {k: v for k, v in good.items() if k != "status"}
    bad_kind = dict(good, spec=dict(good["spec"], config={"kind": "Gigantic"}))
    control(sim, "POST", "faults", [
        {"method": "GET", "path": CLUSTER, "action": "respond", "status": 200, "body": no_status},
        {"method": "GET", "path": CLUSTER, "action": "respond", "status": 200, "body": bad_kind},
        {"method": "DELETE", "path": CLUSTER, "action": "respond", "status": 200, "body": {}},
        {"method": "GET", "path": r"clusters\?", "action": "respond", "status": 200,
         "body": {"api_version": "cmk/v2", "kind": "ClusterList", "metadata": {}, "data": [no_status]}},
    ])
    for dummy in range(2):
        with pytest.raises(Exception):
            spec(api.get(cluster_url(sim, CLUSTER), params={"environment": ENV}))
    with pytest.raises(AssertionError, match="not documented"):
        spec(api.delete(cluster_url(sim, CLUSTER), params={"environment": ENV}))
    with pytest.raises(Exception):
        spec(api.get(cluster_url(sim), params={"environment": ENV}))
    spec.validate_schema("cmk", "cmk.v2.Cluster", good)

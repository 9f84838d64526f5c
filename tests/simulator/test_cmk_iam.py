"""Tests of the simulator's Kafka clusters (cmk/v2), service accounts (iam/v2) and API keys (iam/v2 api-keys).

Every answer that a test looks at is also validated against the matching OpenAPI document
(see simtest.SpecValidator).
"""

from __future__ import annotations

import base64
import datetime
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

import confluent_sim  # conftest.py puts this folder on sys.path
from simtest import (AUTH, AUTH2, CLUSTER, ENV, PENDING_DELETE_DELAY, assert_connect_error, assert_org_error,
                     base_seed, cluster_url, conn_url, control, env_url, key_url, parse_time, requests, sa_url)

GUARDED = "lkc-guarded"
SEVEN_HOURS = 7 * 3600
APP_AUTH = ("APPKEY", "APP-SECRET")
CI_AUTH = ("CIKEY", "CI-SECRET")
MAY_FIRST_NOON = datetime.datetime(2024, 5, 1, 12, tzinfo=datetime.timezone.utc)


def cmk_seed():
    """base_seed() with cluster attributes, service accounts and API keys (some of them usable credentials)."""
    seed = base_seed()
    seed["credentials"] += [{"api_key": APP_AUTH[0], "api_secret": APP_AUTH[1]},
                            {"api_key": CI_AUTH[0], "api_secret": CI_AUTH[1]}]
    seed["service_accounts"] = [
        {"id": "sa-app", "display_name": "orders-app", "description": "runs the orders pipeline", "age": SEVEN_HOURS},
        {"id": "sa-ci", "display_name": "ci", "created_at": "2024-05-01T12:00:00Z"},
        {"id": "sa-idle", "display_name": "idle, old"},
    ]
    seed["api_keys"] = [
        {"id": APP_AUTH[0], "owner": "sa-app", "resource": "cloud", "display_name": "app cloud key", "age": 60},
        {"id": "APPKAFKA", "owner": "sa-app", "resource": CLUSTER, "description": "orders cluster"},
        {"id": CI_AUTH[0], "owner": "sa-ci", "created_at": "2024-05-02T08:30:00Z"},
        {"id": "USERKEY", "owner": "u-alice", "resource": "lkc-777", "age": SEVEN_HOURS},
        {"id": "ORPHAN", "owner": "u-alice", "resource": "lkc-unseeded"},
    ]
    clusters = seed["environments"][0]["clusters"]
    clusters[0].update(display_name="orders", cloud="GCP", region="us-east4", availability="MULTI_ZONE",
                       config={"kind": "Dedicated", "cku": 2}, age=SEVEN_HOURS)
    clusters[1].update(deletion_protection=False, created_at="2024-05-01T12:00:00Z")
    clusters.append({"id": GUARDED, "display_name": "guarded", "deletion_protection": True,
                     "connectors": [{"name": "guarded-sink"}]})
    return seed


@pytest.fixture
def sim_seed():
    return cmk_seed()


def clusters_in(sim, api, spec, env_id=ENV, **params):
    resp = api.get(cluster_url(sim), params=dict(params, environment=env_id))
    assert resp.status_code == 200, resp.text
    spec(resp)
    return resp.json()


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc)


# --------------------------------------------------------------------------- clusters: reading


def test_get_cluster_shape(sim, api, spec):
    resp = api.get(cluster_url(sim, CLUSTER), params={"environment": ENV})
    assert resp.status_code == 200
    assert spec(resp) == "/cmk/v2/clusters/{id}"
    body = resp.json()
    assert (body["api_version"], body["kind"], body["id"]) == ("cmk/v2", "Cluster", CLUSTER)
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
    assert spec_part["http_endpoint"].startswith("https://pkc-") and ".us-east4.gcp." in spec_part["http_endpoint"]
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
    seen, pages, url = [], 0, cluster_url(sim) + "?environment=env-other&page_size=10"
    while url:
        resp = api.get(url)
        assert resp.status_code == 200
        spec(resp)
        body = resp.json()
        assert body["metadata"]["total_size"] == 23
        seen += [c["id"] for c in body["data"]]
        pages += 1
        url = body["metadata"].get("next")
        if url:
            query = parse_qs(urlsplit(url).query)
            assert url.startswith(cluster_url(sim) + "?")
            assert query["environment"] == ["env-other"] and query["page_size"] == ["10"] and query["page_token"]
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


# --------------------------------------------------------------------------- service accounts


def listed_ids(sim, api, spec, url, **params):
    resp = api.get(url, params=params)
    assert resp.status_code == 200, resp.text
    spec(resp)
    return [item["id"] for item in resp.json()["data"]]


def test_get_service_account_shape(sim, api, spec):
    resp = api.get(sa_url(sim, "sa-app"))
    assert resp.status_code == 200
    assert spec(resp) == "/iam/v2/service-accounts/{id}"
    body = resp.json()
    assert (body["api_version"], body["kind"], body["id"]) == ("iam/v2", "ServiceAccount", "sa-app")
    assert (body["display_name"], body["description"]) == ("orders-app", "runs the orders pipeline")
    meta = body["metadata"]
    assert meta["self"] == sa_url(sim, "sa-app")
    assert re.fullmatch(r"crn://confluent\.cloud/organization=[^/]+/service-account=sa-app", meta["resource_name"])
    age = now_utc() - parse_time(meta["created_at"])
    assert datetime.timedelta(seconds=SEVEN_HOURS) <= age < datetime.timedelta(seconds=SEVEN_HOURS + 60)
    spec.validate_schema("iam", "iam.v2.ServiceAccount", body)
    ci = api.get(sa_url(sim, "sa-ci"))
    spec(ci)
    assert parse_time(ci.json()["metadata"]["created_at"]) == MAY_FIRST_NOON
    assert ci.json()["description"] == ""


def test_list_service_accounts(sim, api, spec):
    resp = api.get(sa_url(sim))
    spec(resp)
    body = resp.json()
    assert (body["api_version"], body["kind"]) == ("iam/v2", "ServiceAccountList")
    assert [sa["id"] for sa in body["data"]] == sim.service_account_ids() == ["sa-app", "sa-ci", "sa-idle"]
    assert body["metadata"]["total_size"] == 3 and "next" not in body["metadata"]
    assert body["data"][0] == api.get(sa_url(sim, "sa-app")).json()
    spec.validate_schema("iam", "iam.v2.ServiceAccountList", body)


def test_service_account_display_name_filter(sim, api, spec):
    assert listed_ids(sim, api, spec, sa_url(sim), display_name="ci") == ["sa-ci"]
    # Exact match: no substring, no other case.
    assert listed_ids(sim, api, spec, sa_url(sim), display_name="orders") == []
    assert listed_ids(sim, api, spec, sa_url(sim), display_name="Orders-App") == []
    # Several values (the parameter repeated) match any of them, in list order.
    assert listed_ids(sim, api, spec, sa_url(sim), display_name=["ci", "orders-app"]) == ["sa-app", "sa-ci"]
    # A comma is part of one name, not a separator.
    assert listed_ids(sim, api, spec, sa_url(sim), display_name="idle, old") == ["sa-idle"]
    assert listed_ids(sim, api, spec, sa_url(sim), display_name="ci,orders-app") == []
    first = api.get(sa_url(sim), params={"display_name": ["ci", "orders-app"], "page_size": 1}).json()
    assert [sa["id"] for sa in first["data"]] == ["sa-app"] and first["metadata"]["total_size"] == 2
    assert parse_qs(urlsplit(first["metadata"]["next"]).query)["display_name"] == ["ci", "orders-app"]
    second = api.get(first["metadata"]["next"])
    spec(second)
    assert [sa["id"] for sa in second.json()["data"]] == ["sa-ci"] and "next" not in second.json()["metadata"]


def test_service_accounts_paginate(sim, api, spec):
    seed = cmk_seed()
    ids = ["sa-%03d" % i for i in range(23)]
    seed["service_accounts"] = [{"id": i} for i in ids]
    seed["api_keys"] = []
    sim.load_seed(seed)
    seen, pages, url = [], 0, sa_url(sim) + "?page_size=10"
    while url:
        resp = api.get(url)
        spec(resp)
        body = resp.json()
        assert body["metadata"]["total_size"] == 23
        seen += [sa["id"] for sa in body["data"]]
        pages += 1
        url = body["metadata"].get("next")
    assert pages == 3 and seen == ids
    assert listed_ids(sim, api, spec, sa_url(sim)) == ids[:10]
    assert api.get(sa_url(sim, "sa-007")).json()["display_name"] == "sa-007"


@pytest.mark.parametrize("which", ["service-accounts", "api-keys"])
@pytest.mark.parametrize("params,parameter", [
    ({"page_size": "0"}, "page_size"), ({"page_size": "101"}, "page_size"), ({"page_size": "1.5"}, "page_size"),
    ({"page_token": "x" * 300}, "page_token"),
    ({"page_token": base64.urlsafe_b64encode(b"lkc-after:0").decode().rstrip("=")}, "page_token"),
])
def test_iam_list_bad_paging(sim, api, spec, which, params, parameter):
    resp = api.get("%s/iam/v2/%s" % (sim.url, which), params=params)
    err = assert_org_error(resp, 400, "invalid_parameter", "Invalid Parameter")
    assert err["source"] == {"parameter": parameter}
    spec(resp)


def test_unknown_service_account_or_api_key_is_404(sim, api, spec):
    for url in (sa_url(sim, "sa-missing"), key_url(sim, "NOKEY")):
        for method in ("GET", "DELETE"):
            resp = api.request(method, url)
            err = assert_org_error(resp, 404, "resource_not_found", "Not Found")
            assert err["id"] == resp.headers["X-Request-Id"]
            spec(resp)
    assert sim.service_account_ids() == ["sa-app", "sa-ci", "sa-idle"] and len(sim.api_key_ids()) == 5


def test_delete_service_account_takes_its_api_keys(sim, api, spec):
    assert requests.get(sa_url(sim), auth=APP_AUTH).status_code == 200
    resp = api.delete(sa_url(sim, "sa-app"))
    assert resp.status_code == 204 and resp.content == b"" and "Content-Length" not in resp.headers
    spec(resp)
    # At once: no pending window for service accounts and API keys.
    assert sim.service_account_ids() == ["sa-ci", "sa-idle"]
    assert_org_error(api.get(sa_url(sim, "sa-app")), 404, "resource_not_found", "Not Found")
    assert listed_ids(sim, api, spec, sa_url(sim)) == ["sa-ci", "sa-idle"]
    assert sim.api_key_ids() == [CI_AUTH[0], "USERKEY", "ORPHAN"]
    assert listed_ids(sim, api, spec, key_url(sim)) == [CI_AUTH[0], "USERKEY", "ORPHAN"]
    assert listed_ids(sim, api, spec, key_url(sim), **{"spec.owner": "sa-app"}) == []
    for key_id in (APP_AUTH[0], "APPKAFKA"):
        assert_org_error(api.get(key_url(sim, key_id)), 404, "resource_not_found", "Not Found")
    # The service account's key was also a credential: it no longer authenticates.
    revoked = requests.get(sa_url(sim), auth=APP_AUTH)
    assert_org_error(revoked, 401, "user_unauthenticated", "Authentication Required")
    assert requests.get(sa_url(sim), auth=CI_AUTH).status_code == 200
    state = control(sim, "GET", "state").json()
    assert [sa["id"] for sa in state["service_accounts"]] == ["sa-ci", "sa-idle"]
    assert APP_AUTH[0] not in state["config"]["api_keys"] and CI_AUTH[0] in state["config"]["api_keys"]
    assert_org_error(api.delete(sa_url(sim, "sa-app")), 404, "resource_not_found", "Not Found")


# --------------------------------------------------------------------------- API keys


def test_get_api_key_shapes(sim, api, spec):
    resp = api.get(key_url(sim, "APPKAFKA"))
    assert resp.status_code == 200
    assert spec(resp) == "/iam/v2/api-keys/{id}"
    body = resp.json()
    assert (body["api_version"], body["kind"], body["id"]) == ("iam/v2", "ApiKey", "APPKAFKA")
    assert body["metadata"]["self"] == key_url(sim, "APPKAFKA")
    assert body["metadata"]["resource_name"].endswith("/api-key=APPKAFKA")
    key_spec = body["spec"]
    assert "secret" not in key_spec
    assert (key_spec["display_name"], key_spec["description"]) == ("", "orders cluster")
    owner = key_spec["owner"]
    assert (owner["id"], owner["kind"], owner["api_version"]) == ("sa-app", "ServiceAccount", "iam/v2")
    assert owner["related"] == sa_url(sim, "sa-app")
    assert owner["resource_name"] == api.get(sa_url(sim, "sa-app")).json()["metadata"]["resource_name"]
    resource = key_spec["resource"]
    assert (resource["id"], resource["kind"], resource["environment"]) == (CLUSTER, "Cluster", ENV)
    cluster = api.get(cluster_url(sim, CLUSTER), params={"environment": ENV}).json()
    assert resource["related"] == cluster["metadata"]["self"]
    assert resource["resource_name"] == cluster["metadata"]["resource_name"]
    spec.validate_schema("apikeys", "iam.v2.ApiKey", body)

    cloud = api.get(key_url(sim, APP_AUTH[0]))
    spec(cloud)
    cloud = cloud.json()
    assert (cloud["spec"]["resource"]["id"], cloud["spec"]["resource"]["kind"]) == ("cloud", "Cloud")
    assert "environment" not in cloud["spec"]["resource"] and cloud["spec"]["display_name"] == "app cloud key"
    assert datetime.timedelta(seconds=60) <= now_utc() - parse_time(cloud["metadata"]["created_at"]) < \
        datetime.timedelta(seconds=120)

    user = api.get(key_url(sim, "USERKEY"))
    spec(user)
    user = user.json()
    assert (user["spec"]["owner"]["id"], user["spec"]["owner"]["kind"]) == ("u-alice", "User")
    assert user["spec"]["owner"]["related"] == sim.url + "/iam/v2/users/u-alice"
    assert user["spec"]["resource"]["environment"] == "env-other"
    orphan = api.get(key_url(sim, "ORPHAN"))
    spec(orphan)
    assert "environment" not in orphan.json()["spec"]["resource"]
    ci = api.get(key_url(sim, CI_AUTH[0])).json()
    assert ci["metadata"]["created_at"] == "2024-05-02T08:30:00Z" and ci["spec"]["resource"]["id"] == "cloud"


def test_list_api_keys_and_filters(sim, api, spec):
    everything = api.get(key_url(sim))
    spec(everything)
    body = everything.json()
    assert (body["api_version"], body["kind"]) == ("iam/v2", "ApiKeyList")
    all_ids = [APP_AUTH[0], "APPKAFKA", CI_AUTH[0], "USERKEY", "ORPHAN"]
    assert [k["id"] for k in body["data"]] == sim.api_key_ids() == all_ids
    assert body["data"][1] == api.get(key_url(sim, "APPKAFKA")).json()
    # No secret anywhere, though three of these keys are credentials.
    assert all("secret" not in k["spec"] for k in body["data"])
    assert APP_AUTH[1] not in everything.text and CI_AUTH[1] not in everything.text
    spec.validate_schema("apikeys", "iam.v2.ApiKeyList", body)

    def ids(**params):
        return listed_ids(sim, api, spec, key_url(sim), **params)

    assert ids(**{"spec.owner": "sa-app"}) == sim.api_key_ids(owner="sa-app") == [APP_AUTH[0], "APPKAFKA"]
    assert ids(**{"spec.resource": "cloud"}) == sim.api_key_ids(resource="cloud") == [APP_AUTH[0], CI_AUTH[0]]
    assert ids(**{"spec.owner": "sa-app", "spec.resource": "cloud"}) == [APP_AUTH[0]]
    assert ids(**{"spec.owner": "u-alice"}) == ["USERKEY", "ORPHAN"]
    assert ids(**{"spec.resource": "lkc-777"}) == ["USERKEY"]
    assert ids(**{"spec.owner": "sa-nobody"}) == [] and ids(**{"spec.owner": "sa-"}) == []
    first = api.get(key_url(sim), params={"spec.owner": "u-alice", "page_size": 1}).json()
    assert first["metadata"]["total_size"] == 2
    assert parse_qs(urlsplit(first["metadata"]["next"]).query)["spec.owner"] == ["u-alice"]
    assert [k["id"] for k in api.get(first["metadata"]["next"]).json()["data"]] == ["ORPHAN"]


def test_api_keys_paginate(sim, api, spec):
    seed = cmk_seed()
    ids = ["KEY-%03d" % i for i in range(23)]
    seed["api_keys"] = [{"id": i, "owner": "u-bob"} for i in ids]
    sim.load_seed(seed)
    seen, pages, url = [], 0, key_url(sim) + "?page_size=10"
    while url:
        resp = api.get(url)
        spec(resp)
        seen += [k["id"] for k in resp.json()["data"]]
        pages += 1
        url = resp.json()["metadata"].get("next")
    assert pages == 3 and seen == ids
    assert listed_ids(sim, api, spec, key_url(sim), page_size=100) == ids


def test_delete_api_key_revokes_its_credential(sim, api, spec):
    with requests.Session() as app:
        app.auth = APP_AUTH
        assert app.get(env_url(sim)).status_code == 200
        resp = api.delete(key_url(sim, APP_AUTH[0]))
        assert resp.status_code == 204 and resp.content == b""
        spec(resp)
        assert sim.api_key_ids(owner="sa-app") == ["APPKAFKA"]
        assert_org_error(api.get(key_url(sim, APP_AUTH[0])), 404, "resource_not_found", "Not Found")
        for url in (env_url(sim), cluster_url(sim) + "?environment=" + ENV, sa_url(sim), key_url(sim)):
            denied = app.get(url)
            assert_org_error(denied, 401, "user_unauthenticated", "Authentication Required")
            spec(denied)
        assert_connect_error(app.get(conn_url(sim)), 401, "Unauthorized")
    assert [(e["key"], e["status"]) for e in sim.log()[-5:]] == [(APP_AUTH[0], 401)] * 5
    assert "sa-app" in sim.service_account_ids()
    assert api.get(env_url(sim)).status_code == 200
    keys = {k["id"]: k for k in control(sim, "GET", "state").json()["api_keys"]}
    assert APP_AUTH[0] not in keys and keys[CI_AUTH[0]]["credential"] is True
    assert_org_error(api.delete(key_url(sim, APP_AUTH[0])), 404, "resource_not_found", "Not Found")


def test_api_key_can_delete_itself(sim, spec):
    resp = requests.delete(key_url(sim, CI_AUTH[0]), auth=CI_AUTH)
    assert resp.status_code == 204
    spec(resp)
    assert_org_error(requests.get(key_url(sim), auth=CI_AUTH), 401, "user_unauthenticated", "Authentication Required")
    assert CI_AUTH[0] not in sim.api_key_ids() and "sa-ci" in sim.service_account_ids()


def test_deleting_a_user_key_or_cluster_leaves_the_rest(sim, api, spec):
    assert api.delete(key_url(sim, "USERKEY")).status_code == 204
    assert sim.api_key_ids(owner="u-alice") == ["ORPHAN"]
    assert sim.service_account_ids() == ["sa-app", "sa-ci", "sa-idle"]
    control(sim, "POST", "config", {"delete_delay": 0})
    assert api.delete(cluster_url(sim, CLUSTER), params={"environment": ENV}).status_code == 204
    kept = api.get(key_url(sim, "APPKAFKA"))
    spec(kept)
    assert kept.json()["spec"]["resource"]["environment"] == ENV


def test_iam_methods_not_allowed(sim, api):
    for url, allowed in ((sa_url(sim), "GET"), (sa_url(sim, "sa-app"), "GET, DELETE"), (key_url(sim), "GET"),
                         (key_url(sim, "APPKAFKA"), "GET, DELETE")):
        resp = api.put(url, json={})
        assert_org_error(resp, 405, "method_not_allowed", "Method Not Allowed")
        assert resp.headers["Allow"] == allowed
    assert sim.service_account_ids() == ["sa-app", "sa-ci", "sa-idle"]


def test_iam_state(sim):
    state = control(sim, "GET", "state").json()
    accounts = {sa["id"]: sa for sa in state["service_accounts"]}
    assert list(accounts) == ["sa-app", "sa-ci", "sa-idle"]
    assert accounts["sa-app"]["api_keys"] == [APP_AUTH[0], "APPKAFKA"] and accounts["sa-idle"]["api_keys"] == []
    assert (accounts["sa-idle"]["display_name"], accounts["sa-app"]["description"]) == (
        "idle, old", "runs the orders pipeline")
    keys = {k["id"]: k for k in state["api_keys"]}
    assert {k: (v["owner"], v["resource"], v["credential"]) for k, v in keys.items()} == {
        APP_AUTH[0]: ("sa-app", "cloud", True), "APPKAFKA": ("sa-app", CLUSTER, False),
        CI_AUTH[0]: ("sa-ci", "cloud", True), "USERKEY": ("u-alice", "lkc-777", False),
        "ORPHAN": ("u-alice", "lkc-unseeded", False)}
    assert parse_time(keys[CI_AUTH[0]]["created_at"]).hour == 8
    assert APP_AUTH[1] not in json.dumps(state) and CI_AUTH[1] not in json.dumps(state)


@pytest.mark.parametrize("change,match", [
    ({"service_accounts": [{"id": "app"}]}, "sa-"),
    ({"service_accounts": [{"id": "sa-1"}, {"id": "sa-1"}]}, "duplicate service account"),
    ({"service_accounts": [{"id": "sa-1", "description": 5}]}, "sa-1"),
    ({"service_accounts": [{"id": "sa-1", "age": "old"}]}, "sa-1"),
    ({"service_accounts": {"id": "sa-1"}}, "must be a list"),
    ({"api_keys": [{"id": "K", "owner": "team-1"}]}, "owner"),
    ({"api_keys": [{"id": "K", "owner": "sa-unknown"}]}, "not a seeded service account"),
    ({"api_keys": [{"id": "K", "owner": "u-1", "resource": "lsrc-1"}]}, "resource"),
    ({"api_keys": [{"id": "K", "owner": "u-1"}, {"id": "K", "owner": "u-2"}]}, "duplicate API key"),
    ({"api_keys": [{"id": "K", "owner": "u-1", "created_at": "2024-05-01"}]}, "RFC 3339"),
    ({"api_keys": [{"owner": "u-1"}]}, "id"),
])
def test_bad_iam_seed_is_rejected(change, match):
    with pytest.raises(confluent_sim.SeedError, match=match):
        confluent_sim.Simulator(dict({"service_accounts": [], "api_keys": []}, **change))


# --------------------------------------------------------------------------- IAM: rate limit, faults, log


def test_iam_routes_share_the_rate_limit_and_the_log(sim, api, spec):
    control(sim, "POST", "config", {"rate_limit": {"limit": 3, "window": 30}})
    sim.clear_log()
    assert api.get(sa_url(sim)).status_code == 200
    assert api.get(cluster_url(sim), params={"environment": ENV}).status_code == 200
    last = api.get(key_url(sim, "APPKAFKA"))
    assert last.status_code == 200 and last.headers["X-RateLimit-Remaining"] == "0"
    spec(last)
    for method, url in (("DELETE", sa_url(sim, "sa-app")), ("DELETE", key_url(sim, "USERKEY")),
                        ("GET", key_url(sim))):
        limited = api.request(method, url)
        assert_org_error(limited, 429, "too_many_requests", "Too Many Requests")
        assert int(limited.headers["Retry-After"]) >= 1 and limited.headers["X-RateLimit-Limit"] == "3"
        spec(limited)
    assert sim.service_account_ids() == ["sa-app", "sa-ci", "sa-idle"] and "USERKEY" in sim.api_key_ids()
    assert requests.get(sa_url(sim), auth=AUTH2).status_code == 200
    assert [(e["method"], urlsplit(e["path"]).path, e["key"], e["status"]) for e in sim.log()] == [
        ("GET", "/iam/v2/service-accounts", "KEY1", 200), ("GET", "/cmk/v2/clusters", "KEY1", 200),
        ("GET", "/iam/v2/api-keys/APPKAFKA", "KEY1", 200), ("DELETE", "/iam/v2/service-accounts/sa-app", "KEY1", 429),
        ("DELETE", "/iam/v2/api-keys/USERKEY", "KEY1", 429), ("GET", "/iam/v2/api-keys", "KEY1", 429),
        ("GET", "/iam/v2/service-accounts", "KEY2", 200)]


def test_iam_routes_take_faults(sim, api):
    control(sim, "POST", "faults", [
        {"method": "GET", "path": "^/iam/v2/api-keys", "action": "respond", "status": 500,
         "body": {"errors": [{"status": "500", "detail": "boom"}]}, "count": 2},
        {"method": "DELETE", "path": "service-accounts/sa-app$", "action": "apply_then_drop"},
        {"method": "DELETE", "path": "service-accounts/sa-ci$", "action": "drop"},
    ])
    assert [api.get(key_url(sim)).status_code for dummy in range(3)] == [500, 500, 200]
    with pytest.raises(requests.exceptions.ConnectionError):
        api.delete(sa_url(sim, "sa-app"))
    assert "sa-app" not in sim.service_account_ids() and sim.api_key_ids(owner="sa-app") == []
    with pytest.raises(requests.exceptions.ConnectionError):
        api.delete(sa_url(sim, "sa-ci"))
    assert "sa-ci" in sim.service_account_ids() and sim.api_key_ids(owner="sa-ci") == [CI_AUTH[0]]
    assert [(e["fault"], e["status"], e.get("effect_status")) for e in sim.log()[-3:]] == [
        (None, 200, None), ("apply_then_drop", None, 204), ("drop", None, None)]


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


def test_validator_rejects_off_spec_iam_answers(sim, api, spec):
    sa = api.get(sa_url(sim, "sa-app")).json()
    key = api.get(key_url(sim, "APPKAFKA")).json()
    nameless = {k: v for k, v in sa.items() if k != "display_name"}
    ownerless = dict(key, spec={k: v for k, v in key["spec"].items() if k != "owner"})
    bad_time = dict(key, metadata=dict(key["metadata"], created_at="7 hours ago"))
    control(sim, "POST", "faults", [
        {"method": "GET", "path": "service-accounts/sa-app$", "action": "respond", "status": 200, "body": nameless},
        {"method": "GET", "path": "service-accounts$", "action": "respond", "status": 200,
         "body": {"api_version": "iam/v2", "kind": "ServiceAccountList", "metadata": {}, "data": [nameless]}},
        {"method": "GET", "path": "api-keys/APPKAFKA$", "action": "respond", "status": 200, "body": ownerless},
        {"method": "GET", "path": "api-keys/APPKAFKA$", "action": "respond", "status": 200, "body": bad_time},
        {"method": "DELETE", "path": "api-keys/APPKAFKA$", "action": "respond", "status": 200, "body": {}},
    ])
    for url in (sa_url(sim, "sa-app"), sa_url(sim), key_url(sim, "APPKAFKA"), key_url(sim, "APPKAFKA")):
        with pytest.raises(Exception):
            spec(api.get(url))
    with pytest.raises(AssertionError, match="not documented"):
        spec(api.delete(key_url(sim, "APPKAFKA")))
    spec.validate_schema("iam", "iam.v2.ServiceAccount", sa)
    spec.validate_schema("apikeys", "iam.v2.ApiKey", key)

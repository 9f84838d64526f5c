"""Tests of the simulator's service accounts (iam/v2) and API keys (iam/v2 api-keys).

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
from familytest import (APP_AUTH, CI_AUTH, MAY_FIRST_NOON, SEVEN_HOURS, cmk_seed, delete_connectors, fetched,
                        listed_ids, now_utc, walk_pages)
from simtest import (AUTH2, CLUSTER, ENV, assert_connect_error, assert_org_error, cluster_url, conn_url, control,
                     env_url, key_url, parse_time, requests, sa_url)


@pytest.fixture
def sim_seed():
    return cmk_seed()


# --------------------------------------------------------------------------- service accounts


def test_get_service_account_shape(sim, api, spec):
    body = fetched(api, spec, sa_url(sim, "sa-app"), "/iam/v2/service-accounts/{id}", "iam/v2", "ServiceAccount")
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

    def check(body):
        assert body["metadata"]["total_size"] == 23

    seen, pages = walk_pages(api, spec, sa_url(sim) + "?page_size=10", check)
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
    body = fetched(api, spec, key_url(sim, "APPKAFKA"), "/iam/v2/api-keys/{id}", "iam/v2", "ApiKey")
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
    seen, pages = walk_pages(api, spec, key_url(sim) + "?page_size=10")
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
    delete_connectors(sim, api, spec)  # else 409: a cluster with connectors cannot be deleted
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

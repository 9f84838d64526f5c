"""Tests of the Confluent Cloud API simulator: org/v2 environments, connect/v1 connectors, auth,
rate limit, faults, the control API, seeds, the command line and TLS.

Fixtures are in conftest.py; seeds, URL helpers and the OpenAPI validator in simtest.py.
"""

from __future__ import annotations

import base64
import datetime
import http.client
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import quote, urlsplit

import pytest

import confluent_sim  # conftest.py puts this folder on sys.path
from simtest import (AUTH, AUTH2, CLUSTER, ENV, HERE, ODD_NAMES, PENDING_DELETE_DELAY, TOKEN, assert_connect_error,
                     assert_org_error, base_seed, basic_header, conn_url, control, env_url, parse_time, requests,
                     wait_for, yaml)


# --------------------------------------------------------------------------- environments


def test_list_paginates_across_pages_in_stable_order(sim, api, spec):
    ids = ["env-%03d" % i for i in range(23)]
    seed = base_seed()
    seed["environments"] = [{"id": i, "display_name": "n-" + i} for i in ids]
    sim.load_seed(seed)

    seen, pages, url = [], 0, env_url(sim) + "?page_size=10"
    while url:
        resp = api.get(url)
        assert resp.status_code == 200
        spec(resp)
        body = resp.json()
        assert body["api_version"] == "org/v2" and body["kind"] == "EnvironmentList"
        assert body["metadata"]["total_size"] == 23
        assert body["metadata"]["first"] == env_url(sim) + "?page_size=10"
        seen += [e["id"] for e in body["data"]]
        pages += 1
        url = body["metadata"].get("next")
        if url:
            assert url.startswith(env_url(sim) + "?") and "page_token=" in url
    assert pages == 3
    assert seen == ids

    default = api.get(env_url(sim))
    spec(default)
    assert [e["id"] for e in default.json()["data"]] == ids[:10]
    everything = api.get(env_url(sim), params={"page_size": 100})
    spec(everything)
    assert [e["id"] for e in everything.json()["data"]] == ids
    assert not everything.json()["metadata"].get("next")


def test_pagination_survives_deletion_between_pages(sim, api):
    seed = base_seed()
    seed["delete_delay"] = 0
    seed["environments"] = [{"id": "env-%d" % i} for i in range(6)]
    sim.load_seed(seed)
    first = api.get(env_url(sim), params={"page_size": 3}).json()
    assert [e["id"] for e in first["data"]] == ["env-0", "env-1", "env-2"]
    assert api.delete(env_url(sim, "env-1")).status_code == 204
    second = api.get(first["metadata"]["next"]).json()
    assert [e["id"] for e in second["data"]] == ["env-3", "env-4", "env-5"]
    assert second["metadata"]["total_size"] == 5


@pytest.mark.parametrize("value", ["0", "101", "-1", "abc", "1.5", "", "1e2"])
def test_page_size_validation(sim, api, spec, value):
    resp = api.get(env_url(sim), params={"page_size": value})
    err = assert_org_error(resp, 400, "invalid_parameter", "Invalid Parameter")
    assert err["source"] == {"parameter": "page_size"}
    assert "X-Request-Id" in resp.headers
    spec(resp)


@pytest.mark.parametrize("token", ["garbage!", "x" * 300, base64.urlsafe_b64encode(b"other:1").decode()])
def test_invalid_page_token(sim, api, spec, token):
    resp = api.get(env_url(sim), params={"page_token": token})
    err = assert_org_error(resp, 400, "invalid_parameter", "Invalid Parameter")
    assert err["source"] == {"parameter": "page_token"}


def test_get_environment_shape(sim, api, spec):
    resp = api.get(env_url(sim, ENV))
    assert resp.status_code == 200
    assert spec(resp) == "/org/v2/environments/{id}"
    body = resp.json()
    assert body["api_version"] == "org/v2" and body["kind"] == "Environment"
    assert body["id"] == ENV and body["display_name"] == "staging"
    assert body["stream_governance_config"] == {"package": "ESSENTIALS"}
    meta = body["metadata"]
    assert meta["self"] == env_url(sim, ENV)
    assert re.fullmatch(r"crn://confluent\.cloud/organization=[^/]+/environment=" + ENV, meta["resource_name"])
    assert meta["created_at"] and meta["updated_at"]
    assert "deleted_at" not in meta
    spec.validate_schema("org", "org.v2.Environment", body)


def test_environment_created_at_from_seed_age_or_now(sim, api, spec):
    seed = base_seed()
    seed["environments"] = [{"id": "env-old", "age": 7 * 3600},
                            {"id": "env-dated", "created_at": "2024-05-01T12:00:00Z"}, {"id": "env-new"}]
    before = datetime.datetime.now(datetime.timezone.utc)
    sim.load_seed(seed)
    after = datetime.datetime.now(datetime.timezone.utc)
    listed = api.get(env_url(sim))
    spec(listed)
    created = {e["id"]: e["metadata"]["created_at"] for e in listed.json()["data"]}
    old = parse_time(created["env-old"])
    assert before - datetime.timedelta(hours=7, seconds=1) <= old <= after - datetime.timedelta(hours=7)
    assert parse_time(created["env-dated"]) == datetime.datetime(2024, 5, 1, 12, tzinfo=datetime.timezone.utc)
    assert before - datetime.timedelta(seconds=1) <= parse_time(created["env-new"]) <= after
    single = api.get(env_url(sim, "env-old")).json()["metadata"]
    assert single["created_at"] == created["env-old"] and single["updated_at"] == single["created_at"]


@pytest.mark.parametrize("entry", [
    {"age": 10, "created_at": "2024-05-01T12:00:00Z"},
    {"age": -1}, {"age": "7h"}, {"age": True},
    {"created_at": "yesterday"}, {"created_at": "2024-13-01T00:00:00Z"}, {"created_at": "2024-05-01 12:00:00"},
    {"created_at": 1714564800}, {"updated_at": "soon"},
])
def test_bad_created_at_or_age_is_rejected(entry):
    seed = {"environments": [dict(entry, id="env-x")]}
    with pytest.raises(confluent_sim.SeedError, match="env-x"):
        confluent_sim.Simulator(seed)


def test_unknown_environment_is_404(sim, api, spec):
    for method in ("GET", "DELETE"):
        resp = api.request(method, env_url(sim, "env-missing"))
        err = assert_org_error(resp, 404, "resource_not_found", "Not Found")
        assert err["id"] == resp.headers["X-Request-Id"]
        spec(resp)


def test_delete_environment_is_asynchronous(sim, api, spec):
    resp = api.delete(env_url(sim, ENV))
    assert resp.status_code == 204 and resp.content == b""
    assert "Content-Length" not in resp.headers and "X-Request-Id" in resp.headers
    spec(resp)

    still = api.get(env_url(sim, ENV))
    assert still.status_code == 200
    spec(still)
    assert still.json()["metadata"]["deleted_at"]
    assert ENV in [e["id"] for e in api.get(env_url(sim)).json()["data"]]
    assert api.get(conn_url(sim)).status_code == 200
    again = api.delete(env_url(sim, ENV))
    assert again.status_code == 204
    state = control(sim, "GET", "state").json()
    env_state = [e for e in state["environments"] if e["id"] == ENV][0]
    assert env_state["deleting"] is True and 0 < env_state["gone_in"] <= PENDING_DELETE_DELAY
    assert sim.is_deleting(ENV)

    # The pending window is long; move the simulator's clock past it instead of waiting.
    advanced = control(sim, "POST", "clock", {"advance": PENDING_DELETE_DELAY})
    assert advanced.status_code == 200 and advanced.json()["offset"] == PENDING_DELETE_DELAY
    assert ENV not in sim.environment_ids()
    gone = api.get(env_url(sim, ENV))
    assert_org_error(gone, 404, "resource_not_found", "Not Found")
    listed = api.get(env_url(sim)).json()
    assert ENV not in [e["id"] for e in listed["data"]] and listed["metadata"]["total_size"] == 1
    assert_connect_error(api.get(conn_url(sim)), 404)
    assert_connect_error(api.get(conn_url(sim, name="orders-sink")), 404)
    assert sim.connector_names(ENV, CLUSTER) is None
    assert sim.connector_names("env-other", "lkc-777") == ["keep-me"]
    assert_org_error(api.delete(env_url(sim, ENV)), 404, "resource_not_found", "Not Found")


def test_pending_deletion_ends_after_delete_delay_in_real_time(sim, api):
    control(sim, "POST", "config", {"delete_delay": 0.5})
    started = time.monotonic()
    assert api.delete(env_url(sim, "env-other")).status_code == 204
    assert wait_for(lambda: "env-other" not in sim.environment_ids(), timeout=15)
    # Never earlier than the delay: the lower bound holds however slow the machine is.
    assert time.monotonic() - started >= 0.45
    assert api.get(env_url(sim, "env-other")).status_code == 404


def test_clock_control(sim, api):
    before = control(sim, "GET", "clock").json()
    assert before["offset"] == 0
    assert api.delete(env_url(sim, "env-other")).status_code == 204
    assert control(sim, "POST", "clock", {"advance": PENDING_DELETE_DELAY - 5}).json()["offset"] == \
        PENDING_DELETE_DELAY - 5
    assert sim.is_deleting("env-other")
    assert sim.advance_clock(5)["offset"] == PENDING_DELETE_DELAY
    assert "env-other" not in sim.environment_ids()
    assert control(sim, "GET", "state").json()["clock_offset"] == PENDING_DELETE_DELAY
    moved = parse_time(control(sim, "GET", "clock").json()["now"]) - parse_time(before["now"])
    assert PENDING_DELETE_DELAY <= moved.total_seconds() < PENDING_DELETE_DELAY + 10
    for bad in ({"advance": -1}, {"advance": "soon"}, {}, {"advance": 1, "other": 2}):
        assert control(sim, "POST", "clock", bad).status_code == 400
    sim.load_seed(base_seed())
    assert control(sim, "GET", "clock").json()["offset"] == 0


def test_zero_delete_delay_removes_at_once(sim, api):
    control(sim, "POST", "config", {"delete_delay": 0})
    assert api.delete(env_url(sim, "env-other")).status_code == 204
    assert api.get(env_url(sim, "env-other")).status_code == 404


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


# --------------------------------------------------------------------------- auth


@pytest.mark.parametrize("authorization,challenge,logged", [
    (None, 'Basic realm="Confluent Cloud"', ("none", None)),
    (basic_header("KEY1", "wrong"), 'error="invalid_key"', ("basic", "KEY1")),
    (basic_header("NOPE", "SECRET1"), 'error="invalid_key"', ("basic", "NOPE")),
    ("Basic !!!notbase64", 'error="invalid_request"', ("basic", None)),
    ("Bearer not-the-token", 'Bearer realm="Confluent Cloud", error="invalid_token"', ("bearer", "token")),
    ("Digest abc", 'Basic realm="Confluent Cloud"', ("none", None)),
])
def test_auth_failures_in_both_shapes(sim, spec, authorization, challenge, logged):
    headers = {} if authorization is None else {"Authorization": authorization}
    org = requests.get(env_url(sim), headers=headers)
    err = assert_org_error(org, 401, "user_unauthenticated", "Authentication Required")
    assert err["detail"] == "Valid authentication credentials must be provided"
    assert org.headers["WWW-Authenticate"]
    spec(org)
    org_delete = requests.delete(env_url(sim, ENV), headers=headers)
    assert org_delete.status_code == 401
    spec(org_delete)
    conn = requests.delete(conn_url(sim, name="orders-sink"), headers=headers)
    assert_connect_error(conn, 401, "Unauthorized")
    assert conn.json() == {"error": {"code": 401, "message": "Unauthorized"}}
    assert conn.headers["WWW-Authenticate"]
    spec(conn)
    assert ENV in sim.environment_ids() and not sim.is_deleting(ENV)
    assert "orders-sink" in sim.connector_names(ENV, CLUSTER)
    assert challenge in org.headers["WWW-Authenticate"]
    assert conn.headers["WWW-Authenticate"] == org.headers["WWW-Authenticate"]
    log = sim.log()
    assert [(e["status"], e["auth"], e["key"]) for e in log] == [(401,) + logged] * 3
    assert "wrong" not in json.dumps(log) and "SECRET1" not in json.dumps(log)


def test_bearer_token_and_second_key_work(sim, spec):
    resp = requests.get(env_url(sim), headers={"Authorization": "Bearer " + TOKEN})
    assert resp.status_code == 200
    spec(resp)
    assert requests.get(conn_url(sim), auth=AUTH2).status_code == 200
    log = control(sim, "GET", "log").json()
    assert [(e["auth"], e["key"]) for e in log] == [("bearer", "token"), ("basic", "KEY2")]
    assert TOKEN not in json.dumps(log) and AUTH2[1] not in json.dumps(log)


def test_auth_is_optional_without_credentials(sim):
    seed = base_seed()
    del seed["credentials"]
    sim.load_seed(seed)
    assert requests.get(env_url(sim)).status_code == 200


# --------------------------------------------------------------------------- rate limit


def test_rate_limit_headers_and_429(sim, api, spec):
    assert control(sim, "POST", "config", {"rate_limit": {"limit": 3, "window": 2}}).status_code == 200
    remaining = []
    for dummy in range(3):
        resp = api.get(env_url(sim))
        assert resp.status_code == 200
        spec(resp)
        assert resp.headers["X-RateLimit-Limit"] == "3"
        assert 1 <= int(resp.headers["X-RateLimit-Reset"]) <= 2
        remaining.append(int(resp.headers["X-RateLimit-Remaining"]))
    assert remaining == [2, 1, 0]

    limited = api.get(env_url(sim))
    err = assert_org_error(limited, 429, "too_many_requests", "Too Many Requests")
    assert err["id"] == limited.headers["X-Request-Id"]
    assert 1 <= int(limited.headers["Retry-After"]) <= 2
    assert limited.headers["Retry-After"] == limited.headers["X-RateLimit-Reset"]
    assert limited.headers["X-RateLimit-Limit"] == "3"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert int(limited.headers["X-RateLimit-Reset"]) >= 1
    spec(limited)

    deleted = api.delete(env_url(sim, ENV))
    assert deleted.status_code == 429
    spec(deleted)
    conn = api.delete(conn_url(sim, name="orders-sink"))
    assert conn.json() == {"error": {"code": 429, "message": "Too Many Requests"}}
    assert int(conn.headers["Retry-After"]) >= 1 and "X-RateLimit-Reset" in conn.headers
    spec(conn)
    assert not sim.is_deleting(ENV) and "orders-sink" in sim.connector_names(ENV, CLUSTER)

    other = requests.get(env_url(sim), auth=AUTH2)
    assert other.status_code == 200 and other.headers["X-RateLimit-Remaining"] == "2"

    time.sleep(int(limited.headers["Retry-After"]) + 0.05)
    again = api.get(env_url(sim))
    assert again.status_code == 200 and again.headers["X-RateLimit-Remaining"] == "2"


def test_rate_limit_from_seed_and_no_headers_when_unlimited(sim, api):
    resp = api.get(env_url(sim))
    assert "X-RateLimit-Limit" not in resp.headers
    seed = base_seed()
    seed["rate_limit"] = {"limit": 1, "window": 5}
    sim.load_seed(seed)
    assert api.get(env_url(sim)).status_code == 200
    limited = api.get(env_url(sim))
    assert limited.status_code == 429 and 4 <= int(limited.headers["Retry-After"]) <= 5
    sim.load_seed(seed)
    assert api.get(env_url(sim)).status_code == 200


# --------------------------------------------------------------------------- faults


def test_fault_respond_html_502_bypasses_auth_and_is_used_up(sim, spec):
    fault = {"method": "GET", "path": r"^/org/v2/environments$", "action": "respond", "status": 502,
             "body": "<html><body><h1>502 Bad Gateway</h1></body></html>",
             "headers": {"Content-Type": "text/html"}, "count": 2}
    added = control(sim, "POST", "faults", fault)
    assert added.status_code == 200 and added.json()["faults"][0]["action"] == "respond"
    for dummy in range(2):
        resp = requests.get(env_url(sim))
        assert resp.status_code == 502 and resp.headers["Content-Type"] == "text/html"
        assert resp.text.startswith("<html>") and "X-Request-Id" in resp.headers
    assert requests.get(env_url(sim)).status_code == 401
    assert requests.get(env_url(sim), auth=AUTH).status_code == 200
    assert control(sim, "GET", "state").json()["faults"] == []
    log = control(sim, "GET", "log").json()
    assert [(e["status"], e["fault"]) for e in log] == [(502, "respond"), (502, "respond"), (401, None), (200, None)]


def test_fault_respond_variants(sim, api):
    control(sim, "POST", "faults", [
        {"method": "DELETE", "path": "/environments/", "action": "respond", "status": 503},
        {"path": "connectors/orders-sink$", "action": "respond", "status": 500, "body": '{"error": {"code": 50',
         "content_type": "application/json"},
        {"path": "lkc-empty", "action": "respond", "status": 500,
         "body": {"error": {"code": 500, "message": "Oops, something went wrong"}}},
        {"path": "env-other$", "action": "respond", "status": 200, "body": {"id": "x"},
         "headers": {"X-Request-Id": None}},
    ])
    empty = api.delete(env_url(sim, ENV))
    assert empty.status_code == 503 and empty.content == b"" and empty.headers["Content-Length"] == "0"
    assert not sim.is_deleting(ENV)
    truncated = api.get(conn_url(sim, name="orders-sink"))
    assert truncated.status_code == 500 and truncated.headers["Content-Type"] == "application/json"
    with pytest.raises(ValueError):
        truncated.json()
    js = api.get(conn_url(sim, cluster="lkc-empty"))
    assert js.json() == {"error": {"code": 500, "message": "Oops, something went wrong"}}
    no_id = api.get(env_url(sim, "env-other"))
    assert no_id.json() == {"id": "x"} and "X-Request-Id" not in no_id.headers
    assert api.get(env_url(sim, "env-other")).status_code == 200


def test_fault_respond_short_body_breaks_the_read(sim, api):
    control(sim, "POST", "faults", {"path": "environments$", "action": "respond", "status": 200,
                                    "body": '{"data": [', "content_length": 500})
    with pytest.raises(requests.exceptions.RequestException):
        api.get(env_url(sim))
    assert api.get(env_url(sim)).status_code == 200


def test_fault_count_forever_skip_and_method_filter(sim, api):
    control(sim, "POST", "faults", [
        {"method": ["DELETE"], "path": "orders-sink", "action": "respond", "status": 500, "count": -1, "skip": 1},
        {"method": "GET", "path": "users-source", "action": "respond", "status": 418, "body": "teapot"},
    ])
    assert api.get(conn_url(sim, name="orders-sink")).status_code == 200
    assert api.delete(conn_url(sim, name="users-source")).status_code == 200
    assert api.delete(conn_url(sim, name="orders-sink")).status_code == 200
    assert [api.delete(conn_url(sim, name="orders-sink")).status_code for dummy in range(3)] == [500, 500, 500]
    teapot = api.get(conn_url(sim, name="users-source"))
    assert teapot.status_code == 418 and teapot.text == "teapot"
    assert teapot.headers["Content-Type"].startswith("text/plain")
    faults = control(sim, "GET", "faults").json()
    assert len(faults) == 1 and faults[0]["count"] == -1 and faults[0]["hits"] == 3
    assert control(sim, "DELETE", "faults").status_code == 200
    assert_connect_error(api.delete(conn_url(sim, name="orders-sink")), 404)


def test_fault_skip_lets_first_requests_through(sim, api):
    control(sim, "POST", "faults", {"method": "GET", "path": "environments$", "action": "respond",
                                    "status": 500, "skip": 2, "count": 1})
    assert [api.get(env_url(sim)).status_code for dummy in range(4)] == [200, 200, 500, 200]


def test_fault_hang_then_answer(sim, api):
    control(sim, "POST", "faults", {"method": "DELETE", "path": "orders-sink", "action": "hang", "seconds": 0.4})
    started = time.monotonic()
    resp = api.delete(conn_url(sim, name="orders-sink"))
    assert time.monotonic() - started >= 0.38
    assert resp.status_code == 200 and resp.json() == {"error": None}
    assert "orders-sink" not in sim.connector_names(ENV, CLUSTER)
    entry = control(sim, "GET", "log").json()[-1]
    assert entry["fault"] == "hang" and entry["duration"] >= 0.38


def test_fault_hang_makes_client_time_out(sim, api):
    control(sim, "POST", "faults", {"path": "environments$", "action": "hang", "seconds": 0.6, "then": "drop"})
    with pytest.raises(requests.exceptions.Timeout):
        api.get(env_url(sim), timeout=0.2)
    assert wait_for(lambda: len(sim.log()) == 1, timeout=2)
    assert sim.log()[0]["status"] is None and sim.log()[0]["fault"] == "hang"
    assert api.get(env_url(sim)).status_code == 200


def test_fault_drop_closes_without_response_or_effect(sim, api):
    assert api.get(env_url(sim)).status_code == 200
    control(sim, "POST", "faults", {"method": "DELETE", "path": "/org/v2/environments/", "action": "drop"})
    with pytest.raises(requests.exceptions.ConnectionError):
        api.delete(env_url(sim, ENV))
    assert not sim.is_deleting(ENV)
    entry = sim.log()[-1]
    assert entry["status"] is None and entry["fault"] == "drop" and entry["method"] == "DELETE"
    assert api.delete(env_url(sim, ENV)).status_code == 204


def test_fault_apply_then_drop_performs_the_effect(sim, api):
    control(sim, "POST", "faults", [
        {"method": "DELETE", "path": "connectors/orders-sink$", "action": "apply_then_drop"},
        {"method": "DELETE", "path": "environments/env-other$", "action": "apply_then_drop"},
    ])
    with pytest.raises(requests.exceptions.ConnectionError):
        api.delete(conn_url(sim, name="orders-sink"))
    assert "orders-sink" not in sim.connector_names(ENV, CLUSTER)
    with pytest.raises(requests.exceptions.ConnectionError):
        api.delete(env_url(sim, "env-other"))
    assert sim.is_deleting("env-other")
    log = sim.log()
    assert [(e["fault"], e["status"], e["effect_status"]) for e in log] == [
        ("apply_then_drop", None, 200), ("apply_then_drop", None, 204)]
    assert_connect_error(api.delete(conn_url(sim, name="orders-sink")), 404)


def test_apply_then_drop_respects_auth(sim):
    control(sim, "POST", "faults", {"path": "orders-sink", "action": "apply_then_drop"})
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.delete(conn_url(sim, name="orders-sink"), auth=("KEY1", "bad"))
    assert "orders-sink" in sim.connector_names(ENV, CLUSTER)
    assert sim.log()[-1]["effect_status"] == 401


@pytest.mark.parametrize("bad", [
    {"action": "explode"},
    {"action": "respond", "path": "("},
    {"action": "respond", "count": 0},
    {"action": "respond", "status": 99},
    {"action": "hang", "seconds": -1},
    [{"action": "drop"}, {"action": "nope"}],
    {"action": "drop", "times": 3},
    {"action": "respond", "headers": {"X-Bad": "line\nbreak"}},
])
def test_invalid_faults_are_rejected(sim, bad):
    resp = control(sim, "POST", "faults", bad)
    assert resp.status_code == 400 and resp.json()["error"]
    assert control(sim, "GET", "state").json()["faults"] == []


# --------------------------------------------------------------------------- HTTP behaviour


def test_keep_alive_and_lengths_on_one_connection(sim):
    conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
    auth = {"Authorization": basic_header(*AUTH)}
    try:
        conn.request("GET", "/org/v2/environments", headers=auth)
        first = conn.getresponse()
        body = first.read()
        assert first.status == 200 and int(first.getheader("Content-Length")) == len(body)
        sock = conn.sock
        for method, path, status in [
            ("DELETE", "/org/v2/environments/env-other", 204),
            ("GET", "/org/v2/environments/none", 404),
            ("GET", "/connect/v1/environments/%s/clusters/%s/connectors/x" % (ENV, CLUSTER), 404),
            ("DELETE", "/connect/v1/environments/%s/clusters/%s/connectors/orders-sink" % (ENV, CLUSTER), 200),
            ("GET", "/_sim/state", 200),
        ]:
            conn.request(method, path, headers=auth)
            resp = conn.getresponse()
            data = resp.read()
            assert resp.status == status
            if status == 204:
                assert data == b"" and resp.getheader("Content-Length") is None
            else:
                assert int(resp.getheader("Content-Length")) == len(data)
            assert conn.sock is sock, "connection was not kept alive"
    finally:
        conn.close()


def test_request_ids_are_unique(sim, api):
    ids = {api.get(env_url(sim)).headers["X-Request-Id"] for dummy in range(20)}
    ids.add(requests.get(env_url(sim)).headers["X-Request-Id"])
    ids.add(control(sim, "GET", "state").headers["X-Request-Id"])
    assert len(ids) == 22


def test_unknown_paths_and_methods(sim, api, spec):
    for path in ("/org/v2/nothing", "/v1/whatever", "/connect/v1/environments/%s/clusters/%s" % (ENV, CLUSTER)):
        assert_org_error(api.get(sim.url + path), 404, "resource_not_found", "Not Found")
    not_allowed = api.post(env_url(sim, ENV), json={})
    err = assert_org_error(not_allowed, 405, "method_not_allowed", "Method Not Allowed")
    assert "DELETE" in not_allowed.headers["Allow"] and err
    assert_connect_error(api.put(conn_url(sim, name="orders-sink"), json={}), 405)


def test_concurrent_deletes_are_consistent(sim):
    seed = base_seed()
    seed["environments"][0]["clusters"][0]["connectors"] = [{"name": "c-%02d" % i} for i in range(40)]
    sim.load_seed(seed)
    results = []

    def worker(names):
        with requests.Session() as session:
            session.auth = AUTH
            for name in names:
                results.append(session.delete(conn_url(sim, name=name)).status_code)

    names = ["c-%02d" % i for i in range(40)]
    threads = [threading.Thread(target=worker, args=(names[i::4] + names[:2],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sorted(results).count(200) == 40
    assert sim.connector_names(ENV, CLUSTER) == []
    assert len(sim.log()) == 48


# --------------------------------------------------------------------------- control API


def test_log_endpoint(sim, api):
    api.headers["User-Agent"] = "sim-test/1.0"
    api.get(env_url(sim, ENV))
    requests.get(env_url(sim), headers={"Authorization": "Bearer " + TOKEN})
    requests.get(env_url(sim))
    control(sim, "GET", "state")
    log = control(sim, "GET", "log").json()
    assert len(log) == 3
    first = log[0]
    assert set(first) >= {"method", "path", "auth", "key", "status", "started", "duration", "user_agent",
                          "request_id"}
    assert (first["method"], first["path"], first["auth"], first["key"], first["status"]) == (
        "GET", "/org/v2/environments/" + ENV, "basic", "KEY1", 200)
    assert first["user_agent"] == "sim-test/1.0"
    assert abs(first["started"] - time.time()) < 10 and first["duration"] >= 0
    assert [(e["auth"], e["key"], e["status"]) for e in log[1:]] == [("bearer", "token", 200), ("none", None, 401)]
    assert "SECRET1" not in json.dumps(log)
    assert len({e["request_id"] for e in log}) == 3
    assert control(sim, "DELETE", "log").status_code == 200
    assert control(sim, "GET", "log").json() == []


def test_state_endpoint(sim, api):
    state = control(sim, "GET", "state").json()
    assert [e["id"] for e in state["environments"]] == [ENV, "env-other"]
    env = state["environments"][0]
    assert env["display_name"] == "staging" and env["deleting"] is False
    assert [c["id"] for c in env["clusters"]] == [CLUSTER, "lkc-empty"]
    names = [c["name"] for c in env["clusters"][0]["connectors"]]
    assert names == ["orders-sink", "users-source"] + ODD_NAMES
    assert state["config"]["rate_limit"] == {"limit": 0, "window": 1.0}
    assert state["config"]["delete_delay"] == PENDING_DELETE_DELAY
    assert "SECRET1" not in json.dumps(state) and TOKEN not in json.dumps(state)
    assert sim.state() == state


def test_config_endpoint(sim):
    resp = control(sim, "POST", "config", {"rate_limit": {"limit": 4, "window": 1}, "delete_delay": 0.5})
    assert resp.status_code == 200
    assert resp.json()["rate_limit"] == {"limit": 4, "window": 1.0} and resp.json()["delete_delay"] == 0.5
    for bad in ({"rate_limit": {"limit": -1}}, {"delete_delay": "soon"}, {"unknown": 1}):
        assert control(sim, "POST", "config", bad).status_code == 400
    assert control(sim, "GET", "config").json()["rate_limit"]["limit"] == 4


def test_seed_endpoint_resets_everything(sim, api):
    control(sim, "POST", "config", {"rate_limit": {"limit": 1, "window": 30}})
    api.get(env_url(sim))
    assert api.get(env_url(sim)).status_code == 429
    control(sim, "POST", "faults", {"action": "drop", "count": -1, "path": "never-matches-anything"})
    new_seed = {"credentials": [{"api_key": "NEW", "api_secret": "S"}],
                "environments": [{"id": "env-new", "display_name": "fresh"}]}
    resp = control(sim, "POST", "seed", new_seed)
    assert resp.status_code == 200
    state = resp.json()
    assert [e["id"] for e in state["environments"]] == ["env-new"]
    assert state["faults"] == [] and state["config"]["rate_limit"]["limit"] == 0
    assert control(sim, "GET", "log").json() == []
    assert requests.get(env_url(sim), auth=("NEW", "S")).json()["data"][0]["display_name"] == "fresh"
    assert api.get(env_url(sim)).status_code == 401
    assert control(sim, "POST", "seed", {"environments": [{"display_name": "no id"}]}).status_code == 400


def test_control_endpoints_unknown_and_unlogged(sim):
    assert control(sim, "GET", "nothing").status_code == 404
    assert control(sim, "PUT", "log").status_code == 405
    assert control(sim, "GET", "health").json() == {"ok": True}
    assert control(sim, "POST", "faults", None).status_code == 400
    resp = requests.post(sim.url + "/_sim/faults", data="{not json", timeout=5)
    assert resp.status_code == 400
    assert sim.log() == []


def test_validator_rejects_off_spec_responses(sim, api, spec):
    bad_env = {"api_version": "org/v2", "kind": "Environment", "id": 5, "display_name": "x"}
    bad_connector = {"name": "orders-sink", "config": {"connector.class": "X"}, "type": "sideways"}
    control(sim, "POST", "faults", [
        {"method": "GET", "path": "env-other$", "action": "respond", "status": 200, "body": bad_env, "count": 2},
        {"method": "GET", "path": "orders-sink$", "action": "respond", "status": 200, "body": bad_connector},
        {"method": "DELETE", "path": "env-other$", "action": "respond", "status": 418, "body": {}},
    ])
    with pytest.raises(Exception):
        spec(api.get(env_url(sim, "env-other")))
    with pytest.raises(Exception):
        spec(api.get(conn_url(sim, name="orders-sink")))
    with pytest.raises(AssertionError, match="not documented"):
        spec(api.delete(env_url(sim, "env-other")))
    with pytest.raises(Exception):
        spec.validate_schema("org", "Failure", {"errors": [{"status": 404}]})
    if spec.core:
        from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

        resp = api.get(env_url(sim, "env-other"))
        with pytest.raises(Exception):
            spec.core["org"].validate_response(RequestsOpenAPIRequest(resp.request), RequestsOpenAPIResponse(resp))


# --------------------------------------------------------------------------- seeds, CLI, TLS


def test_demo_seed_loads():
    seed = confluent_sim.load_seed_file(str(HERE / "seeds" / "demo.json"))
    with confluent_sim.start_simulator(seed) as simulator:
        cred = seed["credentials"][0]
        resp = requests.get(simulator.url + "/org/v2/environments", auth=(cred["api_key"], cred["api_secret"]))
        assert resp.status_code == 200 and resp.json()["data"]


def test_yaml_seed(tmp_path):
    path = tmp_path / "seed.yaml"
    path.write_text(yaml.safe_dump(base_seed(), allow_unicode=True), encoding="utf-8")
    seed = confluent_sim.load_seed_file(str(path))
    assert seed["environments"][0]["id"] == ENV


def test_bad_seed_is_rejected(tmp_path):
    for doc in ({"environments": [{"id": "a"}, {"id": "a"}]},
                {"environments": [{"id": "a", "clusters": [{"id": "c", "connectors": [{"name": "x", "type": "up"}]}]}]},
                {"credentials": [{"api_key": "k"}]},
                {"rate_limit": {"limit": 1, "window": 0}}):
        with pytest.raises(confluent_sim.SeedError):
            confluent_sim.Simulator(doc)
    path = tmp_path / "broken.json"
    path.write_text("[1, 2", encoding="utf-8")
    with pytest.raises(confluent_sim.SeedError):
        confluent_sim.load_seed_file(str(path))


def test_cli_prints_url_serves_and_exits_on_sigterm(tmp_path):
    url_file = tmp_path / "url.txt"
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "confluent_sim.py"), "--port", "0", "--seed", str(HERE / "seeds" / "demo.json"),
         "--delete-delay", "0.1", "--rate-limit", "5", "--rate-window", "2", "--url-file", str(url_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", line), line
        assert wait_for(url_file.exists) and url_file.read_text().strip() == line
        seed = json.loads((HERE / "seeds" / "demo.json").read_text(encoding="utf-8"))
        cred = seed["credentials"][0]
        resp = requests.get(line + "/org/v2/environments", auth=(cred["api_key"], cred["api_secret"]), timeout=5)
        assert resp.status_code == 200 and resp.headers["X-RateLimit-Limit"] == "5"
        config = requests.get(line + "/_sim/config", timeout=5).json()
        assert config["delete_delay"] == 0.1 and config["rate_limit"] == {"limit": 5, "window": 2.0}
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
        assert proc.returncode == 0
        assert out == "" and err == ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_cli_rejects_bad_seed(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"environments": [{"id": 5}]}), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(HERE / "confluent_sim.py"), "--seed", str(path)], check=False,
                          capture_output=True, text=True, timeout=20)
    assert proc.returncode == 2 and proc.stdout == "" and "environment" in proc.stderr


def test_tls(tmp_path):
    openssl = shutil.which("openssl")
    if not openssl:
        pytest.fail("the TLS test needs the openssl command to make a test certificate: install openssl "
                    "(Debian: apt-get install openssl)", pytrace=False)
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        capture_output=True, timeout=60, check=False)
    if made.returncode != 0:
        pytest.fail("openssl could not make a certificate: %s" % made.stderr.decode(errors="replace")[:200],
                    pytrace=False)
    with confluent_sim.start_simulator(base_seed(), tls_cert=str(cert), tls_key=str(key)) as simulator:
        assert simulator.url.startswith("https://127.0.0.1:")
        with requests.Session() as session:
            session.auth = AUTH
            for dummy in range(2):
                resp = session.get(simulator.url + "/org/v2/environments/" + ENV, verify=str(cert), timeout=5)
                assert resp.status_code == 200
                assert resp.json()["metadata"]["self"].startswith("https://")
        # A client that never finishes the handshake does not block other clients.
        idle = socket.create_connection(("127.0.0.1", simulator.port), timeout=5)
        try:
            resp = requests.get(simulator.url + "/_sim/health", verify=str(cert), timeout=5)
            assert resp.json() == {"ok": True}
        finally:
            idle.close()

"""Tests of what the simulator does the same on every route: auth, the rate limit, faults and HTTP behaviour.

The API families have their own modules (test_org, test_connect, test_cmk, test_iam, ...), the control API, seeds,
command line and TLS test_control. Fixtures are in conftest.py; seeds, URL helpers and the OpenAPI validator in
simtest.py.
"""

from __future__ import annotations

import http.client
import json
import threading
import time

import pytest

from simtest import (AUTH, AUTH2, CLUSTER, ENV, TOKEN, assert_connect_error, assert_org_error, base_seed, basic_header,
                     conn_url, control, env_url, requests, wait_for)


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

"""Tests of the simulator's org/v2 environments: paging, shape, created_at, deletion and the clock.

Fixtures are in conftest.py; seeds, URL helpers and the OpenAPI validator in simtest.py.
"""

from __future__ import annotations

import base64
import datetime
import re
import time

import pytest

import confluent_sim  # conftest.py puts this folder on sys.path
from familytest import walk_pages
from simtest import (CLUSTER, ENV, PENDING_DELETE_DELAY, assert_connect_error, assert_org_error, base_seed, conn_url,
                     control, env_url, parse_time, wait_for)


# --------------------------------------------------------------------------- environments


def test_list_paginates_across_pages_in_stable_order(sim, api, spec):
    ids = ["env-%03d" % i for i in range(23)]
    seed = base_seed()
    seed["environments"] = [{"id": i, "display_name": "n-" + i} for i in ids]
    sim.load_seed(seed)

    def check(body):
        assert body["api_version"] == "org/v2" and body["kind"] == "EnvironmentList"
        assert body["metadata"]["total_size"] == 23
        assert body["metadata"]["first"] == env_url(sim) + "?page_size=10"
        url = body["metadata"].get("next")
        if url:
            assert url.startswith(env_url(sim) + "?") and "page_token=" in url

    seen, pages = walk_pages(api, spec, env_url(sim) + "?page_size=10", check)
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

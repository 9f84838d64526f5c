"""Seeds and helpers that the test modules of the API families share (test_org, test_cmk, test_iam, ...).

simtest.py has the base seed, the URL helpers, the assertions and the OpenAPI validator; this module adds the richer
seed of the cmk and iam tests and the walk through a paged list.
"""

from __future__ import annotations

import datetime
from urllib.parse import unquote

from simtest import CLUSTER, ENV, base_seed, cluster_url, conn_url

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


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc)


def walk_pages(api, spec, url, check=None):
    """Follow the ``next`` links from ``url``, each page answered 200 and valid against its document, and
    ``check(body)`` when given; returns the ids of all the pages in order, and how many pages there were."""
    seen, pages = [], 0
    while url:
        resp = api.get(url)
        assert resp.status_code == 200, resp.text
        spec(resp)
        body = resp.json()
        if check is not None:
            check(body)
        seen += [item["id"] for item in body["data"]]
        pages += 1
        url = body["metadata"].get("next")
    return seen, pages


def fetched(api, spec, url, operation, api_version, kind, **params):
    """GET ``url``: 200, answered by the document's ``operation``, a ``kind`` of ``api_version`` whose id is the last
    segment of the URL; returns the body."""
    resp = api.get(url, params=params)
    assert resp.status_code == 200, resp.text
    assert spec(resp) == operation
    body = resp.json()
    assert (body["api_version"], body["kind"], body["id"]) == (api_version, kind, unquote(url.rsplit("/", 1)[1]))
    return body


def listed_ids(sim, api, spec, url, **params):
    resp = api.get(url, params=params)
    assert resp.status_code == 200, resp.text
    spec(resp)
    return [item["id"] for item in resp.json()["data"]]


def clusters_in(sim, api, spec, env_id=ENV, **params):
    resp = api.get(cluster_url(sim), params=dict(params, environment=env_id))
    assert resp.status_code == 200, resp.text
    spec(resp)
    return resp.json()


def delete_connectors(sim, api, spec, env_id=ENV, cluster=CLUSTER):
    """Delete every connector of the Kafka cluster through connect/v1, as a client must before it can delete the
    cluster (the simulator answers 409 to a cluster DELETE while connectors run on it)."""
    for name in sim.connector_names(env_id, cluster):
        resp = api.delete(conn_url(sim, env_id, cluster, name))
        assert resp.status_code == 200, resp.text
        spec(resp)
    assert sim.connector_names(env_id, cluster) == []

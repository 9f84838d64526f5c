"""Tests of the simulator's Kafka REST v3 topics (the data plane of a Kafka cluster).

Kafka REST takes an API key of the path's cluster (or a token), answers errors as ``{"error_code", "message"}`` and a
429 as an HTML page. Every answer that a test looks at is also validated against kafkarest-v3.yaml (see
simtest.SpecValidator).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest

import confluent_sim  # conftest.py puts this folder on sys.path
from simtest import (AUTH, CLUSTER, ENV, ODD_NAMES, PENDING_DELETE_DELAY, TOKEN, assert_connect_error,
                     assert_org_error, base_seed, cluster_url, conn_url, control, env_url, key_url, requests)

KAFKA_AUTH = ("KAFKAKEY", "KAFKA-SECRET")  # an API key of CLUSTER
OTHER_KAFKA_AUTH = ("OTHERKAFKA", "OTHER-SECRET")  # an API key of lkc-777, in env-other
UNSEEDED_KAFKA_AUTH = ("UNSEEDEDKAFKA", "UNSEEDED-SECRET")  # an API key of a cluster that no environment has
CLOUD_AUTH = ("CLOUDKEY", "CLOUD-SECRET")  # a seeded Cloud API key
AUTH_FAILED = {"error_code": 40101, "message": "Authentication failed"}
UNKNOWN_TOPIC = {"error_code": 40403, "message": "This server does not host this topic-partition."}
RATE_HEADERS = ("Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
PAYMENTS = {"name": "payments", "partitions_count": 3, "replication_factor": 2}
METRICS = {"name": "_confluent-metrics", "is_internal": True, "partitions_count": 12}
# The topics of CLUSTER as Kafka REST lists them: sorted by name.
LISTED = ["100%", "_confluent-metrics", "a%2Fb", "a/b", "orders", "payments", "plus+sign", "q?x=1&y#z", "with space",
          "ünïcødé ✓ 名前"]


def kafka_seed():
    """base_seed() with topics in three clusters, the API keys of two clusters and a Cloud API key, all of them
    credentials."""
    seed = base_seed()
    staging, other = seed["environments"]
    staging["clusters"][0]["topics"] = ["orders", PAYMENTS, METRICS] + ODD_NAMES
    staging["clusters"][1]["topics"] = ["audit"]
    other["clusters"][0]["topics"] = ["keep-me"]
    keys = [(KAFKA_AUTH, CLUSTER), (OTHER_KAFKA_AUTH, "lkc-777"), (UNSEEDED_KAFKA_AUTH, "lkc-unseeded"),
            (CLOUD_AUTH, "cloud")]
    seed["credentials"] += [{"api_key": key, "api_secret": secret} for (key, secret), dummy in keys]
    seed["api_keys"] = [{"id": key, "owner": "u-alice", "resource": resource} for (key, dummy), resource in keys]
    return seed


@pytest.fixture
def sim_seed():
    return kafka_seed()


@pytest.fixture
def kafka(sim):
    """A session with the API key of CLUSTER."""
    with requests.Session() as session:
        session.auth = KAFKA_AUTH
        yield session


def topics_url(sim, cluster=CLUSTER, name=None):
    url = "%s/kafka/v3/clusters/%s/topics" % (sim.url, quote(cluster, safe=""))
    return url if name is None else url + "/" + quote(name, safe="")


def assert_kafka_error(resp, status, body):
    assert resp.status_code == status, resp.text
    assert resp.headers["Content-Type"] == "application/json"
    assert resp.json() == body


def cluster_not_found(cluster):
    return {"error_code": 404, "message": "Cluster %s cannot be found." % cluster}


def state_topics(sim, env_index=0, cluster=CLUSTER):
    env = control(sim, "GET", "state").json()["environments"][env_index]
    return [c["topics"] for c in env["clusters"] if c["id"] == cluster][0]


# --------------------------------------------------------------------------- reading


def test_get_topic_shape(sim, kafka, spec):
    resp = kafka.get(topics_url(sim, name="payments"))
    assert resp.status_code == 200, resp.text
    assert spec(resp) == "/kafka/v3/clusters/{cluster_id}/topics/{topic_name}"
    url = topics_url(sim, name="payments")
    assert resp.json() == {
        "kind": "KafkaTopic",
        "metadata": {"self": url, "resource_name": "crn:///kafka=%s/topic=payments" % CLUSTER},
        "cluster_id": CLUSTER, "topic_name": "payments", "is_internal": False, "replication_factor": 2,
        "partitions_count": 3, "partitions": {"related": url + "/partitions"},
        "configs": {"related": url + "/configs"},
        "partition_reassignments": {"related": url + "/partitions/-/reassignments"}}
    spec.validate_schema("kafkarest", "TopicData", resp.json())
    defaults = kafka.get(topics_url(sim, name="orders")).json()
    assert (defaults["partitions_count"], defaults["replication_factor"], defaults["is_internal"]) == (6, 3, False)
    internal = kafka.get(topics_url(sim, name=METRICS["name"])).json()
    assert (internal["partitions_count"], internal["replication_factor"], internal["is_internal"]) == (12, 3, True)


def test_list_topics(sim, kafka, spec):
    resp = kafka.get(topics_url(sim))
    assert resp.status_code == 200, resp.text
    assert spec(resp) == "/kafka/v3/clusters/{cluster_id}/topics"
    body = resp.json()
    assert (body["kind"], body["metadata"]) == ("KafkaTopicList", {"self": topics_url(sim), "next": None})
    assert [t["topic_name"] for t in body["data"]] == LISTED == sim.topic_names(CLUSTER)
    assert body["data"][LISTED.index("payments")] == kafka.get(topics_url(sim, name="payments")).json()
    assert {t["cluster_id"] for t in body["data"]} == {CLUSTER}
    spec.validate_schema("kafkarest", "TopicDataList", body)
    other = requests.get(topics_url(sim, "lkc-777"), auth=OTHER_KAFKA_AUTH)
    spec(other)
    assert [t["topic_name"] for t in other.json()["data"]] == ["keep-me"] == sim.topic_names("lkc-777")
    assert sim.topic_names("lkc-nope") is None


@pytest.mark.parametrize("name", ODD_NAMES)
def test_topic_names_are_one_percent_encoded_segment(sim, kafka, spec, name):
    resp = kafka.get(topics_url(sim, name=name))
    assert resp.status_code == 200, resp.text
    spec(resp)
    body = resp.json()
    encoded = quote(name, safe="")
    assert body["topic_name"] == name and body["metadata"]["resource_name"] == "crn:///kafka=%s/topic=%s" % (
        CLUSTER, name)
    assert body["metadata"]["self"] == "%s/kafka/v3/clusters/%s/topics/%s" % (sim.url, CLUSTER, encoded)
    assert body["partitions"]["related"] == body["metadata"]["self"] + "/partitions"
    assert urlsplit(body["configs"]["related"]).path.split("/")[-2] == encoded
    deleted = kafka.delete(topics_url(sim, name=name))
    assert deleted.status_code == 204
    assert name not in sim.topic_names(CLUSTER) and len(sim.topic_names(CLUSTER)) == len(LISTED) - 1


def test_http_endpoint_of_the_cluster_leads_to_its_kafka_rest(sim, api, spec):
    cluster = api.get(cluster_url(sim, CLUSTER), params={"environment": ENV})
    spec(cluster)
    endpoint = cluster.json()["spec"]["http_endpoint"]
    assert endpoint == sim.url
    resp = requests.get("%s/kafka/v3/clusters/%s/topics" % (endpoint, CLUSTER), auth=KAFKA_AUTH)
    assert resp.status_code == 200 and [t["topic_name"] for t in resp.json()["data"]] == LISTED


# --------------------------------------------------------------------------- deleting and errors


def test_delete_topic_is_at_once(sim, kafka, spec):
    resp = kafka.delete(topics_url(sim, name="orders"))
    assert resp.status_code == 204 and resp.content == b"" and "X-Request-Id" in resp.headers
    assert spec(resp) == "/kafka/v3/clusters/{cluster_id}/topics/{topic_name}"
    assert "orders" not in sim.topic_names(CLUSTER) and "payments" in sim.topic_names(CLUSTER)
    gone = kafka.get(topics_url(sim, name="orders"))
    assert_kafka_error(gone, 404, UNKNOWN_TOPIC)
    spec(gone)
    assert "orders" not in [t["topic_name"] for t in kafka.get(topics_url(sim)).json()["data"]]
    assert "orders" not in [t["name"] for t in state_topics(sim)]
    again = kafka.delete(topics_url(sim, name="orders"))
    assert_kafka_error(again, 404, UNKNOWN_TOPIC)
    spec(again)
    assert requests.get(topics_url(sim, "lkc-777"), auth=OTHER_KAFKA_AUTH).json()["data"][0]["topic_name"] == "keep-me"


def test_unknown_topic_and_unknown_cluster(sim, kafka, spec):
    for method in ("GET", "DELETE"):
        resp = kafka.request(method, topics_url(sim, name="no-such-topic"))
        assert_kafka_error(resp, 404, UNKNOWN_TOPIC)
        spec(resp)
        # A topic of another cluster is unknown here.
        assert_kafka_error(kafka.request(method, topics_url(sim, name="keep-me")), 404, UNKNOWN_TOPIC)
        for auth in (UNSEEDED_KAFKA_AUTH, None):
            headers = {} if auth else {"Authorization": "Bearer " + TOKEN}
            resp = requests.request(method, topics_url(sim, "lkc-unseeded", "orders"), auth=auth, headers=headers)
            assert_kafka_error(resp, 404, cluster_not_found("lkc-unseeded"))
            spec(resp)
    # kafkarest-v3.yaml declares no 404 for the list, but Kafka REST answers one for a cluster it cannot find.
    listed = requests.get(topics_url(sim, "lkc-unseeded"), auth=UNSEEDED_KAFKA_AUTH)
    assert_kafka_error(listed, 404, cluster_not_found("lkc-unseeded"))
    assert len(sim.topic_names(CLUSTER)) == len(LISTED)


def test_cluster_being_deleted_or_gone_has_no_kafka_rest(sim, api, spec):
    bearer = {"Authorization": "Bearer " + TOKEN}
    assert requests.get(topics_url(sim, "lkc-empty"), headers=bearer).status_code == 200
    assert api.delete(cluster_url(sim, "lkc-empty"), params={"environment": ENV}).status_code == 204
    for url in (topics_url(sim, "lkc-empty"), topics_url(sim, "lkc-empty", "audit")):
        assert_kafka_error(requests.get(url, headers=bearer), 404, cluster_not_found("lkc-empty"))
    spec(requests.delete(topics_url(sim, "lkc-empty", "audit"), headers=bearer))
    assert sim.topic_names("lkc-empty") == ["audit"]  # kept while the deletion is pending
    sim.advance_clock(PENDING_DELETE_DELAY)
    assert sim.topic_names("lkc-empty") is None
    assert api.delete(env_url(sim, "env-other")).status_code == 204
    assert sim.topic_names("lkc-777") == ["keep-me"]
    sim.advance_clock(PENDING_DELETE_DELAY)
    assert sim.topic_names("lkc-777") is None and sim.topic_names(CLUSTER) == LISTED
    assert sim.data["kafkarest"].keys() == {CLUSTER}


def test_methods_not_allowed(sim, kafka):
    not_allowed = {"error_code": 405, "message": "HTTP 405 Method Not Allowed"}
    for method, url, allow in (("POST", topics_url(sim), "GET"), ("PUT", topics_url(sim), "GET"),
                               ("POST", topics_url(sim, name="orders"), "GET, DELETE"),
                               ("PATCH", topics_url(sim, name="orders"), "GET, DELETE")):
        resp = kafka.request(method, url, json={})
        assert_kafka_error(resp, 405, not_allowed)
        assert resp.headers["Allow"] == allow
    assert len(sim.topic_names(CLUSTER)) == len(LISTED)


# --------------------------------------------------------------------------- authentication


def test_a_cluster_key_works_on_its_own_cluster_only(sim, spec):
    assert requests.get(topics_url(sim), auth=KAFKA_AUTH).status_code == 200
    assert requests.get(topics_url(sim, "lkc-777"), auth=OTHER_KAFKA_AUTH).status_code == 200
    for auth, cluster in ((KAFKA_AUTH, "lkc-777"), (OTHER_KAFKA_AUTH, CLUSTER), (UNSEEDED_KAFKA_AUTH, CLUSTER)):
        resp = requests.get(topics_url(sim, cluster), auth=auth)
        assert_kafka_error(resp, 401, AUTH_FAILED)
        assert resp.headers["WWW-Authenticate"].startswith("Basic ")
        spec(resp)
    refused = requests.delete(topics_url(sim, "lkc-777", "keep-me"), auth=KAFKA_AUTH)
    assert_kafka_error(refused, 401, AUTH_FAILED)
    spec(refused)
    assert sim.topic_names("lkc-777") == ["keep-me"]


def test_cloud_keys_and_bad_credentials_are_refused_on_kafka_rest(sim, spec):
    for auth in (AUTH, CLOUD_AUTH, (KAFKA_AUTH[0], "wrong"), None):
        resp = requests.get(topics_url(sim, name="orders"), auth=auth)
        assert_kafka_error(resp, 401, AUTH_FAILED)
        assert "WWW-Authenticate" in resp.headers
        spec(resp)
    assert_kafka_error(requests.get(topics_url(sim), headers={"Authorization": "Bearer wrong"}), 401, AUTH_FAILED)
    # An OAuth token is accepted on every cluster.
    for cluster in (CLUSTER, "lkc-777"):
        resp = requests.get(topics_url(sim, cluster), headers={"Authorization": "Bearer " + TOKEN})
        assert resp.status_code == 200 and resp.json()["data"]


def test_a_cluster_key_is_refused_on_the_cloud_api(sim, api, spec):
    for url, params in ((env_url(sim), {}), (cluster_url(sim, CLUSTER), {"environment": ENV}), (key_url(sim), {})):
        resp = requests.get(url, params=params, auth=KAFKA_AUTH)
        assert_org_error(resp, 401, "user_unauthenticated", "Authentication Required")
        assert 'error="invalid_key"' in resp.headers["WWW-Authenticate"]
        spec(resp)
        assert requests.get(url, params=params, auth=CLOUD_AUTH).status_code == 200
        assert api.get(url, params=params).status_code == 200
    assert_connect_error(requests.get(conn_url(sim), auth=KAFKA_AUTH), 401, "Unauthorized")
    # Deleting the cluster's key (with a Cloud API key) revokes it on Kafka REST too.
    assert api.delete(key_url(sim, KAFKA_AUTH[0])).status_code == 204
    assert_kafka_error(requests.get(topics_url(sim), auth=KAFKA_AUTH), 401, AUTH_FAILED)


def test_print_env_exports_no_cluster_key(sim):
    seed = kafka_seed()
    seed["credentials"].sort(key=lambda item: item.get("api_key") != KAFKA_AUTH[0])
    assert seed["credentials"][0]["api_key"] == KAFKA_AUTH[0]
    line = confluent_sim.credential_exports(sim.url, seed)
    assert "CONFLUENT_CLOUD_API_KEY=%s " % AUTH[0] in line and KAFKA_AUTH[0] not in line
    seed["credentials"] = [item for item in seed["credentials"] if "token" in item or item["api_key"] == KAFKA_AUTH[0]]
    assert "CONFLUENT_CLOUD_ACCESS_TOKEN=%s" % TOKEN in confluent_sim.credential_exports(sim.url, seed)


# --------------------------------------------------------------------------- rate limit, log, state


def test_429_is_the_proxy_html_page_without_rate_headers(sim, api, kafka, spec):
    control(sim, "POST", "config", {"rate_limit": {"limit": 1, "window": 60}})
    first = kafka.get(topics_url(sim))
    assert first.status_code == 200 and not set(RATE_HEADERS) & set(first.headers)
    limited = kafka.delete(topics_url(sim, name="orders"))
    assert limited.status_code == 429
    assert limited.headers["Content-Type"] == "text/html;charset=utf-8" and "X-Request-Id" in limited.headers
    page = spec.docs["kafkarest"]["components"]["responses"]["TooManyRequestsErrorResponse"]["content"]["text/html"]
    assert limited.text == page["example"]["value"]
    assert not set(RATE_HEADERS) & set(limited.headers)
    spec(limited)
    assert "orders" in sim.topic_names(CLUSTER)
    # Every credential has its own bucket; the Cloud API still sends its rate-limit headers.
    assert requests.get(topics_url(sim), headers={"Authorization": "Bearer " + TOKEN}).status_code == 200
    cloud = api.get(env_url(sim))
    assert cloud.status_code == 200 and cloud.headers["X-RateLimit-Limit"] == "1"
    assert_org_error(api.get(env_url(sim)), 429, "too_many_requests", "Too Many Requests")
    assert int(api.get(env_url(sim)).headers["Retry-After"]) >= 1


def test_requests_are_logged_like_the_others(sim, kafka):
    sim.clear_log()
    ok = kafka.get(topics_url(sim, name="a/b"), headers={"User-Agent": "kafka-test/1.0"})
    requests.delete(topics_url(sim, name="orders"), auth=CLOUD_AUTH)
    requests.get(topics_url(sim), headers={"Authorization": "Bearer " + TOKEN})
    log = sim.log()
    assert [(e["method"], e["path"], e["auth"], e["key"], e["status"], e["fault"]) for e in log] == [
        ("GET", "/kafka/v3/clusters/%s/topics/a%%2Fb" % CLUSTER, "basic", KAFKA_AUTH[0], 200, None),
        ("DELETE", "/kafka/v3/clusters/%s/topics/orders" % CLUSTER, "basic", CLOUD_AUTH[0], 401, None),
        ("GET", "/kafka/v3/clusters/%s/topics" % CLUSTER, "bearer", "token", 200, None)]
    assert log[0]["request_id"] == ok.headers["X-Request-Id"] and log[0]["user_agent"] == "kafka-test/1.0"
    assert all(e["duration"] >= 0 and e["started"] > 0 for e in log)
    assert KAFKA_AUTH[1] not in str(log) and CLOUD_AUTH[1] not in str(log)


def test_state_shows_the_topics_of_each_cluster(sim, kafka):
    topics = state_topics(sim)
    assert [t["name"] for t in topics] == LISTED
    assert topics[LISTED.index("payments")] == dict(PAYMENTS, is_internal=False)
    assert topics[LISTED.index(METRICS["name"])] == dict(METRICS, replication_factor=3)
    assert state_topics(sim, cluster="lkc-empty") == [
        {"name": "audit", "partitions_count": 6, "is_internal": False, "replication_factor": 3}]
    assert [t["name"] for t in state_topics(sim, 1, "lkc-777")] == ["keep-me"]
    assert kafka.delete(topics_url(sim, name="payments")).status_code == 204
    assert "payments" not in [t["name"] for t in state_topics(sim)]
    sim.reset()
    assert [t["name"] for t in state_topics(sim)] == LISTED


# --------------------------------------------------------------------------- seeds and the validator


def one_cluster(topics):
    return {"environments": [{"id": "env-1", "clusters": [{"id": "lkc-1", "topics": topics}]}]}


@pytest.mark.parametrize("topics,match", [
    ("orders", "cluster lkc-1: 'topics' must be a list"),
    ([5], "cluster lkc-1: every topic must be a non-empty name"),
    ([""], "cluster lkc-1: every topic must be a non-empty name"),
    ([{"partitions_count": 1}], "a mapping with a non-empty string 'name'"),
    ([{"name": "t", "partitions_count": 0}], "cluster lkc-1: topic 't': partitions_count must be a whole number >= 1"),
    ([{"name": "t", "partitions_count": True}], "topic 't': partitions_count must be a whole number"),
    ([{"name": "t", "replication_factor": "3"}], "topic 't': replication_factor must be a whole number >= 1"),
    ([{"name": "t", "is_internal": "yes"}], "topic 't': is_internal must be true or false"),
    ([{"name": "t", "partitions": 3}], "topic 't': unknown keys partitions"),
    (["t", {"name": "t", "partitions_count": 1}], "cluster lkc-1: duplicate topic 't'"),
])
def test_bad_topics_are_rejected(topics, match):
    with pytest.raises(confluent_sim.SeedError, match=re.escape(match)):
        confluent_sim.Simulator(one_cluster(topics))


def test_topic_seed_forms_and_cluster_ids():
    sim = confluent_sim.Simulator(one_cluster(["b", {"name": "a"}]))
    assert sim.topic_names("lkc-1") == ["a", "b"]
    assert [t.snapshot() for t in sim.data["kafkarest"]["lkc-1"].values()] == [
        {"name": name, "partitions_count": 6, "is_internal": False, "replication_factor": 3} for name in "ba"]
    # A cluster with topics needs an id of its own: Kafka REST finds a cluster by its id alone.
    twice = {"environments": [{"id": "env-%d" % i, "clusters": [{"id": "lkc-1"}]} for i in (1, 2)]}
    assert confluent_sim.Simulator(twice).topic_names("lkc-1") == []
    twice["environments"][1]["clusters"][0]["topics"] = ["t"]
    with pytest.raises(confluent_sim.SeedError, match="cluster lkc-1: a cluster with topics needs an id"):
        confluent_sim.Simulator(twice)


def test_validator_checks_kafka_rest_answers(sim, kafka, spec):
    good = kafka.get(topics_url(sim, name="orders")).json()
    bad = {k: v for k, v in good.items() if k != "partitions_count"}
    control(sim, "POST", "faults", [
        {"method": "GET", "path": "/topics/orders$", "action": "respond", "status": 200, "body": bad},
        {"method": "GET", "path": "/topics$", "action": "respond", "status": 429, "body": {"error_code": 429}},
        {"method": "DELETE", "path": "/topics/orders$", "action": "respond", "status": 200, "body": {}},
    ])
    with pytest.raises(Exception, match="partitions_count"):
        spec(kafka.get(topics_url(sim, name="orders")))
    with pytest.raises(AssertionError, match="content type 'application/json' not documented"):
        spec(kafka.get(topics_url(sim)))
    with pytest.raises(AssertionError, match="status 200 is not documented"):
        spec(kafka.delete(topics_url(sim, name="orders")))

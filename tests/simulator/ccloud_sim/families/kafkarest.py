"""Kafka REST v3 (kafkarest-v3.yaml): the topics of a Kafka cluster, seeded inside their cluster in ``topics``.

The data plane of a cluster: a client finds it at the cluster's cmk/v2 ``spec.http_endpoint``, which is the
simulator's own base URL, and authenticates there with an API key of that cluster or with a token (``key_resource``
below). Errors are ``{"error_code", "message"}`` (``routing.ErrorCode``). The list has no pagination (``metadata.next``
is null) and is sorted by topic name, as Kafka REST sorts it. A deleted topic is gone at once.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import quote

from ..common import SeedError
from ..routing import ERROR_CODE, Family, Route, delete_with, get_with, no_content, ok
from ..scoped import seed_count

TOPIC_KEYS = ("name", "partitions_count", "is_internal", "replication_factor")
UNKNOWN_TOPIC = 40403, "This server does not host this topic-partition."


def topics_url(base, cluster_id):
    return "%s/kafka/v3/clusters/%s/topics" % (base, quote(cluster_id, safe=""))


class Topic:
    __slots__ = ("cluster_id", "name", "partitions_count", "is_internal", "replication_factor")

    def __init__(self, cluster_id, spec):
        if isinstance(spec, str):
            spec = {"name": spec}
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not spec["name"]:
            raise SeedError("cluster %s: every topic must be a non-empty name, or a mapping with a non-empty string "
                            "'name'" % cluster_id)
        self.cluster_id = cluster_id
        self.name = spec["name"]
        what = "cluster %s: topic %r" % (cluster_id, self.name)
        unknown = sorted(set(spec) - set(TOPIC_KEYS))
        if unknown:
            raise SeedError("%s: unknown keys %s (a topic has %s)" % (what, ", ".join(unknown), ", ".join(TOPIC_KEYS)))
        self.partitions_count = seed_count(spec, "partitions_count", 6, 1, what)
        self.replication_factor = seed_count(spec, "replication_factor", 3, 1, what)
        self.is_internal = spec.get("is_internal", False)
        if not isinstance(self.is_internal, bool):
            raise SeedError("%s: is_internal must be true or false" % what)

    def body(self, base, _org_id=None):
        """A ``TopicData``; the links name the topic as one percent-encoded path segment."""
        url = "%s/%s" % (topics_url(base, self.cluster_id), quote(self.name, safe=""))
        return {"kind": "KafkaTopic",
                "metadata": {"self": url, "resource_name": "crn:///kafka=%s/topic=%s" % (self.cluster_id, self.name)},
                "cluster_id": self.cluster_id, "topic_name": self.name, "is_internal": self.is_internal,
                "replication_factor": self.replication_factor, "partitions_count": self.partitions_count,
                "partitions": {"related": url + "/partitions"}, "configs": {"related": url + "/configs"},
                "partition_reassignments": {"related": url + "/partitions/-/reassignments"}}

    def snapshot(self):
        return {"name": self.name, "partitions_count": self.partitions_count, "is_internal": self.is_internal,
                "replication_factor": self.replication_factor}


def ordered(topics):
    """The topics of one cluster, by name."""
    return [topics[name] for name in sorted(topics)]


def load_seed(seed, _now, data):
    """{cluster id: {topic name: Topic}} for every seeded cluster (the environments are already read)."""
    seeded = Counter(cluster_id for env in data["org"].values() for cluster_id in env.clusters)
    out = {}
    for env_spec in seed.get("environments") or []:
        for cluster_spec in env_spec.get("clusters") or []:
            cluster_id = cluster_spec["id"]
            topics = out.setdefault(cluster_id, {})
            entries = cluster_spec.get("topics")
            if entries is None:
                continue
            if not isinstance(entries, list):
                raise SeedError("cluster %s: 'topics' must be a list" % cluster_id)
            if seeded[cluster_id] > 1:
                raise SeedError("cluster %s: a cluster with topics needs an id that no other environment uses "
                                "(Kafka REST finds a cluster by its id alone)" % cluster_id)
            for spec in entries:
                topic = Topic(cluster_id, spec)
                if topic.name in topics:
                    raise SeedError("cluster %s: duplicate topic %r" % (cluster_id, topic.name))
                topics[topic.name] = topic
    return out


def purge(sim, _now):
    """The topics of a cluster are gone once the cluster is (by itself or with its environment)."""
    clusters = {cluster_id for env in sim.data["org"].values() for cluster_id in env.clusters}
    topics = sim.data["kafkarest"]
    for cluster_id in [cluster_id for cluster_id in topics if cluster_id not in clusters]:
        del topics[cluster_id]


def cluster_state(sim, cluster_id, _now):
    return {"topics": [t.snapshot() for t in ordered(sim.data["kafkarest"].get(cluster_id, {}))]}


def path_cluster(segments):
    """The Kafka cluster of a path /kafka/v3/clusters/{cluster_id}/...: the resource of the API keys that authenticate
    on it. None for any other path under /kafka/, where no API key does (API keys are of lkc-... clusters)."""
    if len(segments) > 3 and segments[1:3] == ["v3", "clusters"] and segments[3].startswith("lkc-"):
        return segments[3]
    return None


def _topics_of(req):
    """The topics of the path's cluster, and None; or None and the 404 of a cluster that no environment has or that
    is being deleted."""
    cluster_id = req.params["cluster_id"]
    if not any(cluster_id in env.clusters and env.clusters[cluster_id].gone_at is None
               for env in req.sim.data["org"].values()):
        return None, req.not_found("Cluster %s cannot be found." % cluster_id)
    return req.sim.data["kafkarest"][cluster_id], None


def find_topic(req):
    topics, error = _topics_of(req)
    if error:
        return None, error
    topic = topics.get(req.params["topic_name"])
    if topic is None:
        code, message = UNKNOWN_TOPIC
        return None, req.fail(404, message, error_code=code)
    return topic, None


def list_topics(req):
    topics, error = _topics_of(req)
    if error:
        return error
    return ok({"kind": "KafkaTopicList",
               "metadata": {"self": topics_url(req.base, req.params["cluster_id"]), "next": None},
               "data": [t.body(req.base) for t in ordered(topics)]})


def delete_topic(req, topic):
    del req.sim.data["kafkarest"][topic.cluster_id][topic.name]
    return no_content()


TOPICS = "/kafka/v3/clusters/{cluster_id}/topics"
FAMILY = Family("kafkarest", "/kafka/", errors=ERROR_CODE, load_seed=load_seed, purge=purge,
                cluster_state=cluster_state, key_resource=path_cluster, routes=[
                    Route("GET", TOPICS, list_topics),
                    Route("GET", TOPICS + "/{topic_name}", get_with(find_topic)),
                    Route("DELETE", TOPICS + "/{topic_name}", delete_with(find_topic, delete_topic)),
                ])

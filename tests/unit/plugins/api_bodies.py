# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Answers shaped like Confluent Cloud's, for the scripted module tests."""

from __future__ import annotations

from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import response

ORG_NOT_FOUND = {"errors": [{"id": "x", "status": "404", "title": "Not Found"}]}
FORBIDDEN = {"errors": [{"status": "403", "code": "user_unauthorized", "title": "User Access Unauthorized"}]}
CONNECT_NOT_FOUND = {"error": {"code": 404, "message": "resource not found"}}


def env(env_id, name, created_at=None, **extra):
    metadata = {"self": "https://api.confluent.cloud/org/v2/environments/" + env_id}
    if created_at:
        metadata["created_at"] = created_at
    return dict({"api_version": "org/v2", "kind": "Environment", "id": env_id, "display_name": name,
                 "metadata": metadata}, **extra)


def cluster(cluster_id, name, **extra):
    return dict({"api_version": "cmk/v2", "kind": "Cluster", "id": cluster_id,
                 "metadata": {"self": "https://api.confluent.cloud/cmk/v2/clusters/" + cluster_id},
                 "spec": {"display_name": name, "environment": {"id": "env-1"}},
                 "status": {"phase": "PROVISIONED"}}, **extra)


def page(items, next_token=None, path="/org/v2/environments", kind="EnvironmentList"):
    """One page of an org/v2, cmk/v2 or iam/v2 list; ``next_token`` links the next page."""
    nxt = "https://api.confluent.cloud%s?page_size=100&page_token=%s" % (path, next_token) if next_token else None
    return response(200, {"api_version": path.split("/")[1] + "/v2", "kind": kind, "data": items,
                          "metadata": {"next": nxt}})


def cluster_page(items, next_token=None):
    return page(items, next_token, path="/cmk/v2/clusters", kind="ClusterList")


def connectors_path(cluster_id, environment_id="env-1"):
    return "/connect/v1/environments/%s/clusters/%s/connectors" % (environment_id, cluster_id)


def expansion(name, lcc, state="RUNNING", config=None, tasks=0, trace=""):
    return {"id": {"id": lcc, "id_type": "ID"},
            "info": {"name": name, "type": "sink", "config": dict(config or {}, name=name)},
            "status": {"name": name, "connector": {"state": state, "worker_id": name, "trace": trace},
                       "tasks": [{"id": task, "state": state, "worker_id": name} for task in range(tasks)],
                       "type": "sink"}}


def expansions(*connectors):
    """The answer of GET .../connectors?expand=id,info,status for (name, lcc, state) tuples."""
    return response(200, dict((name, expansion(name, lcc, state)) for name, lcc, state in connectors))


def service_account(account_id, name, created_at=None):
    metadata = {"self": "https://api.confluent.cloud/iam/v2/service-accounts/" + account_id}
    if created_at:
        metadata["created_at"] = created_at
    return {"api_version": "iam/v2", "kind": "ServiceAccount", "id": account_id, "display_name": name,
            "description": "", "metadata": metadata}


def api_key(key_id, owner, resource=None, secret=None):
    spec = {"display_name": "key " + key_id, "owner": {"id": owner, "kind": "ServiceAccount"},
            "resource": {"id": resource, "kind": "Cluster"} if resource else None}
    if secret:
        spec["secret"] = secret
    return {"api_version": "iam/v2", "kind": "ApiKey", "id": key_id,
            "metadata": {"self": "https://api.confluent.cloud/iam/v2/api-keys/" + key_id}, "spec": spec}


def ksqldb_cluster(cluster_id, name, created_at=None, phase="PROVISIONED"):
    return _in_environment("ksqldbcm/v2", "Cluster", "/ksqldbcm/v2/clusters/", cluster_id, created_at,
                           {"display_name": name, "csu": 4, "kafka_cluster": {"id": "lkc-1"}},
                           {"phase": phase, "is_paused": False, "storage": 125})


def compute_pool(pool_id, name, created_at=None, phase="PROVISIONED"):
    return _in_environment("fcpm/v2", "ComputePool", "/fcpm/v2/compute-pools/", pool_id, created_at,
                           {"display_name": name, "cloud": "AWS", "region": "us-east-1", "max_cfu": 5},
                           {"phase": phase, "current_cfu": 0})


def _in_environment(api_version, kind, path, item_id, created_at, spec, status):
    metadata = {"self": "https://api.confluent.cloud" + path + item_id}
    if created_at:
        metadata["created_at"] = created_at
    return {"api_version": api_version, "kind": kind, "id": item_id, "metadata": metadata,
            "spec": dict(spec, environment={"id": "env-1"}), "status": status}


# Kafka REST v3 (kafkarest-v3.yaml): the topics of one cluster, and its error body {"error_code", "message"}.
UNKNOWN_TOPIC = {"error_code": 40403, "message": "This server does not host this topic-partition."}
UNKNOWN_CLUSTER = {"error_code": 404, "message": "Cluster lkc-1 cannot be found."}
KAFKA_UNAUTHORIZED = {"error_code": 40101, "message": "Authentication failed"}


def topics_path(cluster_id="lkc-1"):
    return "/kafka/v3/clusters/%s/topics" % cluster_id


def topic(name, cluster_id="lkc-1", partitions=6, internal=False):
    return {"kind": "KafkaTopic", "metadata": {"self": "https://pkc-1.example%s/%s" % (topics_path(cluster_id), name)},
            "cluster_id": cluster_id, "topic_name": name, "is_internal": internal, "replication_factor": 3,
            "partitions_count": partitions}


def topic_list(*names, **kwargs):
    return response(200, {"kind": "KafkaTopicList", "metadata": {"next": None},
                          "data": [topic(name, **kwargs) for name in names]})

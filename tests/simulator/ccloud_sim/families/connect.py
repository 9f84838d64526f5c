"""connect/v1: the connectors of a Kafka cluster (seeded inside their cluster, in ``connectors``)."""

from __future__ import annotations

import hashlib
import json

from ..common import SeedError, kafka_host
from ..routing import ERROR_OBJECT, Family, Route, delete_with, get_with, ok

MASK = "****************"
# connect_v1_ConnectorExpansion_status_connector.state in connect-v1.yaml
CONNECTOR_STATES = ("NONE", "PROVISIONING", "RUNNING", "DEGRADED", "FAILED", "PAUSED", "DELETED")
EXPANSIONS = ("id", "info", "status")
REQUIRED_CONNECTOR_CONFIG_DEFAULTS = {
    "cloud.environment": "prod",
    "cloud.provider": "aws",
    "connector.class": "DatagenSource",
    "kafka.api.key": MASK,
    "kafka.api.secret": MASK,
    "kafka.region": "us-west-2",
}


def config_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


class Connector:
    __slots__ = ("name", "id", "type", "config", "tasks", "state")

    def __init__(self, env_id, cluster, spec):
        if not isinstance(spec, dict):
            raise SeedError("connector entries must be mappings")
        name = spec.get("name")
        if not isinstance(name, str) or not name:
            raise SeedError("every connector needs a non-empty string 'name'")
        self.name = name
        ctype = spec.get("type", "sink")
        if ctype not in ("sink", "source"):
            raise SeedError("connector %r: type must be 'sink' or 'source'" % name)
        self.type = ctype
        raw_config = spec.get("config") or {}
        if not isinstance(raw_config, dict):
            raise SeedError("connector %r: config must be a mapping" % name)
        config = {str(k): config_value(v) for k, v in raw_config.items()}
        config.setdefault("cloud.provider", cluster.cloud.lower())
        config.setdefault("kafka.region", cluster.region)
        for key, default in REQUIRED_CONNECTOR_CONFIG_DEFAULTS.items():
            config.setdefault(key, default)
        host = kafka_host(cluster.id, config["kafka.region"], config["cloud.provider"])
        config.setdefault("kafka.endpoint", "SASL_SSL://%s:9092" % host)
        config.setdefault("name", name)
        self.config = config
        digest = hashlib.sha1(("%s/%s/%s" % (env_id, cluster.id, name)).encode("utf-8")).hexdigest()
        self.id = spec.get("id") or "lcc-" + digest[:6]
        if not isinstance(self.id, str) or not self.id.startswith("lcc-"):
            raise SeedError("connector %r: id must be a string that starts with 'lcc-'" % name)
        tasks = spec.get("tasks")
        if tasks is None:
            try:
                tasks = int(config.get("tasks.max", "1"))
            except ValueError:
                tasks = 1
        if isinstance(tasks, list):
            tasks = len(tasks)
        if not isinstance(tasks, int) or tasks < 0:
            raise SeedError("connector %r: tasks must be a non-negative integer" % name)
        self.tasks = tasks
        self.state = spec.get("state", "RUNNING")
        if self.state not in CONNECTOR_STATES:
            raise SeedError("connector %r: state must be one of %s" % (name, ", ".join(CONNECTOR_STATES)))

    def task_states(self):
        """Each task has the connector's state, except that a DEGRADED connector has its first task FAILED."""
        if self.state == "DEGRADED":
            return ["FAILED"] + ["RUNNING"] * (self.tasks - 1) if self.tasks else []
        return [self.state] * self.tasks

    def body(self):
        return {
            "name": self.name,
            "config": dict(self.config),
            "tasks": [{"connector": self.name, "task": i} for i in range(self.tasks)],
            "type": self.type,
        }

    def expansion(self, wanted):
        out = {}
        if "id" in wanted:
            out["id"] = {"id": self.id, "id_type": "ID"}
        if "info" in wanted:
            out["info"] = {"name": self.name, "config": dict(self.config), "type": self.type}
        if "status" in wanted:
            out["status"] = {
                "name": self.name,
                "connector": {"state": self.state, "worker_id": self.name, "trace": ""},
                "tasks": [{"id": i, "state": state, "worker_id": self.name}
                          for i, state in enumerate(self.task_states())],
                "type": self.type,
            }
        return out

    def snapshot(self):
        return {"name": self.name, "id": self.id, "type": self.type, "config": dict(self.config),
                "tasks": self.tasks, "state": self.state}


def _cluster(req):
    """The Kafka cluster of the path, and None; or None and the 404 of its environment or of the cluster."""
    env_id, cluster_id = req.params["environment_id"], req.params["cluster_id"]
    env = req.sim.data["org"].get(env_id)
    if env is None:
        return None, req.not_found("Environment %s not found" % env_id)
    cluster = env.clusters.get(cluster_id)
    if cluster is None:
        return None, req.not_found("Kafka cluster %s not found in environment %s" % (cluster_id, env_id))
    return cluster, None


def find_connector(req):
    """((cluster, connector), None) of the path, or (None, the 404 answer)."""
    cluster, error = _cluster(req)
    if error:
        return None, error
    name = req.params["connector_name"]
    conn = cluster.connectors.get(name)
    if conn is None:
        return None, req.not_found("Connector %s not found" % name)
    return (cluster, conn), None


def list_connectors(req):
    cluster, error = _cluster(req)
    if error:
        return error
    params = req.query_params()
    expand = [v for item in params.get("expand", []) for v in item.split(",") if v]
    if not expand:
        return ok(list(cluster.connectors))
    bad = [v for v in expand if v not in EXPANSIONS]
    if bad:
        return req.fail(400, "Invalid expand value: %s" % ", ".join(bad))
    return ok({c.name: c.expansion(set(expand)) for c in cluster.connectors.values()})


def connector_body(_req, found):
    return found[1].body()


def delete_connector(req, found):
    cluster, conn = found
    del cluster.connectors[conn.name]
    return ok({"error": None})


CONNECTORS = "/connect/v1/environments/{environment_id}/clusters/{cluster_id}/connectors"
FAMILY = Family("connect", "/connect/", errors=ERROR_OBJECT, routes=[
    Route("GET", CONNECTORS, list_connectors),
    Route("GET", CONNECTORS + "/{connector_name}", get_with(find_connector, connector_body)),
    Route("DELETE", CONNECTORS + "/{connector_name}", delete_with(find_connector, delete_connector)),
])

"""cmk/v2: Kafka clusters (seeded inside their environment, in ``clusters``)."""

from __future__ import annotations

from urllib.parse import quote

from ..common import SeedError, environment_crn, environment_ref, kafka_host, resource, seed_id, seed_str, seed_times
from ..paging import list_page
from ..routing import Family, Route, delete_with, get_with
from ..scoped import begin_deletion, deletion_state, environment_of
from . import ksqldbcm
from .connect import Connector

# cmk.v2.ClusterSpec.config kinds in cmk-v2.yaml
CLUSTER_KINDS = ("Basic", "Standard", "Dedicated", "Enterprise", "Freight")


class Cluster:
    __slots__ = ("id", "env_id", "seq", "display_name", "availability", "cloud", "region", "config",
                 "deletion_protection", "created_at", "updated_at", "connectors", "deleted_at", "gone_at")

    def __init__(self, env_id, spec, seq, now):
        self.id = seed_id(spec, "every cluster needs a non-empty string 'id'")
        what = "cluster %s" % self.id
        self.env_id = env_id
        self.seq = seq
        self.display_name = seed_str(spec, "display_name", self.id, what)
        self.availability = seed_str(spec, "availability", "SINGLE_ZONE", what)
        self.cloud = seed_str(spec, "cloud", "AWS", what)
        self.region = seed_str(spec, "region", "us-west-2", what)
        config = spec.get("config", {"kind": "Basic"})
        if not isinstance(config, dict) or config.get("kind") not in CLUSTER_KINDS:
            raise SeedError("%s: config must be a mapping whose kind is one of %s" % (what, ", ".join(CLUSTER_KINDS)))
        self.config = dict(config)
        if self.config["kind"] == "Dedicated":
            self.config.setdefault("cku", 1)
        self.deletion_protection = spec.get("deletion_protection")
        if self.deletion_protection is not None and not isinstance(self.deletion_protection, bool):
            raise SeedError("%s: deletion_protection must be true or false" % what)
        self.created_at, self.updated_at = seed_times(spec, now, what)
        self.deleted_at = None
        self.gone_at = None
        self.connectors = {}
        for cspec in spec.get("connectors") or []:
            conn = Connector(env_id, self, cspec)
            if conn.name in self.connectors:
                raise SeedError("cluster %s: duplicate connector %r" % (self.id, conn.name))
            self.connectors[conn.name] = conn

    @property
    def protected(self):
        return self.deletion_protection is True

    def body(self, base, org_id):
        env_crn = environment_crn(org_id, self.env_id)
        host = kafka_host(self.id, self.region, self.cloud)
        spec = {
            "display_name": self.display_name,
            "availability": self.availability,
            "cloud": self.cloud,
            "region": self.region,
            "config": dict(self.config),
            "kafka_bootstrap_endpoint": "SASL_SSL://%s:9092" % host,
            # The cluster's REST endpoint is the simulator itself, which serves Kafka REST (families/kafkarest.py).
            "http_endpoint": base,
            "environment": environment_ref(base, org_id, self.env_id),
        }
        if self.deletion_protection is not None:
            spec["deletion_protection"] = self.deletion_protection
        status = {"phase": "DEPROVISIONING" if self.gone_at is not None else "PROVISIONED"}
        if "cku" in self.config:
            status["cku"] = self.config["cku"]
        return resource("cmk/v2", "Cluster", self, "%s/cmk/v2/clusters/%s" % (base, quote(self.id, safe="")),
                        "%s/cloud-cluster=%s" % (env_crn, self.id), spec=spec, status=status)

    def snapshot(self, now):
        return dict({"id": self.id, "display_name": self.display_name, "deletion_protection": self.protected},
                    **deletion_state(self, now), created_at=self.created_at,
                    connectors=[c.snapshot() for c in self.connectors.values()])


def purge(sim, now):
    """Clusters whose deletion has ended leave their environment."""
    for env in sim.data["org"].values():
        gone = [cid for cid, cl in env.clusters.items() if cl.gone_at is not None and cl.gone_at <= now]
        for cid in gone:
            del env.clusters[cid]


def list_clusters(req):
    params = req.query_params()
    env_id, error = environment_of(req)
    if error:
        return error
    env = req.sim.data["org"].get(env_id)
    # An environment that does not exist has no clusters: the list answers 200 with no data.
    # cmk-v2.yaml declares the environment parameter as an exact-match filter and no 404 for the list.
    clusters = sorted(env.clusters.values(), key=lambda c: c.seq) if env is not None else []
    link_params = [("environment", env_id)]
    if "spec.deletion_protection" in params:
        raw = params["spec.deletion_protection"][-1]
        if raw.lower() not in ("true", "false"):
            return req.fail(400, "invalid_parameter", "Invalid Parameter",
                            "spec.deletion_protection must be true or false",
                            source={"parameter": "spec.deletion_protection"})
        wanted = raw.lower() == "true"
        clusters = [c for c in clusters if c.protected == wanted]
        link_params.append(("spec.deletion_protection", raw))
    networks = [v for v in params.get("spec.network", []) if v]
    if networks:
        # Simulated clusters have no network, so a network filter matches none of them.
        clusters = []
        link_params += [("spec.network", v) for v in networks]
    return list_page(req, params, clusters, "lkc", "/cmk/v2/clusters", link_params, "cmk/v2", "ClusterList")


def find_cluster(req):
    """The cluster of the path in the environment of the query, and None; or None and the error answer."""
    env_id, error = environment_of(req)
    if error:
        return None, error
    env = req.sim.data["org"].get(env_id)
    cluster_id = req.params["cluster_id"]
    cluster = env.clusters.get(cluster_id) if env is not None else None
    if cluster is None:
        return None, req.not_found("The Kafka cluster '%s' was not found in environment '%s'" % (cluster_id, env_id))
    return cluster, None


def delete_cluster(req, cluster):
    if cluster.protected:
        location = "%s/cmk/v2/clusters/%s" % (req.base, quote(cluster.id, safe=""))
        return req.fail(409, "deletion_protected", "Conflict",
                        "The Kafka cluster '%s' cannot be deleted: deletion protection is on "
                        "(spec.deletion_protection is true); turn it off first" % cluster.id,
                        headers=[("Location", location)])
    if cluster.gone_at is None:
        in_use = _in_use(req.sim, cluster)
        if in_use:
            return req.fail(409, "resource_conflict", "Conflict", in_use)
    return begin_deletion(req, cluster)


def _in_use(sim, cluster):
    """Why the Kafka cluster cannot be deleted yet, or "": its connectors and the ksqlDB clusters on it, except those
    already being deleted (a connector in state DELETED, a ksqlDB cluster with deleted_at)."""
    connectors = [c.name for c in cluster.connectors.values() if c.state != "DELETED"]
    ksqldb_clusters = ksqldbcm.using(sim, cluster)
    parts = ["%d %s (%s)" % (len(names), one if len(names) == 1 else one + "s", ", ".join(names))
             for names, one in ((connectors, "connector"), (ksqldb_clusters, "ksqlDB cluster")) if names]
    if not parts:
        return ""
    return "Kafka cluster %s has %s; delete %s first" % (
        cluster.id, " and ".join(parts), "it" if len(connectors) + len(ksqldb_clusters) == 1 else "them")


FAMILY = Family("cmk", "/cmk/", purge=purge, routes=[
    Route("GET", "/cmk/v2/clusters", list_clusters),
    Route("GET", "/cmk/v2/clusters/{cluster_id}", get_with(find_cluster)),
    Route("DELETE", "/cmk/v2/clusters/{cluster_id}", delete_with(find_cluster, delete_cluster)),
])

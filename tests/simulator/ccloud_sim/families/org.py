"""org/v2: environments, seeded in ``environments`` with their clusters and connectors (and the resources of the
environment-scoped families, which those families read: ksqlDB clusters, Flink compute pools)."""

from __future__ import annotations

import itertools
from urllib.parse import quote

from ..common import SeedError, by_id, resource, rfc3339, seed_id, seed_times
from ..paging import list_page
from ..routing import Family, Route, delete_with, find_by_id, get_with, no_content
from ..scoped import deletion_state
from .cmk import Cluster


class Environment:
    __slots__ = ("id", "display_name", "seq", "created_at", "updated_at", "package", "clusters",
                 "delete_requested", "deleted_at", "gone_at")

    def __init__(self, spec, seq, now, cluster_seq):
        self.id = seed_id(spec, "every environment needs a non-empty string 'id'")
        self.display_name = str(spec.get("display_name", self.id))
        self.seq = seq
        self.created_at, self.updated_at = seed_times(spec, now, "environment %s" % self.id)
        sgc = spec.get("stream_governance_config") or {}
        self.package = str(sgc.get("package", "ESSENTIALS")) if isinstance(sgc, dict) else "ESSENTIALS"
        self.clusters = {}
        for cl in spec.get("clusters") or []:
            cluster = Cluster(self.id, cl, next(cluster_seq), now)
            if cluster.id in self.clusters:
                raise SeedError("environment %s: duplicate cluster %r" % (self.id, cluster.id))
            self.clusters[cluster.id] = cluster
        self.delete_requested = None
        self.deleted_at = None
        self.gone_at = None

    def body(self, base, org_id):
        return resource("org/v2", "Environment", self, "%s/org/v2/environments/%s" % (base, quote(self.id, safe="")),
                        "crn://confluent.cloud/organization=%s/environment=%s" % (org_id, self.id),
                        display_name=self.display_name, stream_governance_config={"package": self.package})

    def snapshot(self, now):
        return dict({"id": self.id, "display_name": self.display_name}, **deletion_state(self, now),
                    created_at=self.created_at, clusters=[cl.snapshot(now) for cl in self.clusters.values()])


def load_seed(seed, now, _data):
    cluster_seq = itertools.count()
    return by_id((Environment(spec, seq, now, cluster_seq) for seq, spec in enumerate(seed.get("environments") or [])),
                 "environment")


def ordered(sim):
    """The environments in seed order."""
    return sorted(sim.data["org"].values(), key=lambda e: e.seq)


def state(sim, now):
    return {"environments": [env.snapshot(now) for env in ordered(sim)]}


def purge(sim, now):
    """Environments whose deletion has ended are gone."""
    envs = sim.data["org"]
    for eid in [eid for eid, env in envs.items() if env.gone_at is not None and env.gone_at <= now]:
        del envs[eid]


def list_environments(req):
    return list_page(req, req.query_params(), ordered(req.sim), "env", "/org/v2/environments", [], "org/v2",
                     "EnvironmentList")


def delete_environment(req, env):
    if env.gone_at is None:
        env.delete_requested = req.now
        env.deleted_at = rfc3339(req.now)
        env.gone_at = req.now + req.sim.delete_delay
    return no_content()


ENVIRONMENT = "/org/v2/environments/{environment_id}"
find_environment = find_by_id("org", "environment_id", "The environment '%s' was not found")
FAMILY = Family("org", "/org/", load_seed=load_seed, before_settings=True, state=state, purge=purge, routes=[
    Route("GET", "/org/v2/environments", list_environments),
    Route("GET", ENVIRONMENT, get_with(find_environment)),
    Route("DELETE", ENVIRONMENT, delete_with(find_environment, delete_environment)),
])

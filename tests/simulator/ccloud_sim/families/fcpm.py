"""fcpm/v2: Flink compute pools (fcpm-v2.yaml), seeded inside their environment in ``flink_compute_pools``.

A deleted compute pool stays visible for ``delete_delay`` with ``metadata.deleted_at`` set and ``status.phase``
``DEPROVISIONING`` (a phase the document lists). Its list answers carry the ``next`` link alone: the document says that
"only the `next` field will be populated".
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ..common import environment_crn, environment_ref, resource, seed_str
from ..routing import Family, Route, delete_with, get_with
from ..scoped import EnvResource, EnvScoped, begin_deletion, seed_count


class ComputePool(EnvResource):
    __slots__ = ("cloud", "region", "max_cfu", "current_cfu")
    PREFIX, WHAT, SPEC = "lfcp-", "Flink compute pool", "fcpm.v2.ComputePoolSpec"
    DISPLAY_NAME = re.compile(r"(?:[0-9A-Za-z\-])[\w\.-]{0,63}")  # the pattern of SPEC.display_name

    def __init__(self, env, spec, seq, now):
        super().__init__(env.id, spec, seq, now)
        self.cloud = seed_str(spec, "cloud", "AWS", self.what)
        self.region = seed_str(spec, "region", "us-west-2", self.what)
        self.max_cfu = seed_count(spec, "max_cfu", 5, 1, self.what)
        self.current_cfu = seed_count(spec, "current_cfu", 0, 0, self.what)

    def body(self, base, org_id):
        spec = {"display_name": self.display_name, "cloud": self.cloud, "region": self.region, "max_cfu": self.max_cfu,
                "environment": environment_ref(base, org_id, self.env_id)}
        status = {"phase": "DEPROVISIONING" if self.deleting else "PROVISIONED", "current_cfu": self.current_cfu}
        flink_region = "flink-region=%s.%s" % (self.cloud.lower(), self.region)
        crn = "%s/%s/compute-pool=%s" % (environment_crn(org_id, self.env_id), flink_region, self.id)
        return resource("fcpm/v2", "ComputePool", self, "%s/fcpm/v2/compute-pools/%s" % (base, quote(self.id, safe="")),
                        crn, spec=spec, status=status)

    def snapshot(self):
        return {"id": self.id, "display_name": self.display_name, "cloud": self.cloud, "region": self.region,
                "max_cfu": self.max_cfu}


POOLS = EnvScoped("fcpm", ComputePool, "flink_compute_pools", "/fcpm/v2/compute-pools", "fcpm/v2", "ComputePoolList",
                  "lfcp")


def _filters(params, pools):
    """spec.region keeps the pools of that region; simulated pools have no network, so spec.network matches none."""
    link_params = []
    region = params.get("spec.region", [""])[-1]
    if region:
        pools = [p for p in pools if p.region == region]
        link_params.append(("spec.region", region))
    network = params.get("spec.network", [""])[-1]
    if network:
        pools = []
        link_params.append(("spec.network", network))
    return pools, link_params


def list_compute_pools(req):
    return POOLS.list(req, _filters, only_next=True)


FAMILY = Family("fcpm", "/fcpm/", load_seed=POOLS.load_seed, env_state=POOLS.env_state, purge=POOLS.purge, routes=[
    Route("GET", "/fcpm/v2/compute-pools", list_compute_pools),
    Route("GET", "/fcpm/v2/compute-pools/{id}", get_with(POOLS.find)),
    Route("DELETE", "/fcpm/v2/compute-pools/{id}", delete_with(POOLS.find, begin_deletion)),
])

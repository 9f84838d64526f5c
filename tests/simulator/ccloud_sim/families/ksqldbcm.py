"""ksqldbcm/v2: ksqlDB clusters (ksqldbcm-v2.yaml), seeded inside their environment in ``ksqldb_clusters``, each on
one of that environment's Kafka clusters. A Kafka cluster that a ksqlDB cluster uses cannot be deleted (see cmk).

A deleted ksqlDB cluster stays visible for ``delete_delay`` with ``metadata.deleted_at`` set (the document's 204 says
"A Cluster is being deleted") and keeps ``status.phase`` ``PROVISIONED``: the document lists no phase for a deletion
(PROVISIONING, PROVISIONED, FAILED), unlike fcpm-v2.yaml, which lists DEPROVISIONING for compute pools.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ..common import SeedError, environment_crn, environment_ref, principal_ref, resource
from ..routing import Family, Route, delete_with, get_with
from ..scoped import EnvResource, EnvScoped, begin_deletion, seed_count


class KsqlCluster(EnvResource):
    __slots__ = ("csu", "kafka_cluster", "cloud", "region", "credential_identity")
    PREFIX, WHAT, SPEC = "lksqlc-", "ksqlDB cluster", "ksqldbcm.v2.ClusterSpec"
    DISPLAY_NAME = re.compile(r"(?:[0-9A-Za-z\-])[\w-]{0,31}")  # the pattern of SPEC.display_name

    def __init__(self, env, spec, seq, now):
        super().__init__(env.id, spec, seq, now)
        self.csu = seed_count(spec, "csu", 4, 1, self.what)
        self.kafka_cluster = spec.get("kafka_cluster")
        cluster = env.clusters.get(self.kafka_cluster) if isinstance(self.kafka_cluster, str) else None
        if cluster is None:
            raise SeedError("%s: kafka_cluster must be a Kafka cluster of environment %s (one of: %s)"
                            % (self.what, env.id, ", ".join(env.clusters) or "none"))
        self.cloud, self.region = cluster.cloud, cluster.region
        self.credential_identity = spec.get("credential_identity", "u-ksqldb")
        if not isinstance(self.credential_identity, str) or not self.credential_identity.startswith(("sa-", "u-")):
            raise SeedError("%s: credential_identity must be a service account (sa-...) or a user (u-...) id"
                            % self.what)

    def body(self, base, org_id):
        env_crn = environment_crn(org_id, self.env_id)
        endpoint_id = "pksqlc-" + self.id[len(self.PREFIX):][:5]
        kafka_cluster = {"id": self.kafka_cluster, "environment": self.env_id,
                         "related": "%s/cmk/v2/clusters/%s" % (base, quote(self.kafka_cluster, safe="")),
                         "resource_name": "%s/cloud-cluster=%s" % (env_crn, self.kafka_cluster)}
        spec = {"display_name": self.display_name, "csu": self.csu, "kafka_cluster": kafka_cluster,
                "credential_identity": principal_ref(base, org_id, self.credential_identity),
                "environment": environment_ref(base, org_id, self.env_id)}
        status = {"phase": "PROVISIONED",
                  "http_endpoint": "https://%s.%s.%s.confluent.cloud" % (endpoint_id, self.region, self.cloud.lower()),
                  "is_paused": False, "storage": 125 * self.csu, "topic_prefix": endpoint_id}
        # resource_name as in the document's example: the environment's CRN, then cloud-cluster=<the ksqlDB id>
        return resource("ksqldbcm/v2", "Cluster", self, "%s/ksqldbcm/v2/clusters/%s" % (base, quote(self.id, safe="")),
                        "%s/cloud-cluster=%s" % (env_crn, self.id), spec=spec, status=status)

    def snapshot(self):
        return {"id": self.id, "display_name": self.display_name, "kafka_cluster": self.kafka_cluster, "csu": self.csu}


KSQLDB = EnvScoped("ksqldbcm", KsqlCluster, "ksqldb_clusters", "/ksqldbcm/v2/clusters", "ksqldbcm/v2", "ClusterList",
                   "lksqlc")


def using(sim, cluster):
    """The ids of the ksqlDB clusters on the Kafka ``cluster`` that are not being deleted, in seed order."""
    return [k.id for k in KSQLDB.in_environment(sim, cluster.env_id)
            if k.kafka_cluster == cluster.id and not k.deleting]


FAMILY = Family("ksqldbcm", "/ksqldbcm/", load_seed=KSQLDB.load_seed, env_state=KSQLDB.env_state, purge=KSQLDB.purge,
                routes=[
                    Route("GET", "/ksqldbcm/v2/clusters", KSQLDB.list),
                    Route("GET", "/ksqldbcm/v2/clusters/{id}", get_with(KSQLDB.find)),
                    Route("DELETE", "/ksqldbcm/v2/clusters/{id}", delete_with(KSQLDB.find, begin_deletion)),
                ])

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scenario 7 of the benchmark: a Kafka cluster deleted with cascade, under a rate limit.

One Kafka cluster with CONNECTORS connectors and KSQLDB ksqlDB clusters on it (fewer in the smoke).
``confluent_kafka_cluster`` with ``cascade: true`` reads the cluster, lists its connectors (one request) and the
environment's ksqlDB clusters (one request per 100), deletes each connector, then each ksqlDB cluster, then the
cluster: first with no rate limit, which gives N (the requests it sends, from the simulator's log) and its wall time,
then under RATE requests per second. Target: wall <= 1.3 x max(N/R, the wall time with no limit), 0 failed, nothing
left (the cluster, its connectors and its ksqlDB clusters gone or being deleted). The figures and targets are those of
the sweep (analysis.analyse_bounded, report.bounded_row).
"""

from __future__ import annotations

from bench_common import API_KEY, API_SECRET, CLUSTER_ID, ENVIRONMENT_ID, connector_names, say

SIZES = {"full": (10, 2), "smoke": (3, 1)}
RATE = 3
DISPLAY_NAME = "bench-cascade"
DELETE_DELAY = 2.0
PLAYBOOK = "cascade.yml"


def size(smoke):
    """(connectors, ksqlDB clusters) on the cluster."""
    return SIZES["smoke" if smoke else "full"]


def ksqldb_ids(count):
    return ["lksqlc-bench%d" % index for index in range(count)]


def seed(smoke, rate_limit):
    connectors, ksqldb = size(smoke)
    cluster = {"id": CLUSTER_ID, "display_name": DISPLAY_NAME,
               "connectors": [{"name": name, "type": "sink", "config": {"connector.class": "S3_SINK"}}
                              for name in connector_names(connectors, "cascade")]}
    return {
        "credentials": [{"api_key": API_KEY, "api_secret": API_SECRET}],
        "rate_limit": {"limit": rate_limit, "window": 1.0},
        "delete_delay": DELETE_DELAY,
        "environments": [{"id": ENVIRONMENT_ID, "display_name": "bench", "clusters": [cluster],
                          "ksqldb_clusters": [{"id": ksql_id, "display_name": "bench-ksql-%d" % index,
                                               "kafka_cluster": CLUSTER_ID}
                                              for index, ksql_id in enumerate(ksqldb_ids(ksqldb))]}],
    }


def left(state):
    """What the cascade was to delete and is still there, not being deleted: the cluster, its connectors (those of a
    cluster being deleted go with it) and the ksqlDB clusters on it."""
    found = 0
    for env in state["environments"]:
        for cluster in env["clusters"]:
            if cluster["id"] == CLUSTER_ID and not cluster.get("deleting"):
                found += 1 + len(cluster["connectors"])
        found += sum(1 for ksql in env.get("ksqldb_clusters") or []
                     if ksql["kafka_cluster"] == CLUSTER_ID and not ksql.get("deleting"))
    return found


def run_cascade(runner, sim, smoke, rep, results, problems):
    """One unlimited and one limited cascade, in an order that rotates with rep."""
    connectors, ksqldb = size(smoke)
    host = {"bench_cluster_name": DISPLAY_NAME}
    for limited in ((True, False) if rep % 2 else (False, True)):
        kind = "limited" if limited else "unlimited"
        sim.seed(seed(smoke, RATE if limited else 0))
        label = "cascade %s run %d" % (kind, rep + 1)
        run = runner.playbook(PLAYBOOK, [host], label, forks=1)
        log = sim.log()
        failed = sum(1 for outcome in run["tasks"][-1]["hosts"].values() if outcome != "ok") if run["tasks"] else 1
        deletes = [entry for entry in log if entry["method"] == "DELETE" and entry["status"] in (200, 204)]
        run.update(requests=len(log), http_429=sum(1 for entry in log if entry["status"] == 429), failed=failed,
                   deleted=len(deletes), left=left(sim.state()))
        results["cascade"][kind].append(run)
        say("    %-44s %6.1f s  requests=%-4d 429s=%-3d deleted=%-3d failed=%-2d left=%d"
            % (label, run["wall"], run["requests"], run["http_429"], run["deleted"], failed, run["left"]))
        expected = connectors + ksqldb + 1
        if run["returncode"] != 0 or failed or run["left"] or run["deleted"] != expected:
            problems.append("%s: exit %s, %d deleted of %d, %d failed, %d left (see %s)"
                            % (label, run["returncode"], run["deleted"], expected, failed, run["left"], run["log"]))
        order = [delete_step(entry["path"]) for entry in deletes]
        if order != sorted(order):
            problems.append("%s: DELETEs out of order (connectors, then ksqlDB clusters, then the cluster): %s"
                            % (label, ", ".join(entry["path"] for entry in deletes)))


def delete_step(path):
    """0 for a connector's DELETE, 1 for a ksqlDB cluster's, 2 for the Kafka cluster's."""
    if path.startswith("/connect/"):
        return 0
    return 1 if path.startswith("/ksqldbcm/") else 2

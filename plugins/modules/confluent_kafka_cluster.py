#!/usr/bin/python
# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: confluent_kafka_cluster
short_description: Delete a Confluent Cloud Kafka cluster
version_added: 0.2.0
description:
  - Ensures that a Kafka cluster of a Confluent Cloud environment is absent, through the API call
    C(DELETE /cmk/v2/clusters/{id}?environment={environment_id}). The environment stays.
  - B(Deleting a cluster deletes its topics and data.) Use O(display_name) as a safety guard, and check mode with
    C(--diff) to preview, which also lists what uses the cluster, its connectors and the ksqlDB clusters on it
    (RV(contents)).
  - Confluent Cloud refuses (HTTP 409) to delete a cluster that connectors or ksqlDB clusters still use. With
    O(cascade=true) the module deletes them first, connectors then ksqlDB clusters, then the cluster. Without it, a
    409 that names them says that O(cascade=true) would remove them, and nothing is deleted.
  - Confluent Cloud deletes clusters asynchronously. By default the task returns as soon as the API accepted the
    deletion; set O(wait=true) to return only once the cluster is gone.
  - Idempotent. A cluster that does not exist (HTTP 404), or that the API already shows as being deleted, is reported as
    C(ok), not as a failure.
  - A mistyped O(environment_id) also answers 404. So when the cluster is not found, the module asks whether the
    environment exists (one C(GET), only on this path), and warns, still C(ok), when it does not. Confluent may answer
    a request in an unknown environment with 403 instead of 404; such a 403 is C(ok) with the same warning once the
    environment proves missing, and fails otherwise.
  - A cluster with deletion protection on makes the API answer 409; the task fails with the API's message and what to
    do, and nothing is deleted. O(cascade=true) never turns deletion protection off; it reads the cluster first and,
    when protection is on, fails before deleting anything.
  - With O(id) only, in normal mode, without O(cascade), O(wait) or C(--diff), the task sends exactly one request, the
    DELETE. Check mode and C(--diff) read the cluster, its connectors (one request) and the environment's ksqlDB
    clusters (one request per 100). O(cascade=true) reads the same, then sends one DELETE per connector and ksqlDB
    cluster, then the cluster's.
author:
  - kafkaops maintainers (@kafkaops)
options:
  id:
    description:
      - ID of the Kafka cluster, for example V(lkc-x9y8z7).
      - A value that does not start with V(lkc-) is a typo, refused before any request, and nothing is deleted.
    type: str
    required: true
  environment_id:
    description:
      - ID of the environment that holds the cluster, for example V(env-a1b2c3).
      - A value that does not start with V(env-) is a typo, refused before any request, and nothing is deleted.
    type: str
    required: true
  display_name:
    description:
      - A safety guard. The cluster is deleted only if its display name (C(spec.display_name)) is exactly this value;
        otherwise the task fails and deletes nothing.
    type: str
  cascade:
    description:
      - Also delete what keeps Confluent Cloud from deleting the cluster, the cluster's connectors, then the ksqlDB
        clusters whose C(spec.kafka_cluster) is this cluster, then the cluster.
      - Check mode and C(--diff) list everything that would go (RV(contents)) and delete nothing.
      - If a step fails, the task fails, saying what was deleted and what remains; running it again finishes the job.
      - A cluster with deletion protection on fails before anything is deleted.
      - Needs a Cloud API key (O(api_key) and O(api_secret)), since Confluent's ksqlDB API does not accept an access
        token; with O(access_token) the task fails before any DELETE.
    type: bool
    default: false
    version_added: 0.3.0
  state:
    description:
      - V(absent) deletes the cluster.
      - Required, without a default, so that a task that forgets it never deletes anything.
    type: str
    required: true
    choices: [absent]
extends_documentation_fragment:
  - kafkaops.confluent_cloud.wait
  - kafkaops.confluent_cloud.auth
  - kafkaops.confluent_cloud.retries
  - kafkaops.confluent_cloud.attributes
  - kafkaops.confluent_cloud.attributes.absent
seealso:
  - module: kafkaops.confluent_cloud.confluent_kafka_cluster_info
  - module: kafkaops.confluent_cloud.confluent_environment
  - module: kafkaops.confluent_cloud.confluent_connector
  - module: kafkaops.confluent_cloud.confluent_ksqldb_cluster
  - name: Delete a Cluster (Confluent Cloud API reference)
    description: The API operation this module calls.
    link: https://docs.confluent.io/cloud/current/api.html#tag/Clusters-(cmkv2)/operation/deleteCmkV2Cluster
"""

EXAMPLES = r"""
- name: Delete a Kafka cluster and keep its environment
  kafkaops.confluent_cloud.confluent_kafka_cluster:
    id: lkc-x9y8z7
    environment_id: env-a1b2c3
    state: absent
  delegate_to: localhost

- name: Delete lkc-x9y8z7 only if it is the load-test cluster, and wait until it is gone
  kafkaops.confluent_cloud.confluent_kafka_cluster:
    id: lkc-x9y8z7
    environment_id: env-a1b2c3
    display_name: load-test
    state: absent
    wait: true
  delegate_to: localhost

- name: Preview what uses it (connectors, ksqlDB clusters)
  kafkaops.confluent_cloud.confluent_kafka_cluster:
    id: lkc-x9y8z7
    environment_id: env-a1b2c3
    state: absent
  check_mode: true
  delegate_to: localhost
  register: preview

- name: Delete its connectors, then its ksqlDB clusters, then the cluster
  kafkaops.confluent_cloud.confluent_kafka_cluster:
    id: lkc-x9y8z7
    environment_id: env-a1b2c3
    display_name: ci-kafka
    cascade: true
    state: absent
  delegate_to: localhost
"""

RETURN = r"""
kafka_cluster:
  description:
    - The cluster. When the module looked it up (O(display_name), check mode, C(--diff) or O(wait)), the object as the
      API returned it before deletion; otherwise only O(id) and O(environment_id).
  returned: always
  type: dict
  sample:
    api_version: cmk/v2
    kind: Cluster
    id: lkc-x9y8z7
    metadata:
      self: https://api.confluent.cloud/cmk/v2/clusters/lkc-x9y8z7
      created_at: "2026-11-29T03:04:05Z"
    spec:
      display_name: load-test
      availability: SINGLE_ZONE
      cloud: AWS
      region: us-east-2
      config:
        kind: Basic
      environment:
        id: env-a1b2c3
    status:
      phase: PROVISIONED
contents:
  description:
    - What uses the cluster, listed before the deletion; with O(cascade=true), what the task deletes (or would delete)
      before the cluster. Also shown under the diff's C(before).
  returned: in check mode or with C(--diff), when the cluster exists; with O(cascade=true), whenever it existed
  type: dict
  contains:
    connectors:
      description: The cluster's connectors.
      type: list
      elements: dict
      contains:
        name:
          description: Name of the connector.
          type: str
        id:
          description: ID of the connector (C(lcc-...)).
          type: str
        state:
          description: State of the connector.
          type: str
    ksqldb_clusters:
      description:
        - The ksqlDB clusters that run on the cluster, not counting those already being deleted.
        - Null with an access token, which Confluent's ksqlDB API does not accept; a warning says so.
      type: list
      elements: dict
      contains:
        id:
          description: ID of the ksqlDB cluster (C(lksqlc-...)).
          type: str
        display_name:
          description: Display name of the ksqlDB cluster.
          type: str
        kafka_cluster_id:
          description: ID of the Kafka cluster it runs on, this one.
          type: str
  sample:
    connectors:
      - name: orders-s3-sink
        id: lcc-a1b2c3
        state: RUNNING
    ksqldb_clusters:
      - id: lksqlc-a1b2c3
        display_name: orders-ksql
        kafka_cluster_id: lkc-x9y8z7
retries:
  description: How many retries the module made after a retryable answer or a connection failure.
  returned: always
  type: int
  sample: 0
retry_wait:
  description: Seconds spent waiting between retries, in all (not counting O(wait) polling).
  returned: always
  type: float
  sample: 0.0
rate_limit_wait:
  description:
    - Seconds spent waiting before sending, for the rate-limit budget that runs sharing this API key on the same
      host (forks, parallel jobs) had used up, as the API's C(X-RateLimit-*) headers announced, and for the pace the
      host keeps while answers of 429 show that runs elsewhere spend the same budget.
  returned: always
  type: float
  sample: 0.0
status:
  description: HTTP status of the failed request.
  returned: failure, when the API answered
  type: int
  sample: 409
request_id:
  description: The C(X-Request-Id) of the failed request, for Confluent support.
  returned: failure, when the API answered
  type: str
  sample: 2c7a3f0e-8c1b-4e0f-9d4e-0c6f8a1b2c3d
error:
  description: The API's error body as parsed JSON, or null when the body was not JSON.
  returned: failure, when the API answered
  type: dict
  sample:
    errors:
      - status: "409"
        code: resource_conflict
        title: Conflict
        detail: Cluster deletion protection is enabled.
"""

import re

from ..module_utils._absent import InEnvironmentAbsent
from ..module_utils._api import (
    KAFKA_CLUSTERS,
    KSQLDB_CLUSTERS,
    delete_connector,
    ksqldb_clusters_of,
    list_connectors,
)
from ..module_utils._errors import ApiError, TaskFailure

PROTECTION_HINT = (
    "Nothing was deleted. Turn the cluster's deletion protection off, or delete what blocks the deletion first, "
    "then run the task again"
)
# Confluent names what uses the cluster ("connect clusters", connectors, ksqlDB clusters) in the 409's message.
BLOCKERS = re.compile(r"connect|ksql", re.IGNORECASE)
BLOCKED_HINT = (
    "Nothing was deleted. cascade=true deletes the cluster's connectors, then its ksqlDB clusters, then the cluster"
)


class KafkaClusterAbsent(InEnvironmentAbsent):
    resource_key = "kafka_cluster"
    collection = KAFKA_CLUSTERS
    id_prefixes = dict(id="lkc-", environment_id="env-")

    @classmethod
    def argument_spec(cls):
        return dict(super().argument_spec(), cascade=dict(type="bool", default=False))

    def needs_lookup(self):
        # A cascade reads the cluster first, so that deletion protection keeps everything that uses the cluster.
        return self.params["cascade"] or super().needs_lookup()

    def ensure_deletable(self, cluster):
        if not self.params["cascade"]:
            return
        if (cluster.get("spec") or {}).get("deletion_protection"):
            raise TaskFailure(
                "Kafka cluster %s has deletion protection on (spec.deletion_protection), and cascade never turns it "
                "off. Nothing was deleted, neither the cluster nor what uses it: turn deletion protection off first, "
                "then run the task again." % cluster["id"])
        refusal = KSQLDB_CLUSTERS.refusal(self.client)
        if refusal:
            raise TaskFailure("cascade must list the ksqlDB clusters that use Kafka cluster %s, and %s. Nothing was "
                              "deleted." % (cluster["id"], refusal))

    def preview(self, cluster):
        """What uses the cluster, in the order a cascade deletes it: connectors, then ksqlDB clusters."""
        environment_id = self.params["environment_id"]
        connectors = list_connectors(self.client, environment_id, cluster["id"]) or []
        ksqldb = ksqldb_clusters_of(self.client, environment_id, cluster["id"])
        if ksqldb is None:
            self.module.warn("The ksqlDB clusters that use Kafka cluster %s are not listed: %s."
                             % (cluster["id"], KSQLDB_CLUSTERS.refusal(self.client)))
        return dict(connectors=[dict(name=c["name"], id=c["id"], state=c["state"]) for c in connectors],
                    ksqldb_clusters=ksqldb)

    def delete(self, cluster):
        deleted_along = self.delete_what_uses(cluster) if self.params["cascade"] else None
        try:
            return super().delete(cluster)
        except ApiError as exc:
            if exc.status == 409:
                blocked = BLOCKERS.search(exc.message or "") and not self.params["cascade"]
                exc.add_hint(BLOCKED_HINT if blocked else PROTECTION_HINT)
            if deleted_along is not None:
                exc.add_hint(cascade_progress(deleted_along, ["the Kafka cluster %s" % self.resource_id(cluster)]))
            raise

    def delete_what_uses(self, cluster):
        """Delete the cluster's connectors, then its ksqlDB clusters, and say which; a failure says what went and what
        remains."""
        if self.contents is None:
            self.contents = self.preview(cluster)
        environment_id = self.params["environment_id"]
        steps = [("connector %s" % c["name"],
                  lambda c=c: delete_connector(self.client, environment_id, cluster["id"], c["name"]))
                 for c in self.contents["connectors"]]
        steps += [("ksqlDB cluster %s" % k["id"],
                   lambda k=k: KSQLDB_CLUSTERS.delete(self.client, k["id"], environment_id))
                  for k in self.contents["ksqldb_clusters"]]
        done = []
        for number, (what, step) in enumerate(steps):
            try:
                if step().status != 404:
                    self.changed = True
            except ApiError as exc:
                exc.add_hint(cascade_progress(done, [name for name, dummy in steps[number:]]
                                              + ["the Kafka cluster %s" % cluster["id"]]))
                raise
            done.append(what)
        return done


def cascade_progress(done, remaining):
    return "The cascade stopped: deleted %s; still there: %s. Run the task again to finish" % (
        ", ".join(done) or "nothing", ", ".join(remaining))


def main():
    KafkaClusterAbsent.run_module()


if __name__ == "__main__":
    main()

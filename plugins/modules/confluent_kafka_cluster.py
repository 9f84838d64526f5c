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
  - B(Deleting a cluster deletes its topics, data and connectors.) Use O(display_name) as a safety guard, and check
    mode with C(--diff) to preview, which also lists the cluster's connectors (RV(contents)).
  - Confluent Cloud deletes clusters asynchronously. By default the task returns as soon as the API accepted the
    deletion; set O(wait=true) to return only once the cluster is gone.
  - Idempotent. A cluster that does not exist (HTTP 404), or that the API already shows as being deleted, is reported as
    C(ok), not as a failure.
  - A mistyped O(environment_id) also answers 404. So when the cluster is not found, the module asks whether the
    environment exists (one C(GET), only on this path), and warns, still C(ok), when it does not. Confluent may answer
    a request in an unknown environment with 403 instead of 404; such a 403 is C(ok) with the same warning once the
    environment proves missing, and fails otherwise.
  - A cluster with deletion protection on, or with resources that block its deletion, makes the API answer 409; the
    task fails with the API's message and what to do, and nothing is deleted.
  - With O(id) only, in normal mode, without O(wait) or C(--diff), the task sends exactly one request, the DELETE.
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

- name: Preview what deleting it takes with it
  kafkaops.confluent_cloud.confluent_kafka_cluster:
    id: lkc-x9y8z7
    environment_id: env-a1b2c3
    state: absent
  check_mode: true
  delegate_to: localhost
  register: preview
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
  description: What deleting the cluster would take with it, listed before the deletion. Also shown under the diff's
    C(before).
  returned: in check mode or with C(--diff), when the cluster exists
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
  sample:
    connectors:
      - name: orders-s3-sink
        id: lcc-a1b2c3
        state: RUNNING
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

from ..module_utils._absent import AbsentResource, wait_argument_spec
from ..module_utils._api import KAFKA_CLUSTERS, list_connectors
from ..module_utils._errors import ApiError

CONFLICT_HINT = (
    "Nothing was deleted. Turn the cluster's deletion protection off, or delete what blocks the deletion first, "
    "then run the task again"
)


class KafkaClusterAbsent(AbsentResource):
    resource_key = "kafka_cluster"
    collection = KAFKA_CLUSTERS
    path_options = ("id", "environment_id")
    id_prefixes = dict(id="lkc-", environment_id="env-")
    parent_options = ("environment_id",)
    guard_options = ("display_name",)
    text_options = ("display_name",)

    @classmethod
    def argument_spec(cls):
        return dict(
            id=dict(type="str", required=True),
            environment_id=dict(type="str", required=True),
            display_name=dict(type="str"),
            state=dict(type="str", required=True, choices=["absent"]),
            **wait_argument_spec()
        )

    def identity(self):
        return dict(id=self.params["id"], environment_id=self.params["environment_id"])

    def delete(self, resource):
        try:
            return super().delete(resource)
        except ApiError as exc:
            if exc.status == 409:
                exc.add_hint(CONFLICT_HINT)
            raise

    def preview(self, cluster):
        """The connectors that go with the cluster."""
        connectors = list_connectors(self.client, self.params["environment_id"], cluster["id"]) or []
        return dict(connectors=[dict(name=c["name"], id=c["id"], state=c["state"]) for c in connectors])


def main():
    KafkaClusterAbsent.run_module()


if __name__ == "__main__":
    main()

#!/usr/bin/python
# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: confluent_kafka_cluster_info
short_description: List the Kafka clusters of a Confluent Cloud environment
version_added: 0.2.0
description:
  - Returns the Kafka clusters of one environment, through C(GET /cmk/v2/clusters?environment={environment_id}),
    every page (100 clusters a request), optionally narrowed by O(id) or O(display_name).
  - With O(id), one request, C(GET /cmk/v2/clusters/{id}?environment={environment_id}).
  - An environment or cluster that does not exist gives an empty list, not a failure.
author:
  - kafkaops maintainers (@kafkaops)
options:
  environment_id:
    description:
      - ID of the environment, for example V(env-a1b2c3).
      - A value that does not start with V(env-) is a typo, refused before any request.
    type: str
    required: true
  id:
    description:
      - Only the cluster with this ID, for example V(lkc-x9y8z7).
      - A value that does not start with V(lkc-) is a typo, refused before any request.
    type: str
  display_name:
    description:
      - Only the clusters whose display name (C(spec.display_name)) is B(exactly) this value.
    type: str
extends_documentation_fragment:
  - kafkaops.confluent_cloud.auth
  - kafkaops.confluent_cloud.retries
  - kafkaops.confluent_cloud.attributes
  - kafkaops.confluent_cloud.attributes.info
seealso:
  - module: kafkaops.confluent_cloud.confluent_environment_info
  - module: kafkaops.confluent_cloud.confluent_connector_info
  - name: List of Clusters (Confluent Cloud API reference)
    description: The API operation this module calls.
    link: https://docs.confluent.io/cloud/current/api.html#tag/Clusters-(cmkv2)/operation/listCmkV2Clusters
"""

EXAMPLES = r"""
- name: List the Kafka clusters of an environment
  kafkaops.confluent_cloud.confluent_kafka_cluster_info:
    environment_id: env-a1b2c3
  delegate_to: localhost
  register: clusters

- name: Show their IDs, names and phases
  ansible.builtin.debug:
    msg: "{{ item.id }} {{ item.spec.display_name }} {{ item.status.phase }}"
  loop: "{{ clusters.clusters }}"

- name: Find the cluster called orders
  kafkaops.confluent_cloud.confluent_kafka_cluster_info:
    environment_id: env-a1b2c3
    display_name: orders
  delegate_to: localhost
  register: orders
"""

RETURN = r"""
clusters:
  description:
    - The matching Kafka clusters as the API returns them (C(id), C(metadata), C(spec) and C(status)), in the API's
      order, each with C(display_name) added, a copy of C(spec.display_name).
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: ID of the cluster.
      type: str
    display_name:
      description: Display name of the cluster (from C(spec.display_name)).
      type: str
    spec:
      description: The cluster's specification, as the API returns it.
      type: dict
    status:
      description: The cluster's status, such as C(phase), as the API returns it.
      type: dict
  sample:
    - api_version: cmk/v2
      kind: Cluster
      id: lkc-x9y8z7
      display_name: orders
      metadata:
        self: https://api.confluent.cloud/cmk/v2/clusters/lkc-x9y8z7
        resource_name: crn://confluent.cloud/organization=1111aaaa-11aa-11aa-11aa-111111aaaaaa/environment=env-a1b2c3/cloud-cluster=lkc-x9y8z7
        created_at: "2026-11-29T03:04:05Z"
        updated_at: "2026-11-29T03:04:05Z"
      spec:
        display_name: orders
        availability: SINGLE_ZONE
        cloud: AWS
        region: us-east-2
        config:
          kind: Basic
        kafka_bootstrap_endpoint: SASL_SSL://pkc-00000.us-east-2.aws.confluent.cloud:9092
        http_endpoint: https://pkc-00000.us-east-2.aws.confluent.cloud:443
        environment:
          id: env-a1b2c3
          related: https://api.confluent.cloud/org/v2/environments/env-a1b2c3
          resource_name: crn://confluent.cloud/organization=1111aaaa-11aa-11aa-11aa-111111aaaaaa/environment=env-a1b2c3
      status:
        phase: PROVISIONED
retries:
  description: How many retries the module made after a retryable answer or a connection failure.
  returned: always
  type: int
  sample: 0
retry_wait:
  description: Seconds spent waiting between retries, in all.
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
"""

from ..module_utils._api import KAFKA_CLUSTERS, display_name, get_in_environment, list_in_environment
from ..module_utils._info import InfoQuery


class KafkaClusterInfo(InfoQuery):
    result_key = "clusters"
    path_options = ("environment_id", "id")
    id_prefixes = dict(environment_id="env-", id="lkc-")
    text_options = ("display_name",)

    @classmethod
    def argument_spec(cls):
        return dict(
            environment_id=dict(type="str", required=True),
            id=dict(type="str"),
            display_name=dict(type="str"),
        )

    def query(self):
        environment_id = self.params["environment_id"]
        if self.params["id"] is not None:
            cluster = get_in_environment(self.client, KAFKA_CLUSTERS, self.params["id"], environment_id)
            clusters = [cluster] if cluster is not None else []
        else:
            clusters = list_in_environment(self.client, KAFKA_CLUSTERS, environment_id)
        name = self.params["display_name"]
        return [dict(cluster, display_name=display_name(cluster)) for cluster in clusters
                if name is None or display_name(cluster) == name]


def main():
    KafkaClusterInfo.run_module()


if __name__ == "__main__":
    main()

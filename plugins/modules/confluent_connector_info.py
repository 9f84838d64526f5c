#!/usr/bin/python
# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: confluent_connector_info
short_description: List the managed connectors of a Confluent Cloud Kafka cluster, with their IDs and states
version_added: 0.2.0
description:
  - Returns the managed connectors of one Kafka cluster, with their ID (C(lcc-...)), type, state, tasks and
    configuration, in B(one) request,
    C(GET /connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors?expand=id,info,status).
  - Optionally narrowed by O(name), O(id) or O(state).
  - A cluster or environment that does not exist gives an empty list, not a failure.
  - The configuration is returned as the API returns it, with the secret values it masks still masked.
author:
  - kafkaops maintainers (@kafkaops)
options:
  environment_id:
    description:
      - ID of the environment that holds the Kafka cluster, for example V(env-a1b2c3).
      - A value that does not start with V(env-) is a typo, refused before any request.
    type: str
    required: true
  kafka_cluster_id:
    description:
      - ID of the Kafka cluster, for example V(lkc-x9y8z7).
      - A value that does not start with V(lkc-) is a typo, refused before any request.
    type: str
    required: true
  name:
    description:
      - Only the connector with this name.
    type: str
    aliases: [connector_name]
  id:
    description:
      - Only the connector with this ID, for example V(lcc-a1b2c3).
      - A value that does not start with V(lcc-) is a typo, refused before any request.
    type: str
  state:
    description:
      - Only the connectors in one of these states.
    type: list
    elements: str
    choices: [NONE, PROVISIONING, RUNNING, DEGRADED, FAILED, PAUSED, DELETED]
extends_documentation_fragment:
  - kafkaops.confluent_cloud.auth
  - kafkaops.confluent_cloud.retries
  - kafkaops.confluent_cloud.attributes
  - kafkaops.confluent_cloud.attributes.info
seealso:
  - module: kafkaops.confluent_cloud.confluent_connector
  - module: kafkaops.confluent_cloud.confluent_kafka_cluster_info
  - name: List of Connectors with expansions (Confluent Cloud API reference)
    description: The API operation this module calls.
    link: https://docs.confluent.io/cloud/current/api.html#tag/Connectors-(connectv1)/operation/listConnectv1ConnectorsWithExpansions
"""

EXAMPLES = r"""
- name: List the connectors of a cluster
  kafkaops.confluent_cloud.confluent_connector_info:
    environment_id: env-a1b2c3
    kafka_cluster_id: lkc-x9y8z7
  delegate_to: localhost
  register: connectors

- name: Find the connectors that are failing
  kafkaops.confluent_cloud.confluent_connector_info:
    environment_id: env-a1b2c3
    kafka_cluster_id: lkc-x9y8z7
    state: [FAILED, DEGRADED]
  delegate_to: localhost
  register: broken

- name: Delete them by ID
  kafkaops.confluent_cloud.confluent_connector:
    id: "{{ item.id }}"
    environment_id: env-a1b2c3
    kafka_cluster_id: lkc-x9y8z7
    state: absent
  loop: "{{ broken.connectors }}"
  loop_control:
    label: "{{ item.id }} {{ item.name }} {{ item.state }}"
  delegate_to: localhost
"""

RETURN = r"""
connectors:
  description: The matching connectors, sorted by name.
  returned: success
  type: list
  elements: dict
  contains:
    name:
      description: Name of the connector.
      type: str
    id:
      description: ID of the connector (C(lcc-...)).
      type: str
    type:
      description: V(source) or V(sink).
      type: str
    state:
      description: State of the connector, such as V(RUNNING), V(FAILED) or V(PAUSED).
      type: str
    trace:
      description: The error the API reports for a failed connector; empty otherwise.
      type: str
    tasks:
      description: The connector's tasks with their states, as the API returns them.
      type: list
      elements: dict
    config:
      description: The connector's configuration as the API returns it; secret values are masked by the API.
      type: dict
    environment_id:
      description: ID of the environment, as given.
      type: str
    kafka_cluster_id:
      description: ID of the Kafka cluster, as given.
      type: str
  sample:
    - name: orders-s3-sink
      id: lcc-a1b2c3
      type: sink
      state: FAILED
      trace: "topics: Provided Kafka ApiKey is invalid"
      tasks:
        - id: 0
          state: FAILED
          worker_id: orders-s3-sink
      config:
        connector.class: S3_SINK
        kafka.api.key: "****************"
        kafka.api.secret: "****************"
        name: orders-s3-sink
        topics: orders
      environment_id: env-a1b2c3
      kafka_cluster_id: lkc-x9y8z7
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

from ..module_utils._api import list_connectors
from ..module_utils._info import InfoQuery


class ConnectorInfo(InfoQuery):
    result_key = "connectors"
    path_options = ("environment_id", "kafka_cluster_id")
    id_prefixes = dict(environment_id="env-", kafka_cluster_id="lkc-", id="lcc-")
    text_options = ("name", "id")

    @classmethod
    def argument_spec(cls):
        return dict(
            environment_id=dict(type="str", required=True),
            kafka_cluster_id=dict(type="str", required=True),
            name=dict(type="str", aliases=["connector_name"]),
            id=dict(type="str"),
            state=dict(type="list", elements="str",
                       choices=["NONE", "PROVISIONING", "RUNNING", "DEGRADED", "FAILED", "PAUSED", "DELETED"]),
        )

    def query(self):
        scope = dict(environment_id=self.params["environment_id"], kafka_cluster_id=self.params["kafka_cluster_id"])
        wanted = dict((option, self.params[option]) for option in ("name", "id") if self.params[option] is not None)
        states = self.params["state"]
        return [
            dict(connector, **scope)
            for connector in list_connectors(self.client, **scope) or []
            if all(connector[key] == value for key, value in wanted.items())
            and (states is None or connector["state"] in states)
        ]


def main():
    ConnectorInfo.run_module()


if __name__ == "__main__":
    main()

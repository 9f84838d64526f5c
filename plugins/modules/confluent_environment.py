#!/usr/bin/python
# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: confluent_environment
short_description: Delete a Confluent Cloud environment
version_added: 0.1.0
description:
  - Ensures that a Confluent Cloud environment is absent, through the API call C(DELETE /org/v2/environments/{id}).
  - B(Deleting an environment deletes everything in it), recursively, including all Kafka clusters and connectors.
    Use O(id) together with O(display_name) as a safety guard, and check mode with C(--diff) to preview.
  - Confluent Cloud deletes environments asynchronously. By default the task returns as soon as the API accepted the
    deletion; set O(wait=true) to return only once the environment is gone.
  - Idempotent. An environment that does not exist (HTTP 404), or that the API already shows as being deleted, is
    reported as C(ok), not as a failure.
  - With O(id) only, in normal mode, without O(wait) or C(--diff), the task sends exactly one request, the DELETE.
    Running that task again while Confluent Cloud is still deleting the environment sends another DELETE, which the API
    may accept again and which is then reported as changed. Use O(wait=true) to return only once it is gone; look-ups
    (O(display_name), check mode, C(--diff)) see a pending deletion and report C(ok).
  - In check mode and with C(--diff), the module also lists what the deletion would take with it (RV(contents)), the
    environment's Kafka clusters and their connectors, its ksqlDB clusters and its Flink compute pools, at the cost of
    one request per 100 Kafka clusters, one per Kafka cluster, one per 100 ksqlDB clusters and one per 100 compute
    pools. Normal mode without C(--diff) sends nothing more.
author:
  - kafkaops maintainers (@kafkaops)
options:
  id:
    description:
      - ID of the environment, for example V(env-a1b2c3).
      - A value that does not start with V(env-) is a typo, refused before any request, and nothing is deleted.
      - At least one of O(id) and O(display_name) is required.
    type: str
  display_name:
    description:
      - Display name of the environment.
      - Alone, the module lists all environments (every page) and picks the one whose display name is B(exactly) this
        value (no substring or case-insensitive match). None is success (already absent); more than one fails, naming
        their IDs, and deletes nothing.
      - With O(id), a safety guard. The environment O(id) is deleted only if its display name is exactly this value;
        otherwise the task fails and deletes nothing.
      - Empty or whitespace-only values, control characters and values longer than 1024 characters are refused before
        any request.
    type: str
  state:
    description:
      - V(absent) deletes the environment.
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
  - module: kafkaops.confluent_cloud.confluent_environment_info
  - module: kafkaops.confluent_cloud.confluent_connector
  - name: Delete an Environment (Confluent Cloud API reference)
    description: The API operation this module calls.
    link: https://docs.confluent.io/cloud/current/api.html#tag/Environments-(orgv2)/operation/deleteOrgV2Environment
  - name: Confluent Cloud API rate limits
    description: How Confluent Cloud limits requests per API key.
    link: https://docs.confluent.io/cloud/current/api.html#section/Rate-Limiting
"""

EXAMPLES = r"""
- name: Delete an environment by ID
  kafkaops.confluent_cloud.confluent_environment:
    id: env-a1b2c3
    state: absent
  delegate_to: localhost

- name: Delete the environment called staging, and wait until it is gone
  kafkaops.confluent_cloud.confluent_environment:
    display_name: staging
    state: absent
    wait: true
    wait_timeout: 900
  delegate_to: localhost

- name: Delete env-a1b2c3 only if it really is the CI environment (safety guard)
  kafkaops.confluent_cloud.confluent_environment:
    id: env-a1b2c3
    display_name: ci-ephemeral-42
    state: absent
  delegate_to: localhost

- name: Preview what deleting the environment would take with it
  kafkaops.confluent_cloud.confluent_environment:
    id: env-a1b2c3
    state: absent
  check_mode: true
  delegate_to: localhost
  register: preview

- name: Show the Kafka clusters and connectors that would go
  ansible.builtin.debug:
    msg: >-
      {{ preview.contents.kafka_clusters | length }} Kafka clusters and
      {{ preview.contents.connectors | length }} connectors would be deleted:
      {{ preview.contents.connectors | map(attribute='name') | join(', ') }}

- name: Credentials from a short-lived access token
  kafkaops.confluent_cloud.confluent_environment:
    id: env-a1b2c3
    access_token: "{{ confluent_access_token }}"
    state: absent
  delegate_to: localhost
"""

RETURN = r"""
environment:
  description:
    - The environment. When the module looked it up (O(display_name), check mode, C(--diff) or O(wait)), the object
      as the API returned it before deletion; otherwise only its O(id).
    - When O(display_name) matched nothing, only O(display_name).
  returned: always
  type: dict
  sample:
    api_version: org/v2
    kind: Environment
    id: env-a1b2c3
    display_name: staging
    metadata:
      self: https://api.confluent.cloud/org/v2/environments/env-a1b2c3
      resource_name: crn://confluent.cloud/organization=1111aaaa-11aa-11aa-11aa-111111aaaaaa/environment=env-a1b2c3
      created_at: "2026-01-02T03:04:05Z"
      updated_at: "2026-01-02T03:04:05Z"
    stream_governance_config:
      package: ESSENTIALS
contents:
  description:
    - What deleting the environment would take with it, listed before the deletion. Also shown under the diff's
      C(before).
  returned: in check mode or with C(--diff), when the environment exists
  type: dict
  contains:
    kafka_clusters:
      description: The environment's Kafka clusters.
      type: list
      elements: dict
      contains:
        id:
          description: ID of the cluster.
          type: str
        display_name:
          description: Display name of the cluster.
          type: str
    connectors:
      description: The connectors of those clusters.
      type: list
      elements: dict
      contains:
        name:
          description: Name of the connector.
          type: str
        id:
          description: ID of the connector (C(lcc-...)).
          type: str
        kafka_cluster_id:
          description: ID of the cluster that runs it.
          type: str
        state:
          description: State of the connector, such as C(RUNNING) or C(FAILED).
          type: str
    ksqldb_clusters:
      description:
        - The environment's ksqlDB clusters.
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
          description: ID of the Kafka cluster it runs on.
          type: str
    flink_compute_pools:
      description: The environment's Flink compute pools; the Flink SQL statements running on them stop.
      type: list
      elements: dict
      contains:
        id:
          description: ID of the compute pool (C(lfcp-...)).
          type: str
        display_name:
          description: Display name of the compute pool.
          type: str
  sample:
    kafka_clusters:
      - id: lkc-x9y8z7
        display_name: orders
    connectors:
      - name: orders-s3-sink
        id: lcc-a1b2c3
        kafka_cluster_id: lkc-x9y8z7
        state: RUNNING
    ksqldb_clusters:
      - id: lksqlc-a1b2c3
        display_name: orders-ksql
        kafka_cluster_id: lkc-x9y8z7
    flink_compute_pools:
      - id: lfcp-a1b2c3
        display_name: orders-flink
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
      - id: 2c7a3f0e-8c1b-4e0f-9d4e-0c6f8a1b2c3d
        status: "409"
        code: resource_conflict
        title: Conflict
        detail: The environment still has resources that must be deleted first.
"""

from ..module_utils._absent import AbsentResource, wait_argument_spec
from ..module_utils._api import (
    ENVIRONMENTS,
    FLINK_COMPUTE_POOLS,
    KAFKA_CLUSTERS,
    KSQLDB_CLUSTERS,
    display_name,
    ksqldb_clusters_of,
    list_connectors,
    list_in_environment,
)


class EnvironmentAbsent(AbsentResource):
    resource_key = "environment"
    collection = ENVIRONMENTS
    path_options = ("id",)
    id_prefixes = dict(id="env-")
    guard_options = ("display_name",)
    text_options = ("display_name",)

    @classmethod
    def argument_spec(cls):
        return dict(
            id=dict(type="str"),
            display_name=dict(type="str"),
            state=dict(type="str", required=True, choices=["absent"]),
            **wait_argument_spec()
        )

    @classmethod
    def module_kwargs(cls):
        return dict(required_one_of=[("id", "display_name")])

    def identity(self):
        if self.params["id"] is not None:
            return dict(id=self.params["id"])
        return dict(display_name=self.params["display_name"])

    def fetch(self):
        if self.params["id"] is not None:
            return super().fetch()
        name = self.params["display_name"]
        return self.only_match([env for env in ENVIRONMENTS.list(self.client) or [] if display_name(env) == name])

    def preview(self, environment):
        """What goes with the environment: Kafka clusters and their connectors, ksqlDB clusters, Flink compute pools."""
        clusters = list_in_environment(self.client, KAFKA_CLUSTERS, environment["id"])
        connectors = []
        for cluster in clusters:
            for connector in list_connectors(self.client, environment["id"], cluster["id"]) or []:
                connectors.append(dict(name=connector["name"], id=connector["id"], kafka_cluster_id=cluster["id"],
                                       state=connector["state"]))
        ksqldb = ksqldb_clusters_of(self.client, environment["id"])
        if ksqldb is None:
            self.module.warn("The ksqlDB clusters of environment %s are not listed: %s."
                             % (environment["id"], KSQLDB_CLUSTERS.refusal(self.client)))
        pools = list_in_environment(self.client, FLINK_COMPUTE_POOLS, environment["id"])
        return dict(
            kafka_clusters=[dict(id=cluster["id"], display_name=display_name(cluster)) for cluster in clusters],
            connectors=connectors,
            ksqldb_clusters=ksqldb,
            flink_compute_pools=[dict(id=pool["id"], display_name=display_name(pool)) for pool in pools],
        )


def main():
    EnvironmentAbsent.run_module()


if __name__ == "__main__":
    main()

#!/usr/bin/python
# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: confluent_ksqldb_cluster
short_description: Delete a Confluent Cloud ksqlDB cluster
version_added: 0.3.0
description:
  - Ensures that a ksqlDB cluster of a Confluent Cloud environment is absent, through the API call
    C(DELETE /ksqldbcm/v2/clusters/{id}?environment={environment_id}). Its Kafka cluster and environment stay.
  - B(Deleting a ksqlDB cluster stops its persistent queries and deletes its streams, tables and internal topics.)
    Use O(display_name) as a safety guard, and check mode with C(--diff) to preview.
  - A Kafka cluster with ksqlDB clusters on it cannot be deleted (HTTP 409). Delete them first, or use
    M(kafkaops.confluent_cloud.confluent_kafka_cluster) with
    O(kafkaops.confluent_cloud.confluent_kafka_cluster#module:cascade=true).
  - Confluent Cloud deletes ksqlDB clusters asynchronously. By default the task returns as soon as the API accepted
    the deletion; set O(wait=true) to return only once the cluster is gone.
  - Idempotent. A ksqlDB cluster that does not exist (HTTP 404) is reported as C(ok), not as a failure. When it is
    not found, the module asks whether the environment exists (one C(GET), only on this path), and warns, still
    C(ok), when it does not; a mistyped O(environment_id) looks the same as a cluster already deleted otherwise.
  - Confluent's ksqlDB API accepts only a Cloud API key (O(api_key) and O(api_secret)), not an access token; with
    O(access_token) the task fails before any request.
  - With O(id) only, in normal mode, without O(wait) or C(--diff), the task sends exactly one request, the DELETE.
author:
  - kafkaops maintainers (@kafkaops)
options:
  id:
    description:
      - ID of the ksqlDB cluster, for example V(lksqlc-a1b2c3).
      - A value that does not start with V(lksqlc-) is a typo, refused before any request, and nothing is deleted.
    type: str
    required: true
  environment_id:
    description:
      - ID of the environment that holds the ksqlDB cluster, for example V(env-a1b2c3).
      - A value that does not start with V(env-) is a typo, refused before any request, and nothing is deleted.
    type: str
    required: true
  display_name:
    description:
      - A safety guard. The ksqlDB cluster is deleted only if its display name (C(spec.display_name)) is exactly this
        value; otherwise the task fails and deletes nothing.
    type: str
  state:
    description:
      - V(absent) deletes the ksqlDB cluster.
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
  - module: kafkaops.confluent_cloud.confluent_ksqldb_cluster_info
  - module: kafkaops.confluent_cloud.confluent_kafka_cluster
  - name: Delete a Cluster (ksqlDB, Confluent Cloud API reference)
    description: The API operation this module calls.
    link: https://docs.confluent.io/cloud/current/api.html#tag/Clusters-(ksqldbcmv2)/operation/deleteKsqldbcmV2Cluster
"""

EXAMPLES = r"""
- name: Delete a ksqlDB cluster, only if it is the CI one, and wait until it is gone
  kafkaops.confluent_cloud.confluent_ksqldb_cluster:
    id: lksqlc-a1b2c3
    environment_id: env-a1b2c3
    display_name: ci-ksql
    state: absent
    wait: true
  delegate_to: localhost
"""

RETURN = r"""
ksqldb_cluster:
  description:
    - The ksqlDB cluster. When the module looked it up (O(display_name), check mode, C(--diff) or O(wait)), the object
      as the API returned it before deletion; otherwise only O(id) and O(environment_id).
  returned: always
  type: dict
  sample:
    api_version: ksqldbcm/v2
    kind: Cluster
    id: lksqlc-a1b2c3
    metadata:
      self: https://api.confluent.cloud/ksqldbcm/v2/clusters/lksqlc-a1b2c3
      created_at: "2026-11-29T03:04:05Z"
    spec:
      display_name: ci-ksql
      csu: 4
      kafka_cluster:
        id: lkc-x9y8z7
      environment:
        id: env-a1b2c3
    status:
      phase: PROVISIONED
      is_paused: false
      storage: 125
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
  sample: 403
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
      - status: "403"
        code: forbidden
        title: Forbidden
"""

from ..module_utils._absent import InEnvironmentAbsent
from ..module_utils._api import KSQLDB_CLUSTERS


class KsqldbClusterAbsent(InEnvironmentAbsent):
    resource_key = "ksqldb_cluster"
    collection = KSQLDB_CLUSTERS
    id_prefixes = dict(id="lksqlc-", environment_id="env-")


def main():
    KsqldbClusterAbsent.run_module()


if __name__ == "__main__":
    main()

#!/usr/bin/python
# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: confluent_flink_compute_pool
short_description: Delete a Confluent Cloud Flink compute pool
version_added: 0.3.0
description:
  - Ensures that a Flink compute pool of a Confluent Cloud environment is absent, through the API call
    C(DELETE /fcpm/v2/compute-pools/{id}?environment={environment_id}). The environment stays.
  - B(Deleting a compute pool stops every Flink SQL statement that runs on it.) Their results stop, and the
    statements are not moved to another pool. Use O(display_name) as a safety guard, and check mode with C(--diff)
    to preview.
  - Confluent Cloud deletes compute pools asynchronously. By default the task returns as soon as the API accepted
    the deletion; set O(wait=true) to return only once the pool is gone.
  - Idempotent. A compute pool that does not exist (HTTP 404), or that the API already shows as being
    deleted (C(DEPROVISIONING)), is reported as C(ok), not as a failure. When it is
    not found, the module asks whether the environment exists (one C(GET), only on this path), and warns, still
    C(ok), when it does not; a mistyped O(environment_id) looks the same as a pool already deleted otherwise.
  - With O(id) only, in normal mode, without O(wait) or C(--diff), the task sends exactly one request, the DELETE.
author:
  - kafkaops maintainers (@kafkaops)
options:
  id:
    description:
      - ID of the Flink compute pool, for example V(lfcp-a1b2c3).
      - A value that does not start with V(lfcp-) is a typo, refused before any request, and nothing is deleted.
    type: str
    required: true
  environment_id:
    description:
      - ID of the environment that holds the compute pool, for example V(env-a1b2c3).
      - A value that does not start with V(env-) is a typo, refused before any request, and nothing is deleted.
    type: str
    required: true
  display_name:
    description:
      - A safety guard. The compute pool is deleted only if its display name (C(spec.display_name)) is exactly this
        value; otherwise the task fails and deletes nothing.
    type: str
  state:
    description:
      - V(absent) deletes the compute pool.
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
  - module: kafkaops.confluent_cloud.confluent_flink_compute_pool_info
  - module: kafkaops.confluent_cloud.confluent_environment
  - name: Delete a Flink Compute Pool (Confluent Cloud API reference)
    description: The API operation this module calls.
    link: https://docs.confluent.io/cloud/current/api.html#tag/Compute-Pools-(fcpmv2)/operation/deleteFcpmV2ComputePool
"""

EXAMPLES = r"""
- name: Delete a compute pool, only if it is the CI one, and wait until it is gone
  kafkaops.confluent_cloud.confluent_flink_compute_pool:
    id: lfcp-a1b2c3
    environment_id: env-a1b2c3
    display_name: ci-flink
    state: absent
    wait: true
  delegate_to: localhost
"""

RETURN = r"""
flink_compute_pool:
  description:
    - The compute pool. When the module looked it up (O(display_name), check mode, C(--diff) or O(wait)), the object
      as the API returned it before deletion; otherwise only O(id) and O(environment_id).
  returned: always
  type: dict
  sample:
    api_version: fcpm/v2
    kind: ComputePool
    id: lfcp-a1b2c3
    metadata:
      self: https://api.confluent.cloud/fcpm/v2/compute-pools/lfcp-a1b2c3
      created_at: "2026-11-29T03:04:05Z"
    spec:
      display_name: ci-flink
      cloud: AWS
      region: us-east-1
      max_cfu: 5
      environment:
        id: env-a1b2c3
    status:
      phase: PROVISIONED
      current_cfu: 0
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

from ..module_utils._absent import InEnvironmentAbsent
from ..module_utils._api import FLINK_COMPUTE_POOLS


class FlinkComputePoolAbsent(InEnvironmentAbsent):
    resource_key = "flink_compute_pool"
    collection = FLINK_COMPUTE_POOLS
    id_prefixes = dict(id="lfcp-", environment_id="env-")


def main():
    FlinkComputePoolAbsent.run_module()


if __name__ == "__main__":
    main()

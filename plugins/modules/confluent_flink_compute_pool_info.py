#!/usr/bin/python
# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: confluent_flink_compute_pool_info
short_description: List the Flink compute pools of a Confluent Cloud environment, by name and age
version_added: 0.3.0
description:
  - Returns the Flink compute pools of one environment, through
    C(GET /fcpm/v2/compute-pools?environment={environment_id}), every page (100 a request), optionally narrowed by
    O(id), O(display_name), O(display_name_regex) and O(older_than).
  - With O(id), one request, C(GET /fcpm/v2/compute-pools/{id}?environment={environment_id}).
  - An environment or compute pool that does not exist gives an empty list, not a failure.
  - Delete what it finds with M(kafkaops.confluent_cloud.confluent_flink_compute_pool).
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
      - Only the compute pool with this ID, for example V(lfcp-a1b2c3).
      - A value that does not start with V(lfcp-) is a typo, refused before any request.
    type: str
extends_documentation_fragment:
  - kafkaops.confluent_cloud.selectors
  - kafkaops.confluent_cloud.auth
  - kafkaops.confluent_cloud.retries
  - kafkaops.confluent_cloud.attributes
  - kafkaops.confluent_cloud.attributes.info
seealso:
  - module: kafkaops.confluent_cloud.confluent_flink_compute_pool
  - module: kafkaops.confluent_cloud.confluent_environment_info
  - name: List of Compute Pools (Confluent Cloud API reference)
    description: The API operation this module calls.
    link: https://docs.confluent.io/cloud/current/api.html#tag/Compute-Pools-(fcpmv2)/operation/listFcpmV2ComputePools
"""

EXAMPLES = r"""
- name: Find the CI Flink compute pools of an environment older than 6 hours
  kafkaops.confluent_cloud.confluent_flink_compute_pool_info:
    environment_id: env-a1b2c3
    display_name_regex: "^ci-"
    older_than: 6h
  delegate_to: localhost
  register: stale

- name: Delete them, each only if it still has the name it was found by
  kafkaops.confluent_cloud.confluent_flink_compute_pool:
    id: "{{ item.id }}"
    environment_id: env-a1b2c3
    display_name: "{{ item.spec.display_name }}"
    state: absent
  loop: "{{ stale.flink_compute_pools }}"
  delegate_to: localhost
"""

RETURN = r"""
flink_compute_pools:
  description:
    - The matching Flink compute pools as the API returns them (C(id), C(metadata), C(spec) and C(status)), sorted oldest
      first, each with C(age_seconds) added.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: ID of the compute pool.
      type: str
    spec:
      description: The compute pool's specification, with its C(display_name), as the API returns it.
      type: dict
    status:
      description: The compute pool's status, such as C(phase), as the API returns it.
      type: dict
    age_seconds:
      description: Seconds since C(metadata.created_at), on the host that runs the module; null without it.
      type: int
  sample:
    - api_version: fcpm/v2
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
      age_seconds: 86500
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

from ..module_utils._api import FLINK_COMPUTE_POOLS
from ..module_utils._info import InEnvironmentInfo


class FlinkComputePoolInfo(InEnvironmentInfo):
    result_key = "flink_compute_pools"
    collection = FLINK_COMPUTE_POOLS
    id_prefixes = dict(environment_id="env-", id="lfcp-")


def main():
    FlinkComputePoolInfo.run_module()


if __name__ == "__main__":
    main()

#!/usr/bin/python
# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: confluent_environment_info
short_description: List Confluent Cloud environments, by name, pattern and age
version_added: 0.2.0
description:
  - Returns the environments of the organisation, through C(GET /org/v2/environments), every page (100 environments
    a request), optionally narrowed by O(id), O(display_name), O(display_name_regex) and O(older_than).
  - With O(id), one request, C(GET /org/v2/environments/{id}); an environment that does not exist gives an empty list,
    not a failure.
  - Environments whose deletion is already under way (C(metadata.deleted_at) set) are left out unless
    O(include_deleting=true).
  - Use it to find what to delete, then pass the IDs to M(kafkaops.confluent_cloud.confluent_environment).
author:
  - kafkaops maintainers (@kafkaops)
options:
  id:
    description:
      - Only the environment with this ID, for example V(env-a1b2c3).
      - A value that does not start with V(env-) is a typo, refused before any request.
    type: str
  include_deleting:
    description:
      - Whether to include environments that Confluent Cloud is already deleting.
    type: bool
    default: false
extends_documentation_fragment:
  - kafkaops.confluent_cloud.selectors
  - kafkaops.confluent_cloud.auth
  - kafkaops.confluent_cloud.retries
  - kafkaops.confluent_cloud.attributes
  - kafkaops.confluent_cloud.attributes.info
seealso:
  - module: kafkaops.confluent_cloud.confluent_environment
  - module: kafkaops.confluent_cloud.confluent_kafka_cluster_info
  - name: List of Environments (Confluent Cloud API reference)
    description: The API operation this module calls.
    link: https://docs.confluent.io/cloud/current/api.html#tag/Environments-(orgv2)/operation/listOrgV2Environments
"""

EXAMPLES = r"""
- name: List every environment of the organisation
  kafkaops.confluent_cloud.confluent_environment_info:
  delegate_to: localhost
  register: all_environments

- name: Find the CI environments older than 6 hours
  kafkaops.confluent_cloud.confluent_environment_info:
    display_name_regex: "^ci-"
    older_than: 6h
  delegate_to: localhost
  register: stale

- name: Delete them, each one only if it still has the name it was found by
  kafkaops.confluent_cloud.confluent_environment:
    id: "{{ item.id }}"
    display_name: "{{ item.display_name }}"
    state: absent
  loop: "{{ stale.environments }}"
  loop_control:
    label: "{{ item.id }} {{ item.display_name }} ({{ (item.age_seconds / 3600) | round(1) }} h old)"
  delegate_to: localhost

- name: Look one environment up by ID (an empty list if it does not exist)
  kafkaops.confluent_cloud.confluent_environment_info:
    id: env-a1b2c3
  delegate_to: localhost
  register: found
"""

RETURN = r"""
environments:
  description:
    - The matching environments as the API returns them, sorted oldest first, each with C(age_seconds) added.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: ID of the environment.
      type: str
    display_name:
      description: Display name of the environment.
      type: str
    metadata:
      description: The API's metadata, including C(created_at), and C(deleted_at) while a deletion is under way.
      type: dict
    age_seconds:
      description: Seconds since C(metadata.created_at), on the host that runs the module; null without it.
      type: int
  sample:
    - api_version: org/v2
      kind: Environment
      id: env-a1b2c3
      display_name: ci-build-1042
      metadata:
        self: https://api.confluent.cloud/org/v2/environments/env-a1b2c3
        resource_name: crn://confluent.cloud/organization=1111aaaa-11aa-11aa-11aa-111111aaaaaa/environment=env-a1b2c3
        created_at: "2026-11-29T03:04:05Z"
        updated_at: "2026-11-29T03:04:05Z"
      stream_governance_config:
        package: ESSENTIALS
      age_seconds: 28800
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

from ..module_utils._api import ENVIRONMENTS, is_being_deleted
from ..module_utils._info import SelectedInfoQuery
from ..module_utils._selectors import selector_argument_spec


class EnvironmentInfo(SelectedInfoQuery):
    result_key = "environments"
    path_options = ("id",)
    id_prefixes = dict(id="env-")

    @classmethod
    def argument_spec(cls):
        return dict(
            id=dict(type="str"),
            include_deleting=dict(type="bool", default=False),
            **selector_argument_spec()
        )

    def candidates(self):
        if self.params["id"] is not None:
            environment = ENVIRONMENTS.get(self.client, self.params["id"])
            environments = [environment] if environment is not None else []
        else:
            environments = ENVIRONMENTS.list(self.client) or []
        if not self.params["include_deleting"]:
            environments = [environment for environment in environments if not is_being_deleted(environment)]
        return environments


def main():
    EnvironmentInfo.run_module()


if __name__ == "__main__":
    main()

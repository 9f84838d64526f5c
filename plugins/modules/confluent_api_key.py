#!/usr/bin/python
# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: confluent_api_key
short_description: Delete a Confluent Cloud API key
version_added: 0.2.0
description:
  - Ensures that a Confluent Cloud API key (a Cloud API key or a resource-specific one, such as a Kafka cluster's) is
    absent, through the API call C(DELETE /iam/v2/api-keys/{id}), for example a key that leaked.
  - The key is named by its ID, which is not a secret. The module never takes or returns a key's secret.
  - It refuses to delete the key that the task itself authenticates with (O(api_key)), and deletes nothing then.
  - Confluent's API keys API accepts only a Cloud API key (O(api_key) and O(api_secret)), not an access token; with
    O(access_token) the task fails before any request.
  - Idempotent. A key that does not exist (HTTP 404) is reported as C(ok), not as a failure.
  - With O(id) only, in normal mode, without C(--diff), the task sends exactly one request, the DELETE.
author:
  - kafkaops maintainers (@kafkaops)
options:
  id:
    description:
      - ID of the API key, for example V(ABCDEFGHIJKLMNOP).
    type: str
    required: true
  owner:
    description:
      - A safety guard. The key is deleted only if its owner (C(spec.owner.id)), a service account (V(sa-...)) or a
        user (V(u-...)), is exactly this value; otherwise the task fails and deletes nothing.
    type: str
  state:
    description:
      - V(absent) deletes the API key.
      - Required, without a default, so that a task that forgets it never deletes anything.
    type: str
    required: true
    choices: [absent]
extends_documentation_fragment:
  - kafkaops.confluent_cloud.auth
  - kafkaops.confluent_cloud.retries
  - kafkaops.confluent_cloud.attributes
  - kafkaops.confluent_cloud.attributes.absent
seealso:
  - module: kafkaops.confluent_cloud.confluent_service_account
  - name: Delete an API Key (Confluent Cloud API reference)
    description: The API operation this module calls.
    link: https://docs.confluent.io/cloud/current/api.html#tag/API-Keys-(iamv2)/operation/deleteIamV2ApiKey
"""

EXAMPLES = r"""
- name: Delete a leaked API key
  kafkaops.confluent_cloud.confluent_api_key:
    id: ABCDEFGHIJKLMNOP
    state: absent
  delegate_to: localhost

- name: Delete the key only if it belongs to the CI service account
  kafkaops.confluent_cloud.confluent_api_key:
    id: ABCDEFGHIJKLMNOP
    owner: sa-a1b2c3
    state: absent
  delegate_to: localhost
"""

RETURN = r"""
api_key:
  description:
    - The API key, without any secret. When the module looked it up (O(owner), check mode or C(--diff)), the object as
      the API returned it before deletion; otherwise only O(id).
  returned: always
  type: dict
  sample:
    api_version: iam/v2
    kind: ApiKey
    id: ABCDEFGHIJKLMNOP
    metadata:
      self: https://api.confluent.cloud/iam/v2/api-keys/ABCDEFGHIJKLMNOP
      created_at: "2026-11-29T03:04:05Z"
    spec:
      display_name: ci kafka key
      description: Kafka access for CI
      owner:
        id: sa-a1b2c3
        kind: ServiceAccount
      resource:
        id: lkc-x9y8z7
        kind: Cluster
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

from ..module_utils._absent import AbsentResource
from ..module_utils._api import API_KEYS, without_secret
from ..module_utils._errors import TaskFailure


class ApiKeyAbsent(AbsentResource):
    resource_key = "api_key"
    collection = API_KEYS
    path_options = ("id",)
    guard_options = ("owner",)
    text_options = ("owner",)

    @classmethod
    def argument_spec(cls):
        return dict(
            id=dict(type="str", required=True),
            owner=dict(type="str"),
            state=dict(type="str", required=True, choices=["absent"]),
        )

    def validate(self):
        super().validate()
        own_key = (self.params.get("api_key") or "").strip()
        if own_key and own_key == self.params["id"].strip():
            raise TaskFailure(
                "id %s is the API key this task authenticates with (api_key); deleting it would lock the task out. "
                "Nothing was deleted: delete it with another key." % self.params["id"]
            )

    def identity(self):
        return dict(id=self.params["id"])

    def fetch(self):
        api_key = super().fetch()
        return without_secret(api_key) if api_key is not None else None

    def guarded_value(self, api_key, option):
        return ((api_key.get("spec") or {}).get("owner") or {}).get("id")


def main():
    ApiKeyAbsent.run_module()


if __name__ == "__main__":
    main()

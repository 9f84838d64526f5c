#!/usr/bin/python
# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: confluent_service_account_info
short_description: List Confluent Cloud service accounts, by name, pattern and age
version_added: 0.2.0
description:
  - Returns the service accounts of the organisation, through C(GET /iam/v2/service-accounts), every page (100 a
    request), optionally narrowed by O(id), O(display_name), O(display_name_regex) and O(older_than).
  - With O(id), one request, C(GET /iam/v2/service-accounts/{id}); a service account that does not exist gives an
    empty list, not a failure. With O(display_name), the API's C(display_name) filter narrows the list it sends.
  - Service accounts live in the organisation, not in an environment, so deleting an environment leaves them behind.
    Use this module to find them, then delete them with M(kafkaops.confluent_cloud.confluent_service_account).
author:
  - kafkaops maintainers (@kafkaops)
options:
  id:
    description:
      - Only the service account with this ID, for example V(sa-a1b2c3).
      - A value that does not start with V(sa-) is a typo, refused before any request.
    type: str
  exclude_credential_owner:
    description:
      - Leave out the service account that owns the API key the task authenticates with (O(api_key)), and return it
        under RV(excluded) with the reason, so that a list meant for deletion never holds the run's own credential
        (deleting a service account deletes its API keys).
      - Costs one request more, C(GET /iam/v2/api-keys/{api_key}); if the API does not answer it, the task fails.
      - With an access token (O(access_token)) nothing is left out; a token belongs to an identity pool or a user,
        never to a service account's key.
    type: bool
    default: false
    version_added: 0.3.0
extends_documentation_fragment:
  - kafkaops.confluent_cloud.selectors
  - kafkaops.confluent_cloud.auth
  - kafkaops.confluent_cloud.retries
  - kafkaops.confluent_cloud.attributes
  - kafkaops.confluent_cloud.attributes.info
seealso:
  - module: kafkaops.confluent_cloud.confluent_service_account
  - module: kafkaops.confluent_cloud.confluent_environment_info
  - name: List of Service Accounts (Confluent Cloud API reference)
    description: The API operation this module calls.
    link: https://docs.confluent.io/cloud/current/api.html#tag/Service-Accounts-(iamv2)/operation/listIamV2ServiceAccounts
"""

EXAMPLES = r"""
- name: Find the CI service accounts older than a day, never the one that owns this run's API key
  kafkaops.confluent_cloud.confluent_service_account_info:
    display_name_regex: "^ci-"
    older_than: 1d
    exclude_credential_owner: true
  delegate_to: localhost
  register: stale_accounts

- name: Delete them with their API keys, each only if it still has the name it was found by
  kafkaops.confluent_cloud.confluent_service_account:
    id: "{{ item.id }}"
    display_name: "{{ item.display_name }}"
    state: absent
  loop: "{{ stale_accounts.service_accounts }}"
  delegate_to: localhost
"""

RETURN = r"""
service_accounts:
  description:
    - The matching service accounts as the API returns them, sorted oldest first, each with C(age_seconds) added.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: ID of the service account.
      type: str
    display_name:
      description: Display name of the service account.
      type: str
    metadata:
      description: The API's metadata, including C(created_at).
      type: dict
    age_seconds:
      description: Seconds since C(metadata.created_at), on the host that runs the module; null without it.
      type: int
  sample:
    - api_version: iam/v2
      kind: ServiceAccount
      id: sa-a1b2c3
      display_name: ci-runner-42
      description: Runs the CI pipeline
      metadata:
        self: https://api.confluent.cloud/iam/v2/service-accounts/sa-a1b2c3
        resource_name: crn://confluent.cloud/organization=1111aaaa-11aa-11aa-11aa-111111aaaaaa/service-account=sa-a1b2c3
        created_at: "2026-11-29T03:04:05Z"
        updated_at: "2026-11-29T03:04:05Z"
      age_seconds: 86500
excluded:
  description:
    - The service accounts that matched but were left out by O(exclude_credential_owner), each as in
      RV(service_accounts) with a C(reason).
  returned: success
  type: list
  elements: dict
  contains:
    reason:
      description: Why the service account was left out.
      type: str
  sample:
    - id: sa-a1b2c3
      display_name: ci-automation
      age_seconds: 86500
      reason: it owns the API key ABCDEFGHIJKLMNOP that this run authenticates with (api_key); deleting it would delete
        that key and lock the run out
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

from ..module_utils._api import SERVICE_ACCOUNTS, api_key_owner, owns_credential_reason
from ..module_utils._info import SelectedInfoQuery
from ..module_utils._selectors import selector_argument_spec


class ServiceAccountInfo(SelectedInfoQuery):
    result_key = "service_accounts"
    path_options = ("id",)
    id_prefixes = dict(id="sa-")

    @classmethod
    def argument_spec(cls):
        return dict(id=dict(type="str"), exclude_credential_owner=dict(type="bool", default=False),
                    **selector_argument_spec())

    def work(self):
        accounts = self.query()
        own_key = self.credential_api_key() if self.params["exclude_credential_owner"] else None
        owner = api_key_owner(self.client, own_key) if own_key and accounts else None
        self.exit(service_accounts=[account for account in accounts if account.get("id") != owner],
                  excluded=[dict(account, reason=owns_credential_reason(own_key))
                            for account in accounts if account.get("id") == owner])

    def candidates(self):
        if self.params["id"] is not None:
            account = SERVICE_ACCOUNTS.get(self.client, self.params["id"])
            return [account] if account is not None else []
        if self.params["display_name"] is not None:
            return SERVICE_ACCOUNTS.list(self.client, display_name=self.params["display_name"]) or []
        return SERVICE_ACCOUNTS.list(self.client) or []


def main():
    ServiceAccountInfo.run_module()


if __name__ == "__main__":
    main()

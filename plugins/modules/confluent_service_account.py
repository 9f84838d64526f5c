#!/usr/bin/python
# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: confluent_service_account
short_description: Delete a Confluent Cloud service account and its API keys
version_added: 0.2.0
description:
  - Ensures that a Confluent Cloud service account is absent, through the API call
    C(DELETE /iam/v2/service-accounts/{id}).
  - B(Deleting a service account also deletes its API keys.) In check mode and with C(--diff) the module lists
    them (RV(contents)) with their key ID, display name and the resource each one opens, never a secret.
  - Service accounts live in the organisation, not in an environment, so deleting an environment leaves them behind.
  - Idempotent. A service account that does not exist (HTTP 404) is reported as C(ok), not as a failure.
  - B(It refuses to delete the service account that owns the API key the task authenticates with) (O(api_key)),
    since that deletion would delete the key too and lock the run, and every later task with the key, out. The task
    fails naming the key, before any DELETE and in check mode too, and deletes nothing. To tell the owner, the module
    reads that key with one C(GET /iam/v2/api-keys/{api_key}); if the API does not answer it (HTTP 403, for
    example), the task fails and deletes nothing rather than guess.
  - With an access token (O(access_token)) there is no API key to read; the token belongs to an identity pool or
    a user, never to a service account's key, so deleting a service account does not lock the run out, and the
    module sends no such request.
  - With O(id) only, in normal mode, without C(--diff), the task sends two requests, the GET of its own API key
    (none with an access token) and then the DELETE.
author:
  - kafkaops maintainers (@kafkaops)
options:
  id:
    description:
      - ID of the service account, for example V(sa-a1b2c3).
      - A value that does not start with V(sa-) is a typo, refused before any request, and nothing is deleted.
      - At least one of O(id) and O(display_name) is required.
    type: str
  display_name:
    description:
      - Display name of the service account.
      - Alone, the module lists the service accounts with the API's C(display_name) filter and picks the one whose
        display name is B(exactly) this value. None is success (already absent); more than one fails, naming their IDs,
        and deletes nothing.
      - With O(id), a safety guard. The service account O(id) is deleted only if its display name is exactly this
        value; otherwise the task fails and deletes nothing.
    type: str
  state:
    description:
      - V(absent) deletes the service account.
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
  - module: kafkaops.confluent_cloud.confluent_service_account_info
  - module: kafkaops.confluent_cloud.confluent_api_key
  - name: Delete a Service Account (Confluent Cloud API reference)
    description: The API operation this module calls.
    link: https://docs.confluent.io/cloud/current/api.html#tag/Service-Accounts-(iamv2)/operation/deleteIamV2ServiceAccount
"""

EXAMPLES = r"""
- name: Delete a service account by ID
  kafkaops.confluent_cloud.confluent_service_account:
    id: sa-a1b2c3
    state: absent
  delegate_to: localhost

- name: Delete the service account called ci-runner-42 and its API keys
  kafkaops.confluent_cloud.confluent_service_account:
    display_name: ci-runner-42
    state: absent
  delegate_to: localhost

- name: Preview which API keys would go with it
  kafkaops.confluent_cloud.confluent_service_account:
    id: sa-a1b2c3
    display_name: ci-runner-42
    state: absent
  check_mode: true
  delegate_to: localhost
  register: preview
"""

RETURN = r"""
service_account:
  description:
    - The service account. When the module looked it up (O(display_name), check mode or C(--diff)), the object as the
      API returned it before deletion; otherwise only O(id).
    - When O(display_name) matched nothing, only O(display_name).
  returned: always
  type: dict
  sample:
    api_version: iam/v2
    kind: ServiceAccount
    id: sa-a1b2c3
    display_name: ci-runner-42
    description: Runs the CI pipeline
    metadata:
      self: https://api.confluent.cloud/iam/v2/service-accounts/sa-a1b2c3
      created_at: "2026-11-29T03:04:05Z"
contents:
  description: The API keys that deleting the service account would delete with it. Also shown under the diff's
    C(before).
  returned: in check mode or with C(--diff), when the service account exists
  type: dict
  contains:
    api_keys:
      description:
        - The service account's API keys, without any secret.
        - Null when the task authenticates with an access token, which Confluent's API keys API does not accept.
      type: list
      elements: dict
      contains:
        id:
          description: ID of the key (not a secret).
          type: str
        display_name:
          description: Display name of the key.
          type: str
        owner:
          description: ID of the service account that owns it.
          type: str
        resource:
          description: ID of the resource the key opens, such as a Kafka cluster (C(lkc-...)) or C(cloud) for a Cloud API key.
          type: str
  sample:
    api_keys:
      - id: ABCDEFGHIJKLMNOP
        display_name: ci kafka key
        owner: sa-a1b2c3
        resource: lkc-x9y8z7
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
from ..module_utils._api import (
    API_KEYS,
    SERVICE_ACCOUNTS,
    api_key_owner,
    api_key_summary,
    display_name,
    owns_credential_reason,
)
from ..module_utils._errors import TaskFailure


class ServiceAccountAbsent(AbsentResource):
    resource_key = "service_account"
    collection = SERVICE_ACCOUNTS
    path_options = ("id",)
    id_prefixes = dict(id="sa-")
    guard_options = ("display_name",)
    text_options = ("display_name",)

    @classmethod
    def argument_spec(cls):
        return dict(
            id=dict(type="str"),
            display_name=dict(type="str"),
            state=dict(type="str", required=True, choices=["absent"]),
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
        listed = SERVICE_ACCOUNTS.list(self.client, display_name=name) or []
        # The API's filter is documented as exact; matching again keeps a looser server from choosing for us.
        return self.only_match([account for account in listed if display_name(account) == name])

    def ensure_deletable(self, account):
        own_key = self.credential_api_key()
        if own_key is None:
            return
        account_id = self.resource_id(account)
        if api_key_owner(self.client, own_key) == account_id:
            raise TaskFailure("Refusing to delete service account %s: %s. Nothing was deleted: delete it with "
                              "another key." % (account_id, owns_credential_reason(own_key)))

    def preview(self, account):
        """The API keys that go with the service account; None when the credential may not list them."""
        refusal = API_KEYS.refusal(self.client)
        if refusal:
            self.module.warn("The API keys that go with service account %s are not listed: %s."
                             % (account["id"], refusal))
            return dict(api_keys=None)
        keys = API_KEYS.list(self.client, **{"spec.owner": account["id"]}) or []
        return dict(api_keys=[api_key_summary(key) for key in keys])


def main():
    ServiceAccountAbsent.run_module()


if __name__ == "__main__":
    main()

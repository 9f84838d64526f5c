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
author:
  - kafkaops maintainers (@kafkaops)
options:
  id:
    description:
      - ID of the environment, for example V(env-a1b2c3).
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
    type: str
  state:
    description:
      - V(absent) deletes the environment.
      - Required, without a default, so that a task that forgets it never deletes anything.
    type: str
    required: true
    choices: [absent]
  wait:
    description:
      - Whether to wait until the environment is gone after the API accepted its deletion.
      - Polls C(GET /org/v2/environments/{id}) with growing intervals (from 1 up to 10 seconds) until it answers 404
        (or 403, since a resource one was just allowed to delete and now may not read is gone).
    type: bool
    default: false
  wait_timeout:
    description:
      - How many seconds to wait in all with O(wait=true) before failing. The deletion goes on in Confluent Cloud.
    type: int
    default: 600
extends_documentation_fragment:
  - kafkaops.confluent_cloud.auth
  - kafkaops.confluent_cloud.retries
  - kafkaops.confluent_cloud.attributes
seealso:
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
    - Seconds spent waiting before sending for the rate-limit budget that runs sharing this API key on the same
      host (forks, parallel jobs) had used up, as the API's C(X-RateLimit-*) headers announced.
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

import time

from ..module_utils._base import AbsentResource
from ..module_utils._client import build_path
from ..module_utils._errors import ApiError

ENVIRONMENTS_PATH = "/org/v2/environments"
ENVIRONMENT_PATH = "/org/v2/environments/{id}"
POLL_FIRST_INTERVAL = 1.0
POLL_MAX_INTERVAL = 10.0
POLL_GROWTH = 1.5


class EnvironmentAbsent(AbsentResource):
    resource_key = "environment"
    path_options = ("id",)

    @classmethod
    def argument_spec(cls):
        return dict(
            id=dict(type="str"),
            display_name=dict(type="str"),
            state=dict(type="str", required=True, choices=["absent"]),
            wait=dict(type="bool", default=False),
            wait_timeout=dict(type="int", default=600),
        )

    @classmethod
    def module_kwargs(cls):
        return dict(required_one_of=[("id", "display_name")])

    def validate(self):
        super().validate()
        display_name = self.params["display_name"]
        if display_name is not None and not display_name.strip():
            self.module.fail_json(msg="display_name must not be empty or only whitespace")
        if self.params["wait_timeout"] < 0:
            self.module.fail_json(msg="wait_timeout must be at least 0, got %d" % self.params["wait_timeout"])

    def needs_lookup(self):
        return self.params["display_name"] is not None

    def identity(self):
        if self.params["id"] is not None:
            return dict(id=self.params["id"])
        return dict(display_name=self.params["display_name"])

    def fetch(self):
        if self.params["id"] is not None:
            environment = self._get(self.params["id"])
            if environment is not None:
                self._guard(environment)
        else:
            environment = self._find_by_display_name()
        if environment is not None and (environment.get("metadata") or {}).get("deleted_at"):
            # The API already accepted its deletion: nothing for this task to change.
            if self.params["wait"] and not self.module.check_mode:
                self._wait_until_gone(environment["id"])
            return None
        return environment

    def delete_path(self, resource):
        environment_id = resource["id"] if resource else self.params["id"]
        return build_path(ENVIRONMENT_PATH, id=environment_id)

    def after_delete(self, resource):
        if self.params["wait"]:
            self._wait_until_gone(resource["id"] if resource else self.params["id"])

    def _get(self, environment_id):
        response = self.client.get(build_path(ENVIRONMENT_PATH, id=environment_id))
        if response.status == 404:
            return None
        return response.json()

    def _guard(self, environment):
        expected = self.params["display_name"]
        if expected is not None and environment.get("display_name") != expected:
            self.module.fail_json(
                msg="Safety guard: environment %s has display_name %r, not %r; nothing was deleted."
                % (environment.get("id"), environment.get("display_name"), expected),
                environment=environment,
            )

    def _find_by_display_name(self):
        name = self.params["display_name"]
        matches = [env for env in self.client.list_all(ENVIRONMENTS_PATH) if env.get("display_name") == name]
        if len(matches) > 1:
            self.module.fail_json(
                msg="%d environments are named %r (%s); give id as well to choose one. Nothing was deleted."
                % (len(matches), name, ", ".join(sorted(str(env.get("id")) for env in matches))),
            )
        return matches[0] if matches else None

    def _wait_until_gone(self, environment_id):
        path = build_path(ENVIRONMENT_PATH, id=environment_id)
        deadline = time.monotonic() + self.params["wait_timeout"]
        interval = POLL_FIRST_INTERVAL
        while True:
            try:
                if self.client.get(path).status == 404:
                    return
            except ApiError as exc:
                # It could be deleted a moment ago, so a 403 now means it is gone with its permissions.
                if exc.status != 403:
                    raise
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.module.fail_json(
                    msg="Environment %s is still being deleted after wait_timeout (%d s); its deletion goes on "
                    "in Confluent Cloud. Raise wait_timeout, or run the task again later."
                    % (environment_id, self.params["wait_timeout"]),
                    environment=dict(id=environment_id),
                    changed=True,
                )
            time.sleep(min(interval, remaining))
            interval = min(POLL_MAX_INTERVAL, interval * POLL_GROWTH)


def main():
    EnvironmentAbsent.run_module()


if __name__ == "__main__":
    main()

#!/usr/bin/python
# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: confluent_connector
short_description: Delete a Confluent Cloud managed connector
version_added: 0.1.0
description:
  - Ensures that a managed connector of a Kafka cluster in Confluent Cloud is absent, through the Connect API
    C(DELETE /connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}).
  - Deleting halts all the connector's tasks and removes its configuration.
  - Idempotent. A connector that does not exist (HTTP 404, including when its environment or cluster is gone) is
    reported as C(ok), not as a failure.
  - A mistyped O(environment_id) or O(kafka_cluster_id) also answers 404. So when the connector is not found, the
    module asks for the cluster (one C(GET), only on this path; a cluster that exists proves its environment too),
    and only if it is not there for the environment (a second C(GET)), and warns, still C(ok), when one does not.
    Confluent may answer a request in an unknown environment with 403 instead of 404; such a 403 is C(ok) with the
    same warning once the environment proves missing, and fails otherwise.
  - The connector is named by O(name), or by its ID (O(id), C(lcc-...)). The API deletes connectors by name only, so
    an ID is first looked up in the cluster's list of connectors, with one request, as the Confluent CLI does.
  - In normal mode, without C(--diff), the task sends exactly one request by O(name), the DELETE, or two by O(id),
    the list and the DELETE; more only when the connector is not found, as above.
author:
  - kafkaops maintainers (@kafkaops)
options:
  name:
    description:
      - Name of the connector.
      - Sent as one percent-encoded URL path segment, so any character is safe; empty or whitespace-only values,
        control characters, the names V(.) and V(..), and names longer than 1024 characters are refused before any
        request.
      - Exactly one of O(name) and O(id) is required.
    type: str
    aliases: [connector_name]
  id:
    description:
      - ID of the connector, for example V(lcc-a1b2c3), as M(kafkaops.confluent_cloud.confluent_connector_info) and
        the Confluent Cloud Console show it.
      - A value that does not start with V(lcc-) is a typo, refused before any request, and nothing is deleted.
      - An ID that is not among the cluster's connectors is success (already absent), and nothing is deleted.
      - Exactly one of O(name) and O(id) is required.
    type: str
    version_added: 0.2.0
  environment_id:
    description:
      - ID of the environment that holds the Kafka cluster, for example V(env-a1b2c3).
      - A value that does not start with V(env-) is a typo, refused before any request, and nothing is deleted.
    type: str
    required: true
  kafka_cluster_id:
    description:
      - ID of the Kafka cluster that runs the connector, for example V(lkc-a1b2c3).
      - A value that does not start with V(lkc-) is a typo, refused before any request, and nothing is deleted.
    type: str
    required: true
  delete_topics:
    description:
      - Also delete the topics that the connector created, named after its ID, once the connector is deleted; that
        is V(dlq-lcc-...) (its dead letter queue) and, for the HTTP Sink, V(success-lcc-...) and V(error-lcc-...).
        Deleting a connector leaves them, with their partitions and storage.
      - They are deleted through the cluster's Kafka REST API, which takes the cluster's credentials
        (O(kafka_api_key) and O(kafka_api_secret), or O(kafka_access_token)); without them the task fails before
        any request. The cluster's REST endpoint is O(rest_endpoint), or read from the Cloud API (one request).
      - The connector is then always looked up first, in the cluster's list of connectors (one request), for its ID;
        the cluster's topics are listed once (one request), and each of those topics that exists is deleted.
      - Check mode and C(--diff) list them in RV(contents.topics). The result's RV(deleted_topics) names those
        deleted.
      - A connector already gone is C(ok) and nothing is deleted. Find the topics of connectors deleted earlier with
        M(kafkaops.confluent_cloud.confluent_kafka_topic_info) and its option C(orphaned_connector_topics).
    type: bool
    default: false
    version_added: 0.3.0
  state:
    description:
      - V(absent) deletes the connector.
      - Required, without a default, so that a task that forgets it never deletes anything.
    type: str
    required: true
    choices: [absent]
extends_documentation_fragment:
  - kafkaops.confluent_cloud.auth
  - kafkaops.confluent_cloud.kafka_rest
  - kafkaops.confluent_cloud.retries
  - kafkaops.confluent_cloud.attributes
  - kafkaops.confluent_cloud.attributes.absent
seealso:
  - module: kafkaops.confluent_cloud.confluent_connector_info
  - module: kafkaops.confluent_cloud.confluent_environment
  - name: Delete a Connector (Confluent Cloud API reference)
    description: The API operation this module calls.
    link: https://docs.confluent.io/cloud/current/api.html#tag/Connectors-(connectv1)/operation/deleteConnectv1Connector
  - name: Confluent Cloud API rate limits
    description: How Confluent Cloud limits requests per API key.
    link: https://docs.confluent.io/cloud/current/api.html#section/Rate-Limiting
"""

EXAMPLES = r"""
- name: Delete a retired connector
  kafkaops.confluent_cloud.confluent_connector:
    name: orders-s3-sink
    environment_id: env-a1b2c3
    kafka_cluster_id: lkc-x9y8z7
    state: absent
  delegate_to: localhost

- name: Delete several connectors, with credentials set once for the whole play
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/kafkaops.confluent_cloud.all:
      api_key: "{{ confluent_api_key }}"
      api_secret: "{{ confluent_api_secret }}"
  tasks:
    - name: Remove the demo connectors
      kafkaops.confluent_cloud.confluent_connector:
        name: "{{ item }}"
        environment_id: env-a1b2c3
        kafka_cluster_id: lkc-x9y8z7
        state: absent
      loop:
        - clicks-datagen
        - orders-s3-sink

- name: Delete an HTTP Sink connector with the topics it created (dlq-, success- and error-lcc-...)
  kafkaops.confluent_cloud.confluent_connector:
    name: orders-http-sink
    environment_id: env-a1b2c3
    kafka_cluster_id: lkc-x9y8z7
    delete_topics: true
    kafka_api_key: "{{ vault_kafka_api_key }}"
    kafka_api_secret: "{{ vault_kafka_api_secret }}"
    state: absent
  delegate_to: localhost

- name: Delete a connector by its ID
  kafkaops.confluent_cloud.confluent_connector:
    id: lcc-a1b2c3
    environment_id: env-a1b2c3
    kafka_cluster_id: lkc-x9y8z7
    state: absent
  delegate_to: localhost

- name: Preview the deletion without making it, and show what would go
  kafkaops.confluent_cloud.confluent_connector:
    name: orders-s3-sink
    environment_id: env-a1b2c3
    kafka_cluster_id: lkc-x9y8z7
    state: absent
  check_mode: true
  diff: true
  register: preview
"""

RETURN = r"""
contents:
  description:
    - With O(delete_topics=true), in check mode and with C(--diff), what deleting the connector takes along.
  returned: when O(delete_topics=true), in check mode or with C(--diff), and the connector exists
  type: dict
  contains:
    topics:
      description: Names of the connector's topics that exist, and would be or were deleted with it.
      type: list
      elements: str
  sample:
    topics: [dlq-lcc-a1b2c3]
deleted_topics:
  description:
    - With O(delete_topics=true), the names of the connector's topics that were deleted (in check mode, that would
      be deleted); on a failure, those deleted before it.
  returned: when O(delete_topics=true)
  type: list
  elements: str
  sample: [dlq-lcc-a1b2c3, success-lcc-a1b2c3, error-lcc-a1b2c3]
connector:
  description:
    - The connector. When the module looked it up (check mode, C(--diff), or O(id)), what the API returned before
      deletion, with C(environment_id) and C(kafka_cluster_id) added; otherwise only the identifying keys.
    - By O(name), the object of C(GET .../connectors/{name}). By O(id), the connector as
      M(kafkaops.confluent_cloud.confluent_connector_info) returns it (C(name), C(id), C(type), C(state), C(trace),
      C(tasks), C(config)).
  returned: always
  type: dict
  sample:
    name: orders-s3-sink
    environment_id: env-a1b2c3
    kafka_cluster_id: lkc-x9y8z7
    type: sink
    config:
      connector.class: S3_SINK
      kafka.api.secret: "****************"
    tasks:
      - connector: orders-s3-sink
        task: 0
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
  sample: 401
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
    error:
      code: 401
      message: Unauthorized
"""

from ..module_utils._absent import AbsentResource
from ..module_utils._api import CONNECTOR_PATH, delete_connector, list_connectors
from ..module_utils._client import build_path
from ..module_utils._errors import TaskFailure
from ..module_utils._kafka_rest import KafkaRest, connector_topic_names, kafka_rest_argument_spec


class ConnectorAbsent(AbsentResource):
    resource_key = "connector"
    path_options = ("name", "id", "environment_id", "kafka_cluster_id")
    id_prefixes = dict(id="lcc-", environment_id="env-", kafka_cluster_id="lkc-")
    parent_options = ("environment_id", "kafka_cluster_id")

    def __init__(self, module, client=None):
        super().__init__(module, client)
        self.kafka = None
        # With delete_topics: the connector's topics deleted, or to delete in check mode.
        self.deleted_topics = []

    @classmethod
    def argument_spec(cls):
        return dict(
            kafka_rest_argument_spec(),
            name=dict(type="str", aliases=["connector_name"]),
            id=dict(type="str"),
            environment_id=dict(type="str", required=True),
            kafka_cluster_id=dict(type="str", required=True),
            state=dict(type="str", required=True, choices=["absent"]),
            delete_topics=dict(type="bool", default=False),
        )

    @classmethod
    def module_kwargs(cls):
        return dict(required_one_of=[("name", "id")], mutually_exclusive=[("name", "id")])

    def validate(self):
        super().validate()
        if self.params["delete_topics"]:
            try:
                self.kafka = KafkaRest(self.module)
            except TaskFailure as exc:
                raise TaskFailure("delete_topics: %s Nothing was deleted." % exc)

    def identity(self):
        return dict((option, self.params[option]) for option in self.path_options if self.params[option] is not None)

    def needs_lookup(self):
        # The API deletes connectors by name only: an ID is first looked up in the cluster's list, which also tells
        # the connector's ID, after which its topics are named.
        return self.params["id"] is not None or self.params["delete_topics"]

    def fetch(self):
        scope = dict(environment_id=self.params["environment_id"], kafka_cluster_id=self.params["kafka_cluster_id"])
        if self.needs_lookup():
            connectors = list_connectors(self.client, **scope)
            # The list answered, so the environment and the cluster exist: no need to ask after them.
            self.parents_exist = connectors is not None
            key, wanted = ("id", self.params["id"]) if self.params["id"] is not None else ("name", self.params["name"])
            connector = next((found for found in connectors or [] if found[key] == wanted), None)
        else:
            response = self.client.get(self._path(self.params["name"]))
            connector = None if response.status == 404 else response.json()
            if connector is not None:
                connector.setdefault("name", self.params["name"])
        if connector is not None:
            connector.update(scope)
        return connector

    def preview(self, resource):
        if not self.params["delete_topics"]:
            return None
        self.deleted_topics = self.existing_topics(resource)
        return dict(topics=list(self.deleted_topics))

    def delete(self, resource):
        response = delete_connector(self.client, self.params["environment_id"], self.params["kafka_cluster_id"],
                                    resource["name"] if resource else self.params["name"])
        if self.params["delete_topics"] and response.status != 404:
            self.changed = True
            # Those that --diff listed, or a list made now.
            names = self.contents["topics"] if self.contents is not None else self.existing_topics(resource)
            self.deleted_topics = []
            for name in names:
                if self.kafka.delete_topic(name).status != 404:
                    self.deleted_topics.append(name)
        return response

    def existing_topics(self, connector):
        """The names of the connector's topics (dlq-, success-, error-) that its cluster has: one topic list."""
        if not connector.get("id") or self.kafka.connect(self.client) is None:
            return []
        self.other_clients = [self.kafka.client]
        topics = self.kafka.topics()
        if topics is None:
            self.module.warn("%s, so none of the connector's topics was deleted; check rest_endpoint."
                             % self.kafka.missing_cluster())
            return []
        wanted = connector_topic_names(connector["id"])
        return [topic["name"] for topic in topics if topic["name"] in wanted]

    def result_extras(self):
        return dict(deleted_topics=list(self.deleted_topics)) if self.params["delete_topics"] else {}

    def _path(self, name):
        return build_path(CONNECTOR_PATH, name=name, environment_id=self.params["environment_id"],
                          kafka_cluster_id=self.params["kafka_cluster_id"])


def main():
    ConnectorAbsent.run_module()


if __name__ == "__main__":
    main()

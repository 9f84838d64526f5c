#!/usr/bin/python
# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: confluent_kafka_topic_info
short_description: List the topics of a Confluent Cloud Kafka cluster, and those its deleted connectors left behind
version_added: 0.3.0
description:
  - Returns the topics of one Kafka cluster, through its Kafka REST v3 API, C(GET /kafka/v3/clusters/{kafka_cluster_id}/topics),
    one request, optionally narrowed by O(name) or O(name_regex).
  - With O(orphaned_connector_topics), only the topics that a managed connector created and left behind when it was
    deleted; one request more, the cluster's connector list (C(GET /connect/v1/.../connectors?expand=id)).
  - Kafka REST takes an API key of the cluster (O(kafka_api_key) and O(kafka_api_secret)) or an OAuth token
    (O(kafka_access_token)), not the Cloud API key. The Cloud credentials are needed only with O(environment_id).
  - A cluster that does not exist gives an empty list and a warning, not a failure.
  - Delete what it finds with M(kafkaops.confluent_cloud.confluent_kafka_topic).
author:
  - kafkaops maintainers (@kafkaops)
options:
  kafka_cluster_id:
    description:
      - ID of the Kafka cluster, for example V(lkc-a1b2c3).
      - A value that does not start with V(lkc-) is a typo, refused before any request.
    type: str
    required: true
  environment_id:
    description:
      - ID of the environment of the Kafka cluster, for example V(env-a1b2c3).
      - Without O(rest_endpoint), the cluster's REST endpoint is read from the Cloud API with it (one request).
      - Required with O(orphaned_connector_topics), to list the cluster's connectors.
      - At least one of O(environment_id) and O(rest_endpoint) is required.
      - A value that does not start with V(env-) is a typo, refused before any request.
    type: str
  name:
    description:
      - Only the topic with exactly this name.
      - Mutually exclusive with O(name_regex).
    type: str
  name_regex:
    description:
      - Only the topics whose name matches this Python regular expression (searched anywhere in the name; anchor it
        with V(^) to match a prefix).
      - A pattern that does not compile is refused before any request.
    type: str
  orphaned_connector_topics:
    description:
      - Only the topics that managed connectors create, named after the connector's ID (V(dlq-lcc-...), the dead
        letter queue; V(success-lcc-...) and V(error-lcc-...), the HTTP Sink's results), whose connector no longer
        exists in the cluster. A topic of a connector that still exists, in whatever state, is never listed.
      - Each topic then also has C(connector_id).
      - Needs O(environment_id) and the Cloud credentials.
    type: bool
    default: false
extends_documentation_fragment:
  - kafkaops.confluent_cloud.kafka_rest
  - kafkaops.confluent_cloud.auth
  - kafkaops.confluent_cloud.retries
  - kafkaops.confluent_cloud.attributes
  - kafkaops.confluent_cloud.attributes.info
seealso:
  - module: kafkaops.confluent_cloud.confluent_kafka_topic
  - module: kafkaops.confluent_cloud.confluent_connector
  - name: List Topics (Confluent Cloud Kafka REST API reference)
    description: The API operation this module calls.
    link: https://docs.confluent.io/cloud/current/api.html#tag/Topic-(v3)/operation/listKafkaTopics
  - name: Dead letter queue (Confluent Cloud connectors)
    description: The topic a sink connector creates for records it cannot write.
    link: https://docs.confluent.io/cloud/current/connectors/dead-letter-queue.html
"""

EXAMPLES = r"""
- name: Find the topics that deleted connectors left behind
  kafkaops.confluent_cloud.confluent_kafka_topic_info:
    kafka_cluster_id: lkc-x9y8z7
    environment_id: env-a1b2c3
    orphaned_connector_topics: true
    kafka_api_key: "{{ vault_kafka_api_key }}"
    kafka_api_secret: "{{ vault_kafka_api_secret }}"
  delegate_to: localhost
  register: leftovers

- name: Delete them
  kafkaops.confluent_cloud.confluent_kafka_topic:
    name: "{{ item.name }}"
    kafka_cluster_id: lkc-x9y8z7
    environment_id: env-a1b2c3
    kafka_api_key: "{{ vault_kafka_api_key }}"
    kafka_api_secret: "{{ vault_kafka_api_secret }}"
    state: absent
  loop: "{{ leftovers.topics }}"
  loop_control:
    label: "{{ item.name }}"
  delegate_to: localhost

- name: List the topics whose name starts with ci-, at a known REST endpoint
  kafkaops.confluent_cloud.confluent_kafka_topic_info:
    kafka_cluster_id: lkc-x9y8z7
    rest_endpoint: https://pkc-00000.us-west-2.aws.confluent.cloud:443
    name_regex: "^ci-"
  delegate_to: localhost
"""

RETURN = r"""
topics:
  description: The matching topics, sorted by name.
  returned: success
  type: list
  elements: dict
  contains:
    name:
      description: Name of the topic.
      type: str
    partitions_count:
      description: How many partitions it has; they count against the cluster's partition limit.
      type: int
    replication_factor:
      description: Its replication factor.
      type: int
    is_internal:
      description: Whether Kafka keeps it for itself.
      type: bool
    connector_id:
      description: With O(orphaned_connector_topics), the ID of the deleted connector that the topic is named after.
      type: str
      returned: when O(orphaned_connector_topics=true)
  sample:
    - name: dlq-lcc-a1b2c3
      partitions_count: 6
      replication_factor: 3
      is_internal: false
      connector_id: lcc-a1b2c3
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
    - Seconds spent waiting before sending, for the rate-limit budget that runs sharing the same endpoint and
      credential on the same host had used up, and for the pace the host keeps while answers of 429 show that runs
      elsewhere spend the same budget.
  returned: always
  type: float
  sample: 0.0
"""

from ..module_utils._api import list_connectors
from ..module_utils._errors import TaskFailure
from ..module_utils._info import InfoQuery
from ..module_utils._kafka_rest import (
    KafkaRestModule,
    kafka_rest_argument_spec,
    orphaned_connector_topics,
    validate_topic_name,
)
from ..module_utils._selectors import compile_pattern


class TopicInfo(KafkaRestModule, InfoQuery):
    result_key = "topics"

    @classmethod
    def argument_spec(cls):
        return dict(kafka_rest_argument_spec(), name=dict(type="str"), name_regex=dict(type="str"),
                    orphaned_connector_topics=dict(type="bool", default=False))

    @classmethod
    def module_kwargs(cls):
        return dict(super().module_kwargs(), mutually_exclusive=[("name", "name_regex")])

    def validate(self):
        if self.params["name"] is not None:
            problem = validate_topic_name("name", self.params["name"])
            if problem:
                raise TaskFailure(problem + ".")
        self.pattern = compile_pattern("name_regex", self.params["name_regex"])
        if self.params["orphaned_connector_topics"] and self.params["environment_id"] is None:
            raise TaskFailure("orphaned_connector_topics needs environment_id: the cluster's connectors are listed "
                              "with the Cloud API.")
        super().validate()

    def needs_cloud(self):
        return super().needs_cloud() or self.params["orphaned_connector_topics"]

    def query(self):
        topics = self.kafka.topics() if self.client is not None else None
        if topics is None:
            self.warn_missing_cluster("it has no topics to list")
            return []
        if self.params["name"] is not None:
            topics = [topic for topic in topics if topic["name"] == self.params["name"]]
        if self.pattern is not None:
            topics = [topic for topic in topics if self.pattern.search(topic["name"] or "")]
        if self.params["orphaned_connector_topics"]:
            topics = orphaned_connector_topics(topics, self.live_connector_ids())
        return topics

    def live_connector_ids(self):
        connectors = list_connectors(self.cloud, self.params["environment_id"], self.params["kafka_cluster_id"])
        if connectors is None:
            raise TaskFailure("Cannot tell which connectors exist: the connector list of Kafka cluster %s in "
                              "environment %s answered 404, so no topic is called orphaned. Check environment_id."
                              % (self.params["kafka_cluster_id"], self.params["environment_id"]))
        return set(connector["id"] for connector in connectors)


def main():
    TopicInfo.run_module()


if __name__ == "__main__":
    main()

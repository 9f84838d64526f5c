#!/usr/bin/python
# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: confluent_kafka_topic
short_description: Delete a topic of a Confluent Cloud Kafka cluster
version_added: 0.3.0
description:
  - Ensures that a topic of a Kafka cluster in Confluent Cloud is absent, through the cluster's Kafka REST v3 API,
    C(DELETE /kafka/v3/clusters/{kafka_cluster_id}/topics/{topic_name}), at the cluster's own REST endpoint.
  - Kafka REST takes an API key of the cluster (O(kafka_api_key) and O(kafka_api_secret)) or an OAuth token
    (O(kafka_access_token)), not the Cloud API key. The Cloud credentials are needed only with O(environment_id),
    to read the cluster's REST endpoint.
  - Idempotent. A topic that does not exist (HTTP 404 with C(error_code) 40403) is reported as C(ok). When the
    cluster itself does not exist, the task is C(ok) too and warns, since a mistyped O(kafka_cluster_id) would
    otherwise look just like a topic already deleted.
  - In normal mode, without C(--diff), the task sends exactly one request with O(rest_endpoint), the DELETE, and one
    more with O(environment_id), the cluster's C(GET).
  - Deleting a topic deletes its messages for good.
author:
  - kafkaops maintainers (@kafkaops)
options:
  name:
    description:
      - Name of the topic.
      - Sent as one percent-encoded URL path segment. A value that cannot be a Kafka topic name (other characters
        than V(a-z), V(A-Z), V(0-9), V(.), V(_) and V(-), such as V(/) or control characters, more than 249 of them,
        or the names V(.) and V(..)) is refused before any request, and nothing is deleted.
    type: str
    required: true
    aliases: [topic_name]
  kafka_cluster_id:
    description:
      - ID of the Kafka cluster, for example V(lkc-a1b2c3).
      - A value that does not start with V(lkc-) is a typo, refused before any request, and nothing is deleted.
    type: str
    required: true
  environment_id:
    description:
      - ID of the environment of the Kafka cluster, for example V(env-a1b2c3), to read the cluster's REST endpoint
        from the Cloud API.
      - Exactly one of O(environment_id) and O(rest_endpoint) is required.
      - A value that does not start with V(env-) is a typo, refused before any request, and nothing is deleted.
    type: str
  state:
    description:
      - V(absent) deletes the topic.
      - Required, without a default, so that a task that forgets it never deletes anything.
    type: str
    required: true
    choices: [absent]
extends_documentation_fragment:
  - kafkaops.confluent_cloud.kafka_rest
  - kafkaops.confluent_cloud.auth
  - kafkaops.confluent_cloud.retries
  - kafkaops.confluent_cloud.attributes
  - kafkaops.confluent_cloud.attributes.absent
seealso:
  - module: kafkaops.confluent_cloud.confluent_kafka_topic_info
  - module: kafkaops.confluent_cloud.confluent_connector
  - name: Delete Topic (Confluent Cloud Kafka REST API reference)
    description: The API operation this module calls.
    link: https://docs.confluent.io/cloud/current/api.html#tag/Topic-(v3)/operation/deleteKafkaTopic
"""

EXAMPLES = r"""
- name: Delete a topic, with the cluster's REST endpoint and one of its API keys
  kafkaops.confluent_cloud.confluent_kafka_topic:
    name: orders-retry
    kafka_cluster_id: lkc-x9y8z7
    rest_endpoint: https://pkc-00000.us-west-2.aws.confluent.cloud:443
    kafka_api_key: "{{ vault_kafka_api_key }}"
    kafka_api_secret: "{{ vault_kafka_api_secret }}"
    state: absent
  delegate_to: localhost

- name: Delete a topic, reading the cluster's REST endpoint with the Cloud API key
  kafkaops.confluent_cloud.confluent_kafka_topic:
    name: dlq-lcc-a1b2c3
    kafka_cluster_id: lkc-x9y8z7
    environment_id: env-a1b2c3
    api_key: "{{ vault_cloud_api_key }}"
    api_secret: "{{ vault_cloud_api_secret }}"
    kafka_api_key: "{{ vault_kafka_api_key }}"
    kafka_api_secret: "{{ vault_kafka_api_secret }}"
    state: absent
  delegate_to: localhost
"""

RETURN = r"""
topic:
  description:
    - The topic. When the module looked it up (check mode or C(--diff)), what Kafka REST returned before deletion;
      otherwise only C(name) and C(kafka_cluster_id).
  returned: always
  type: dict
  sample:
    kind: KafkaTopic
    cluster_id: lkc-x9y8z7
    topic_name: dlq-lcc-a1b2c3
    is_internal: false
    replication_factor: 3
    partitions_count: 6
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
    error_code: 40101
    message: Authentication failed
"""

from ..module_utils._absent import AbsentResource
from ..module_utils._errors import TaskFailure
from ..module_utils._kafka_rest import KafkaRestModule, cluster_unknown, kafka_rest_argument_spec, validate_topic_name


class TopicAbsent(KafkaRestModule, AbsentResource):
    resource_key = "topic"

    @classmethod
    def argument_spec(cls):
        return dict(kafka_rest_argument_spec(), name=dict(type="str", required=True, aliases=["topic_name"]),
                    state=dict(type="str", required=True, choices=["absent"]))

    @classmethod
    def module_kwargs(cls):
        return dict(super().module_kwargs(), mutually_exclusive=[("rest_endpoint", "environment_id")])

    def validate(self):
        problem = validate_topic_name("name", self.params["name"])
        if problem:
            raise TaskFailure(problem + "." + self.refusal_ending)
        super().validate()

    def identity(self):
        return dict(name=self.params["name"], kafka_cluster_id=self.params["kafka_cluster_id"])

    def work(self):
        if self.client is None:
            self.warn_missing_cluster("nothing was deleted")
            self.finish(changed=False, resource=self.identity())
        super().work()

    def fetch(self):
        topic, unknown = self.kafka.topic(self.params["name"])
        if unknown:
            self.warn_missing_cluster("nothing was deleted")
        return topic

    def delete(self, resource):
        response = self.kafka.delete_topic(self.params["name"])
        if response.status == 404 and cluster_unknown(response):
            self.warn_missing_cluster("nothing was deleted")
        return response


def main():
    TopicAbsent.run_module()


if __name__ == "__main__":
    main()

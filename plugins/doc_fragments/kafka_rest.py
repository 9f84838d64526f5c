# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Modules that reach a Kafka cluster's data plane through Kafka REST v3.
    DOCUMENTATION = r"""
options:
  rest_endpoint:
    description:
      - The Kafka cluster's REST endpoint, for example V(https://pkc-00000.us-west-2.aws.confluent.cloud:443), as
        the Confluent Cloud Console shows it and M(kafkaops.confluent_cloud.confluent_kafka_cluster_info) returns it
        (C(spec.http_endpoint)).
      - When not set, the endpoint is read from the Cloud API, C(GET /cmk/v2/clusters/{kafka_cluster_id}?environment={environment_id}),
        with the Cloud credentials (O(api_key) and O(api_secret), or O(access_token)), one request more.
      - Must be C(https://); plain C(http://) is accepted only for a loopback host, as for O(api_endpoint).
    type: str
  kafka_api_key:
    description:
      - ID of an API key of the Kafka cluster itself (a B(Kafka cluster) API key, not the Cloud API key
        O(api_key)), sent with O(kafka_api_secret) as HTTP Basic authentication to Kafka REST.
      - If not set, the environment variable E(CONFLUENT_KAFKA_API_KEY) is used.
      - Give either O(kafka_api_key) and O(kafka_api_secret), or O(kafka_access_token).
    type: str
  kafka_api_secret:
    description:
      - Secret of the Kafka cluster API key O(kafka_api_key).
      - If not set, the environment variable E(CONFLUENT_KAFKA_API_SECRET) is used.
      - Never logged and never returned.
    type: str
  kafka_access_token:
    description:
      - An OAuth access token that the Kafka cluster accepts, sent with the C(Bearer) scheme to Kafka REST.
      - If not set, the environment variable E(CONFLUENT_KAFKA_ACCESS_TOKEN) is used.
      - Mutually exclusive with O(kafka_api_key) and O(kafka_api_secret).
      - Never logged and never returned.
    type: str
notes:
  - Kafka REST has a rate limit of its own, per cluster endpoint and credential, apart from the Cloud API's; its
    answers of 429 may come without C(Retry-After), and are then retried with the module's own backoff, within
    O(api_rate_limit_timeout). O(api_timeout), O(api_retries), O(api_retry_max_delay) and O(validate_certs) apply
    to Kafka REST too.
  - An answer of 401 from Kafka REST most often means that a Cloud API key was given instead of a key of the cluster.
"""

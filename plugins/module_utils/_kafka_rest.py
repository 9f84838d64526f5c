# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Kafka REST v3, the data plane of one Kafka cluster: where it is served, the credential it takes, and its topics.

Each cluster serves Kafka REST at its own endpoint (cmk/v2 ``spec.http_endpoint``) and takes an API key of that
cluster, or an OAuth token, never the Cloud API key. Requests go through the same client as the Cloud API's, with a
rate-limit budget of their own (one per endpoint and credential).
"""

from __future__ import annotations

import json
import re

from ._api import KAFKA_CLUSTERS, get_in_environment
from ._base import KAFKA_CREDENTIAL, ConfluentModule, authorization_header, build_client, checked_endpoint
from ._client import build_path
from ._errors import TaskFailure

REST_ENDPOINT_EXAMPLE = "https://pkc-00000.us-west-2.aws.confluent.cloud:443"
TOPICS_PATH = "/kafka/v3/clusters/{cluster_id}/topics"
TOPIC_PATH = TOPICS_PATH + "/{topic_name}"
# Kafka's own rule for a topic name: 1 to 249 of these characters, and neither "." nor "..".
TOPIC_NAME = re.compile(r"[A-Za-z0-9._-]{1,249}")
# The error_code of a 404 for a topic the cluster does not have; another 404 means that the cluster is unknown there.
UNKNOWN_TOPIC = 40403
# The topics a managed connector creates, named after its ID: the dead letter queue, and the HTTP Sink's results.
CONNECTOR_TOPIC_KINDS = ("dlq", "success", "error")
CONNECTOR_TOPIC = re.compile(r"(%s)-(lcc-[A-Za-z0-9]+)" % "|".join(CONNECTOR_TOPIC_KINDS))


def kafka_rest_argument_spec():
    """The options that reach one cluster's Kafka REST (doc fragment ``kafka_rest``)."""
    return dict(
        KAFKA_CREDENTIAL.argument_spec(),
        kafka_cluster_id=dict(type="str", required=True),
        rest_endpoint=dict(type="str"),
        environment_id=dict(type="str"),
    )


def validate_topic_name(option, value):
    """Why ``value`` cannot be a Kafka topic name, naming ``option``; None when it can."""
    if not isinstance(value, str) or not TOPIC_NAME.fullmatch(value) or value in (".", ".."):
        return ("%s must be a Kafka topic name, 1 to 249 of the characters a-z, A-Z, 0-9, '.', '_' and '-' (and not "
                "'.' or '..'), got %s" % (option, json.dumps(value)))
    return None


def connector_topic_names(connector_id):
    """The names of the topics that the connector ``connector_id`` (lcc-...) may have created."""
    return ["%s-%s" % (kind, connector_id) for kind in CONNECTOR_TOPIC_KINDS]


def topic_summary(topic):
    """A topic as the modules return it: name, partitions_count, replication_factor, is_internal."""
    return dict(name=topic.get("topic_name"), partitions_count=topic.get("partitions_count"),
                replication_factor=topic.get("replication_factor"), is_internal=topic.get("is_internal"))


def orphaned_connector_topics(topics, connector_ids):
    """The topics named after a connector (dlq-lcc-..., success-lcc-..., error-lcc-...) that is not among
    ``connector_ids``, each with its ``connector_id``."""
    orphaned = []
    for topic in topics:
        match = CONNECTOR_TOPIC.fullmatch(topic["name"] or "")
        if match and match.group(2) not in connector_ids:
            orphaned.append(dict(topic, connector_id=match.group(2)))
    return orphaned


class KafkaRest:
    """Kafka REST v3 of the cluster ``kafka_cluster_id``, at ``rest_endpoint`` or at the endpoint that cmk/v2 shows
    for the cluster in ``environment_id``.

    Built in a module's validate(): the options are checked, and the credential too, before any request.
    """

    def __init__(self, module):
        params = module.params
        self.module = module
        self.cluster_id = params["kafka_cluster_id"]
        self.environment_id = params.get("environment_id")
        self.endpoint = None
        self.client = None
        if params.get("rest_endpoint") is not None:
            self.endpoint = checked_endpoint(params["rest_endpoint"], "rest_endpoint", REST_ENDPOINT_EXAMPLE)
        elif self.environment_id is None:
            raise TaskFailure("Give rest_endpoint, the Kafka cluster's REST endpoint, or environment_id, to read that "
                              "endpoint from the Cloud API (with api_key and api_secret).")
        kafka_key = (params.get("kafka_api_key") or "").strip()
        if kafka_key and kafka_key == (params.get("api_key") or "").strip():
            raise TaskFailure("kafka_api_key is the Cloud API key (api_key): Kafka REST takes an API key of Kafka "
                              "cluster %s itself." % self.cluster_id)
        # The credential is checked now, before any request; the client is built on first use.
        authorization_header(module, KAFKA_CREDENTIAL)

    def connect(self, cloud_client=None):
        """The Kafka REST client, after reading the cluster's endpoint with ``cloud_client`` when no rest_endpoint
        was given; None when the cluster does not exist in environment_id."""
        if self.client is not None:
            return self.client
        if self.endpoint is None:
            cluster = get_in_environment(cloud_client, KAFKA_CLUSTERS, self.cluster_id, self.environment_id)
            if cluster is None:
                return None
            endpoint = (cluster.get("spec") or {}).get("http_endpoint")
            if not endpoint:
                raise TaskFailure("Kafka cluster %s shows no REST endpoint (spec.http_endpoint is empty): give "
                                  "rest_endpoint." % self.cluster_id)
            self.endpoint = checked_endpoint(
                endpoint, "The REST endpoint of Kafka cluster %s (its spec.http_endpoint)" % self.cluster_id,
                REST_ENDPOINT_EXAMPLE)
        self.client = build_client(self.module, self.endpoint, KAFKA_CREDENTIAL)
        return self.client

    def missing_cluster(self):
        """The warning for a cluster that does not exist, where the task said to find it."""
        if self.client is None:
            return "Kafka cluster %s does not exist in environment %s" % (self.cluster_id, self.environment_id)
        return "Kafka cluster %s is not served at %s" % (self.cluster_id, self.endpoint)

    def topics(self):
        """Every topic of the cluster, by name (topic_summary each); None when the endpoint does not know the cluster.

        Kafka REST lists every topic in one answer, without pages.
        """
        response = self.client.get(build_path(TOPICS_PATH, cluster_id=self.cluster_id))
        if response.status == 404:
            return None
        return sorted((topic_summary(topic) for topic in response.json().get("data") or []),
                      key=lambda topic: topic["name"] or "")

    def topic(self, name):
        """(the topic as the API returns it, or None; whether the cluster itself is unknown there)."""
        response = self.client.get(self._topic_path(name))
        if response.status == 404:
            return None, cluster_unknown(response)
        return response.json(), False

    def delete_topic(self, name):
        return self.client.delete(self._topic_path(name))

    def _topic_path(self, name):
        return build_path(TOPIC_PATH, cluster_id=self.cluster_id, topic_name=name)


def cluster_unknown(response):
    """Whether an answer of 404 says that the cluster, not the topic, is unknown (any error_code but 40403)."""
    try:
        error_code = json.loads(response.text).get("error_code")
    except (ValueError, AttributeError):
        return False
    return error_code is not None and error_code != UNKNOWN_TOPIC


class KafkaRestModule(ConfluentModule):
    """A module whose requests go to one cluster's Kafka REST (``self.client``), and to the Cloud API only to read
    the cluster's endpoint or its connectors (``self.cloud``)."""

    path_options = ("kafka_cluster_id", "environment_id")
    id_prefixes = dict(kafka_cluster_id="lkc-", environment_id="env-")

    @classmethod
    def module_kwargs(cls):
        return dict(required_one_of=[("rest_endpoint", "environment_id")])

    def __init__(self, module, client=None):
        super().__init__(module, client)
        self.kafka = None
        self.cloud = None

    def validate(self):
        super().validate()
        try:
            self.kafka = KafkaRest(self.module)
        except TaskFailure as exc:
            raise TaskFailure(str(exc) + self.refusal_ending)

    def needs_cloud(self):
        """Whether the task reads anything from the Cloud API."""
        return self.kafka.endpoint is None

    def make_client(self):
        """The Kafka REST client; None when the cluster does not exist in environment_id."""
        if self.needs_cloud():
            self.cloud = build_client(self.module)
            self.other_clients.append(self.cloud)
        return self.kafka.connect(self.cloud)

    def warn_missing_cluster(self, consequence):
        self.module.warn("%s, so %s; if that is a typo, check kafka_cluster_id and %s."
                         % (self.kafka.missing_cluster(), consequence,
                            "rest_endpoint" if self.module.params.get("rest_endpoint") else "environment_id"))

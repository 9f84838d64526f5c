# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Where each kind of Confluent Cloud resource lives in the API, and how its answers are read.

Modules name a collection (environments, Kafka clusters, ...) instead of building paths and reading pages themselves,
so that every request of a kind is made the same way, whichever module makes it.
"""

from __future__ import annotations

from ._client import build_path, encode_segment
from ._errors import ApiError

CONNECTORS_PATH = "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors"
CONNECTOR_PATH = CONNECTORS_PATH + "/{name}"
# One request returns every connector of a cluster with its ID (lcc-...), configuration and status.
CONNECTOR_EXPANSIONS = "id,info,status"
# Phases in which a cluster is already on its way out (cmk/v2 status.phase).
DEPROVISIONING_PHASES = frozenset(("DEPROVISIONING", "DELETING"))


class Collection:
    """A kind of resource served as a paginated list of items: ``{list_path}`` and ``{list_path}/{id}``.

    ``scope`` names the query parameter that every request of the kind must carry, such as cmk/v2's ``environment``.
    """

    def __init__(self, kind, list_path, scope=None, cloud_api_key_only=None):
        self.kind = kind
        self.list_path = list_path
        self.scope = scope
        # The name of an API whose document declares HTTP Basic only: a Cloud API key, never an access token.
        self.cloud_api_key_only = cloud_api_key_only

    def refusal(self, client):
        """Why the API of this kind will not take the client's credential, before any request; None when it will."""
        if self.cloud_api_key_only and client.authorization_scheme != "Basic":
            return "%s accepts a Cloud API key (api_key and api_secret) only, not an access token" % (
                self.cloud_api_key_only)
        return None

    def item_path(self, item_id):
        return "%s/%s" % (self.list_path, encode_segment(item_id))

    def scope_params(self, scope_id):
        return {self.scope: scope_id} if self.scope else {}

    def get(self, client, item_id, scope_id=None):
        """The item as the API returns it, or None when it does not exist (HTTP 404)."""
        response = client.get(self.item_path(item_id), params=self.scope_params(scope_id) or None)
        if response.status == 404:
            return None
        return response.json()

    def list(self, client, scope_id=None, **filters):
        """Every item, from every page; None when the list answers 404 (its scope does not exist)."""
        params = dict(self.scope_params(scope_id), **filters)
        return client.list_all(self.list_path, params=params)

    def delete(self, client, item_id, scope_id=None):
        return client.delete(self.item_path(item_id), params=self.scope_params(scope_id) or None)


ENVIRONMENTS = Collection("environment", "/org/v2/environments")
KAFKA_CLUSTERS = Collection("Kafka cluster", "/cmk/v2/clusters", scope="environment")
SERVICE_ACCOUNTS = Collection("service account", "/iam/v2/service-accounts")
API_KEYS = Collection("API key", "/iam/v2/api-keys", cloud_api_key_only="Confluent's API keys API")
KSQLDB_CLUSTERS = Collection("ksqlDB cluster", "/ksqldbcm/v2/clusters", scope="environment",
                             cloud_api_key_only="Confluent's ksqlDB API (ksqldbcm/v2)")
FLINK_COMPUTE_POOLS = Collection("Flink compute pool", "/fcpm/v2/compute-pools", scope="environment")


def list_in_environment(client, collection, environment_id):
    """Every item of ``collection`` in one environment; an empty list when the environment does not exist."""
    items = _unless_environment_gone(client, environment_id, lambda: collection.list(client, environment_id))
    return items or []


def get_in_environment(client, collection, item_id, environment_id):
    """One item of ``collection`` in an environment; None when it or the environment does not exist."""
    return _unless_environment_gone(client, environment_id, lambda: collection.get(client, item_id, environment_id))


def _unless_environment_gone(client, environment_id, read):
    """read(), or None when it answers 403 because the environment does not exist.

    Confluent answers a request in an unknown environment with 403 as well as 404, so a 403 means "none" only once
    the environment itself answers 404: a key that may not read still fails with the API's message.
    """
    try:
        return read()
    except ApiError as exc:
        if exc.status == 403 and _environment_is_gone(client, environment_id):
            return None
        raise


def _environment_is_gone(client, environment_id):
    try:
        return ENVIRONMENTS.get(client, environment_id) is None
    except ApiError:
        return False


def missing_parent(client, environment_id, kafka_cluster_id=None):
    """Which of an environment and a Kafka cluster in it does not exist, as a message; None when both exist or the
    API will not tell.

    With a cluster, the cluster is asked first: when it exists, so does its environment, and one GET told both. Only the
    environment's own answer of 404 tells that it does not exist (a request in an unknown environment may answer 403);
    once it exists, the cluster's 404 tells that the cluster does not, and a 403 tells nothing.
    """
    cluster = None
    if kafka_cluster_id is not None:
        cluster = _cluster_exists(client, kafka_cluster_id, environment_id)
        if cluster:
            return None
    if _environment_is_gone(client, environment_id):
        return "environment %s does not exist" % environment_id
    if cluster is False:
        return "Kafka cluster %s does not exist in environment %s" % (kafka_cluster_id, environment_id)
    return None


def _cluster_exists(client, cluster_id, environment_id):
    """True or False as the cluster's GET answers; None when it will not tell (an answer of 403, say)."""
    try:
        return KAFKA_CLUSTERS.get(client, cluster_id, environment_id) is not None
    except ApiError:
        return None


def delete_connector(client, environment_id, kafka_cluster_id, name):
    """DELETE a connector by name, the only way the Connect API deletes one; the answer, 404 included."""
    return client.delete(build_path(CONNECTOR_PATH, environment_id=environment_id, kafka_cluster_id=kafka_cluster_id,
                                    name=name))


def ksqldb_clusters_of(client, environment_id, kafka_cluster_id=None):
    """The ksqlDB clusters of an environment (only those on ``kafka_cluster_id`` and not already being deleted, when
    given), each as id, display_name and kafka_cluster_id; None when the credential may not list them."""
    if KSQLDB_CLUSTERS.refusal(client):
        return None
    found = [dict(id=ksqldb.get("id"), display_name=display_name(ksqldb),
                  kafka_cluster_id=((ksqldb.get("spec") or {}).get("kafka_cluster") or {}).get("id"),
                  deleting=is_being_deleted(ksqldb))
             for ksqldb in list_in_environment(client, KSQLDB_CLUSTERS, environment_id)]
    if kafka_cluster_id is not None:
        found = [ksqldb for ksqldb in found if ksqldb["kafka_cluster_id"] == kafka_cluster_id and not ksqldb["deleting"]]
    return [dict((key, value) for key, value in ksqldb.items() if key != "deleting") for ksqldb in found]


def list_connectors(client, environment_id, kafka_cluster_id):
    """The connectors of a cluster, one dict each (see connector_summary); None when the cluster or its environment
    does not exist."""
    response = client.get(build_path(CONNECTORS_PATH, environment_id=environment_id, kafka_cluster_id=kafka_cluster_id),
                          params={"expand": CONNECTOR_EXPANSIONS})
    if response.status == 404:
        return None
    return [connector_summary(name, expansion) for name, expansion in sorted(response.json().items())]


def connector_summary(name, expansion):
    """A connector from the list's expansions: name, id (lcc-...), type, state, trace, tasks and config.

    The config is the API's own, with the secret values it masks still masked.
    """
    expansion = expansion if isinstance(expansion, dict) else {}
    info = expansion.get("info") or {}
    status = expansion.get("status") or {}
    connector_status = status.get("connector") or {}
    return dict(
        name=name,
        id=(expansion.get("id") or {}).get("id"),
        type=info.get("type") or status.get("type"),
        state=connector_status.get("state"),
        trace=connector_status.get("trace") or "",
        tasks=status.get("tasks") or [],
        config=info.get("config") or {},
    )


def without_secret(api_key):
    """An API key as the API returned it, minus ``spec.secret``, which the API sends only on create: never pass one on."""
    spec = dict(api_key.get("spec") or {})
    spec.pop("secret", None)
    return dict(api_key, spec=spec)


def api_key_summary(api_key):
    """What identifies an API key without its secret: ID, display name, owner and the resource it opens."""
    spec = api_key.get("spec") or {}
    return dict(id=api_key.get("id"), display_name=spec.get("display_name"),
                owner=(spec.get("owner") or {}).get("id"), resource=(spec.get("resource") or {}).get("id"))


def display_name(resource):
    """The display name of an org/v2 or iam/v2 resource, or of a cmk/v2 cluster (which keeps it in spec)."""
    if "display_name" in resource:
        return resource["display_name"]
    return (resource.get("spec") or {}).get("display_name")


def is_being_deleted(resource):
    """Whether the API already accepted the resource's deletion and is carrying it out."""
    if (resource.get("metadata") or {}).get("deleted_at"):
        return True
    return (resource.get("status") or {}).get("phase") in DEPROVISIONING_PHASES


def api_key_owner(client, key_id):
    """The ID of the service account (sa-...) or user (u-...) that owns an API key; None when the key does not exist.

    Raises ApiError, with a hint, when the API will not tell: the caller must then not assume "not the owner".
    """
    try:
        api_key = API_KEYS.get(client, key_id)
    except ApiError as exc:
        exc.add_hint("Cannot tell which service account owns the API key %s that this task authenticates with, so "
                     "nothing was deleted" % key_id)
        raise
    return (((api_key or {}).get("spec") or {}).get("owner") or {}).get("id")


def owns_credential_reason(key_id):
    """Why a service account must stay: deleting it deletes the key the run authenticates with."""
    return ("it owns the API key %s that this run authenticates with (api_key); deleting it would delete that key "
            "and lock the run out" % key_id)

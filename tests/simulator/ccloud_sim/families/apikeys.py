"""iam/v2 API keys (apikeys-v2.yaml), seeded in ``api_keys``; a seed credential with a key's id stops
authenticating when the key is deleted."""

from __future__ import annotations

from urllib.parse import quote

from ..common import SeedError, by_id, principal_ref, resource, seed_id, seed_times
from ..paging import list_page
from ..routing import Family, Route, delete_with, find_by_id, get_with, no_content


class ApiKey:
    __slots__ = ("id", "seq", "owner", "resource", "resource_env", "display_name", "description", "created_at",
                 "updated_at")

    def __init__(self, spec, seq, now, cluster_envs):
        self.id = seed_id(spec, "every API key needs a non-empty string 'id'")
        what = "API key %s" % self.id
        self.seq = seq
        self.owner = spec.get("owner")
        if not isinstance(self.owner, str) or not self.owner.startswith(("sa-", "u-")):
            raise SeedError("%s: owner must be a service account (sa-...) or a user (u-...) id" % what)
        self.resource = spec.get("resource", "cloud")
        if not isinstance(self.resource, str) or not (self.resource == "cloud" or self.resource.startswith("lkc-")):
            raise SeedError("%s: resource must be a Kafka cluster id (lkc-...) or 'cloud' for a Cloud API key" % what)
        # The environment of the key's cluster, as seeded; kept when the cluster goes.
        self.resource_env = cluster_envs.get(self.resource)
        self.display_name = spec.get("display_name", "")
        self.description = spec.get("description", "")
        if not isinstance(self.display_name, str) or not isinstance(self.description, str):
            raise SeedError("%s: display_name and description must be strings" % what)
        self.created_at, self.updated_at = seed_times(spec, now, what)

    def _resource_ref(self, base, org_id):
        org_crn = "crn://confluent.cloud/organization=%s" % org_id
        if self.resource == "cloud":
            return {"id": "cloud", "related": "%s/org/v2/organizations/%s" % (base, quote(org_id, safe="")),
                    "resource_name": org_crn, "kind": "Cloud"}
        ref = {"id": self.resource,
               "related": "%s/cmk/v2/clusters/%s" % (base, quote(self.resource, safe="")),
               "resource_name": "%s/cloud-cluster=%s" % (org_crn, self.resource),
               "api_version": "cmk/v2", "kind": "Cluster"}
        if self.resource_env:
            ref["environment"] = self.resource_env
            ref["resource_name"] = "%s/environment=%s/cloud-cluster=%s" % (org_crn, self.resource_env, self.resource)
        return ref

    def body(self, base, org_id):
        # Never a spec.secret: the real API returns the secret only in the answer to a create.
        return resource("iam/v2", "ApiKey", self, "%s/iam/v2/api-keys/%s" % (base, quote(self.id, safe="")),
                        "crn://confluent.cloud/organization=%s/api-key=%s" % (org_id, self.id),
                        spec={"display_name": self.display_name, "description": self.description,
                              "owner": principal_ref(base, org_id, self.owner),
                              "resource": self._resource_ref(base, org_id)})


def load_seed(seed, now, data):
    cluster_envs = {}
    for env in data["org"].values():
        for cluster_id in env.clusters:
            cluster_envs.setdefault(cluster_id, env.id)
    service_accounts = data["iam"]

    def check_owner(api_key):
        if api_key.owner.startswith("sa-") and api_key.owner not in service_accounts:
            raise SeedError("API key %s: owner %s is not a seeded service account" % (api_key.id, api_key.owner))

    return by_id((ApiKey(spec, seq, now, cluster_envs) for seq, spec in enumerate(seed.get("api_keys") or [])),
                 "API key", check_owner)


def state(sim, _now):
    return {"api_keys": [
        {"id": k.id, "owner": k.owner, "resource": k.resource, "display_name": k.display_name,
         "description": k.description, "created_at": k.created_at, "credential": sim.has_credential(k.id)}
        for k in sim.data["apikeys"].values()]}


def delete_api_key(sim, key_id):
    """Remove an API key; a seed credential with the same id stops authenticating."""
    del sim.data["apikeys"][key_id]
    sim.forget_credential(key_id)


find_api_key = find_by_id("apikeys", "id", "The API key '%s' was not found")


def list_api_keys(req):
    params = req.query_params()
    keys = list(req.sim.data["apikeys"].values())
    link_params = []
    for name, attr in (("spec.owner", "owner"), ("spec.resource", "resource")):
        wanted = params.get(name, [""])[-1]
        if wanted:
            keys = [k for k in keys if getattr(k, attr) == wanted]
            link_params.append((name, wanted))
    return list_page(req, params, keys, "key", "/iam/v2/api-keys", link_params, "iam/v2", "ApiKeyList")


def delete_api_key_route(req, api_key):
    delete_api_key(req.sim, api_key.id)
    return no_content()


FAMILY = Family("apikeys", "/iam/", seed_lists=("api_keys",), load_seed=load_seed, state=state, routes=[
    Route("GET", "/iam/v2/api-keys", list_api_keys),
    Route("GET", "/iam/v2/api-keys/{id}", get_with(find_api_key)),
    Route("DELETE", "/iam/v2/api-keys/{id}", delete_with(find_api_key, delete_api_key_route)),
])

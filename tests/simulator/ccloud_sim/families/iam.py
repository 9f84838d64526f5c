"""iam/v2 service accounts, seeded in ``service_accounts``; deleting one deletes its API keys too."""

from __future__ import annotations

from urllib.parse import quote

from ..common import SeedError, by_id, resource, seed_id, seed_str, seed_times
from ..paging import list_page
from ..routing import Family, Route, delete_with, find_by_id, get_with, no_content
from .apikeys import delete_api_key


class ServiceAccount:
    __slots__ = ("id", "seq", "display_name", "description", "created_at", "updated_at")

    def __init__(self, spec, seq, now):
        self.id = seed_id(spec, "every service account needs a string 'id' that starts with 'sa-'",
                          lambda sa_id: sa_id.startswith("sa-"))
        what = "service account %s" % self.id
        self.seq = seq
        self.display_name = seed_str(spec, "display_name", self.id, what)
        self.description = spec.get("description", "")
        if not isinstance(self.description, str):
            raise SeedError("%s: description must be a string" % what)
        self.created_at, self.updated_at = seed_times(spec, now, what)

    def body(self, base, org_id):
        return resource("iam/v2", "ServiceAccount", self,
                        "%s/iam/v2/service-accounts/%s" % (base, quote(self.id, safe="")),
                        "crn://confluent.cloud/organization=%s/service-account=%s" % (org_id, self.id),
                        display_name=self.display_name, description=self.description)


def load_seed(seed, now, _data):
    return by_id((ServiceAccount(spec, seq, now) for seq, spec in enumerate(seed.get("service_accounts") or [])),
                 "service account")


def state(sim, _now):
    keys = sim.data["apikeys"].values()
    return {"service_accounts": [
        {"id": sa.id, "display_name": sa.display_name, "description": sa.description,
         "created_at": sa.created_at, "api_keys": [k.id for k in keys if k.owner == sa.id]}
        for sa in sim.data["iam"].values()]}


find_service_account = find_by_id("iam", "id", "The service account '%s' was not found")


def list_service_accounts(req):
    params = req.query_params()
    # display_name is a MultipleSearchFilter with explode: true: repeat the parameter for
    # several names; each value is one exact display name (a comma is part of the name).
    names = [v for v in params.get("display_name", []) if v]
    accounts = [sa for sa in req.sim.data["iam"].values() if not names or sa.display_name in names]
    return list_page(req, params, accounts, "sa", "/iam/v2/service-accounts", [("display_name", v) for v in names],
                     "iam/v2", "ServiceAccountList")


def delete_service_account(req, sa):
    # iam-v2.yaml: deleting a service account also deletes its cloud and cluster API keys.
    del req.sim.data["iam"][sa.id]
    for key_id in [k.id for k in req.sim.data["apikeys"].values() if k.owner == sa.id]:
        delete_api_key(req.sim, key_id)
    return no_content()


FAMILY = Family("iam", "/iam/", seed_lists=("service_accounts",), load_seed=load_seed, state=state, routes=[
    Route("GET", "/iam/v2/service-accounts", list_service_accounts),
    Route("GET", "/iam/v2/service-accounts/{id}", get_with(find_service_account)),
    Route("DELETE", "/iam/v2/service-accounts/{id}", delete_with(find_service_account, delete_service_account)),
])

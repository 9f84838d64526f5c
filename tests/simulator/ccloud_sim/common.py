"""What the parts of the simulator share: the seed error, seed values, resource metadata and JSON."""

from __future__ import annotations

import datetime as _dt
import json
import re
from urllib.parse import quote

DEFAULT_ORG_ID = "a5a1c5e0-0000-4000-8000-00000000c0de"


class SeedError(ValueError):
    """Raised for an invalid seed, fault or configuration document."""


def rfc3339(ts: float) -> str:
    return _dt.datetime.fromtimestamp(ts, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


RFC3339_RE = re.compile(r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(\.\d+)?([Zz]|[+-]\d\d:\d\d)")


def seed_time(spec, key, what):
    """The RFC 3339 date-time of seed key ``key``, as given, or None when the key is absent."""
    value = spec.get(key)
    if value is None:
        return None
    match = RFC3339_RE.fullmatch(value) if isinstance(value, str) else None
    if match:
        try:
            _dt.datetime(*(int(g) for g in match.groups()[:6]))
        except ValueError:
            match = None
    if not match:
        raise SeedError("%s: %s must be an RFC 3339 date-time such as 2024-05-01T12:00:00Z, got %r"
                        % (what, key, value))
    return value


def seed_created_at(spec, now, what):
    """created_at of a seeded resource: the seed's ``created_at``, or ``now`` minus its ``age`` (seconds), or now."""
    created = seed_time(spec, "created_at", what)
    age = spec.get("age")
    if age is None:
        return created or rfc3339(now)
    if created is not None:
        raise SeedError("%s: give created_at or age, not both" % what)
    if isinstance(age, bool) or not isinstance(age, (int, float)) or not 0 <= age < 1e10:
        raise SeedError("%s: age must be a number of seconds >= 0, got %r" % (what, age))
    return rfc3339(now - age)


def seed_times(spec, now, what):
    """(created_at, updated_at) of a seeded resource; updated_at defaults to created_at."""
    created = seed_created_at(spec, now, what)
    return created, seed_time(spec, "updated_at", what) or created


def kafka_host(cluster_id, region, cloud):
    return "pkc-%s.%s.%s.confluent.cloud" % (cluster_id.split("-")[-1][:5] or "xxxxx", region, cloud.lower())


def seed_str(spec, key, default, what):
    value = spec.get(key, default)
    if not isinstance(value, str) or not value:
        raise SeedError("%s: %s must be a non-empty string" % (what, key))
    return value


def by_id(models, what, check=None):
    """The models of a seed list, by id and in seed order; a repeated id is an error. ``models`` may be a
    generator, so that each is checked (also by ``check``, when given) before the next one is read."""
    out = {}
    for model in models:
        if model.id in out:
            raise SeedError("duplicate %s %r" % (what, model.id))
        if check is not None:
            check(model)
        out[model.id] = model
    return out


def seed_id(spec, message, valid=bool):
    """The id of a seed entry: a string for which ``valid`` holds; else SeedError(message)."""
    if not isinstance(spec, dict) or not isinstance(spec.get("id"), str) or not valid(spec["id"]):
        raise SeedError(message)
    return spec["id"]


def resource(api_version, kind, model, self_url, resource_name, **fields):
    """The JSON of a resource: api_version, kind, id and metadata, then ``fields`` in their order."""
    out = {"api_version": api_version, "kind": kind, "id": model.id,
           "metadata": metadata(self_url, resource_name, model)}
    out.update(fields)
    return out


def metadata(self_url, resource_name, model):
    """The ``metadata`` of a resource's JSON: its links and times (``deleted_at`` once it is being deleted)."""
    meta = {"self": self_url, "resource_name": resource_name, "created_at": model.created_at,
            "updated_at": model.updated_at}
    if getattr(model, "deleted_at", None):
        meta["deleted_at"] = model.deleted_at
    return meta


def environment_crn(org_id, env_id):
    return "crn://confluent.cloud/organization=%s/environment=%s" % (org_id, env_id)


def environment_ref(base, org_id, env_id):
    """The ``environment`` reference of an environment-scoped resource: id, related and resource_name."""
    return {"id": env_id, "related": "%s/org/v2/environments/%s" % (base, quote(env_id, safe="")),
            "resource_name": environment_crn(org_id, env_id)}


def principal_ref(base, org_id, principal):
    """The reference to a service account (``sa-...``) or a user (``u-...``), as iam/v2 writes it."""
    if principal.startswith("sa-"):
        collection, crn_kind, kind = "service-accounts", "service-account", "ServiceAccount"
    else:
        collection, crn_kind, kind = "users", "user", "User"
    return {"id": principal,
            "related": "%s/iam/v2/%s/%s" % (base, collection, quote(principal, safe="")),
            "resource_name": "crn://confluent.cloud/organization=%s/%s=%s" % (org_id, crn_kind, principal),
            "api_version": "iam/v2", "kind": kind}


def json_bytes(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

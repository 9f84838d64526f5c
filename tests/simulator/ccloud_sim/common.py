"""What every part of the simulator shares: the seed error, constants, and the helpers of seed values and JSON."""

from __future__ import annotations

import datetime as _dt
import json
import re

SIM_PREFIX = "/_sim/"
DEFAULT_ORG_ID = "a5a1c5e0-0000-4000-8000-00000000c0de"
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
MAX_PAGE_TOKEN_LEN = 255
MASK = "****************"
# cmk.v2.ClusterSpec.config kinds in cmk-v2.yaml
CLUSTER_KINDS = ("Basic", "Standard", "Dedicated", "Enterprise", "Freight")
# connect_v1_ConnectorExpansion_status_connector.state in connect-v1.yaml
CONNECTOR_STATES = ("NONE", "PROVISIONING", "RUNNING", "DEGRADED", "FAILED", "PAUSED", "DELETED")


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


def latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return "\r" not in text and "\n" not in text


def config_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def kafka_host(cluster_id, region, cloud):
    return "pkc-%s.%s.%s.confluent.cloud" % (cluster_id.split("-")[-1][:5] or "xxxxx", region, cloud.lower())


def seed_str(spec, key, default, what):
    value = spec.get(key, default)
    if not isinstance(value, str) or not value:
        raise SeedError("%s: %s must be a non-empty string" % (what, key))
    return value



def json_bytes(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


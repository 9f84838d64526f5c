"""Local simulator of the Confluent Cloud REST API (org/v2 environments, cmk/v2 Kafka clusters,
connect/v1 connectors, iam/v2 service accounts and API keys).

Standard library only. Shapes follow the OpenAPI documents of Confluent Cloud
(org/v2, cmk/v2, connect/v1, iam/v2 and apikeys/v2). See README.md in this folder
for the seed format, the command line and the ``/_sim/`` control API.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import copy
import errno
import hashlib
import ipaddress
import itertools
import math
import os
import re
import shlex
import signal
import socket
import ssl
import sys
import threading
import time
from urllib.parse import parse_qs, quote, unquote, urlencode

# The package next to this file; run as a script under python -I, this folder is not on sys.path by itself.
HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

# pylint: disable=wrong-import-position
from ccloud_sim.common import (  # noqa: E402
    CLUSTER_KINDS, CONNECTOR_STATES, DEFAULT_ORG_ID, DEFAULT_PAGE_SIZE, MASK, MAX_PAGE_SIZE, MAX_PAGE_TOKEN_LEN,
    SeedError, config_value, json_bytes, kafka_host, rfc3339, seed_created_at, seed_str, seed_time)
from ccloud_sim.faults import Fault  # noqa: E402
from ccloud_sim.seed import load_seed_file, parse_credentials, parse_delay, parse_rate_limit  # noqa: E402
from ccloud_sim.server import Handler, SimServer  # noqa: E402

__all__ = ["Simulator", "SeedError", "start_simulator", "load_seed_file", "main"]

REQUIRED_CONNECTOR_CONFIG_DEFAULTS = {
    "cloud.environment": "prod",
    "cloud.provider": "aws",
    "connector.class": "DatagenSource",
    "kafka.api.key": MASK,
    "kafka.api.secret": MASK,
    "kafka.region": "us-west-2",
}


# --------------------------------------------------------------------------- state


class _Connector:
    __slots__ = ("name", "id", "type", "config", "tasks", "state")

    def __init__(self, env_id, cluster, spec):
        if not isinstance(spec, dict):
            raise SeedError("connector entries must be mappings")
        name = spec.get("name")
        if not isinstance(name, str) or not name:
            raise SeedError("every connector needs a non-empty string 'name'")
        self.name = name
        ctype = spec.get("type", "sink")
        if ctype not in ("sink", "source"):
            raise SeedError("connector %r: type must be 'sink' or 'source'" % name)
        self.type = ctype
        raw_config = spec.get("config") or {}
        if not isinstance(raw_config, dict):
            raise SeedError("connector %r: config must be a mapping" % name)
        config = {str(k): config_value(v) for k, v in raw_config.items()}
        config.setdefault("cloud.provider", cluster.cloud.lower())
        config.setdefault("kafka.region", cluster.region)
        for key, default in REQUIRED_CONNECTOR_CONFIG_DEFAULTS.items():
            config.setdefault(key, default)
        host = kafka_host(cluster.id, config["kafka.region"], config["cloud.provider"])
        config.setdefault("kafka.endpoint", "SASL_SSL://%s:9092" % host)
        config.setdefault("name", name)
        self.config = config
        digest = hashlib.sha1(("%s/%s/%s" % (env_id, cluster.id, name)).encode("utf-8")).hexdigest()
        self.id = spec.get("id") or "lcc-" + digest[:6]
        if not isinstance(self.id, str) or not self.id.startswith("lcc-"):
            raise SeedError("connector %r: id must be a string that starts with 'lcc-'" % name)
        tasks = spec.get("tasks")
        if tasks is None:
            try:
                tasks = int(config.get("tasks.max", "1"))
            except ValueError:
                tasks = 1
        if isinstance(tasks, list):
            tasks = len(tasks)
        if not isinstance(tasks, int) or tasks < 0:
            raise SeedError("connector %r: tasks must be a non-negative integer" % name)
        self.tasks = tasks
        self.state = spec.get("state", "RUNNING")
        if self.state not in CONNECTOR_STATES:
            raise SeedError("connector %r: state must be one of %s" % (name, ", ".join(CONNECTOR_STATES)))

    def task_states(self):
        """Each task has the connector's state, except that a DEGRADED connector has its first task FAILED."""
        if self.state == "DEGRADED":
            return ["FAILED"] + ["RUNNING"] * (self.tasks - 1) if self.tasks else []
        return [self.state] * self.tasks

    def body(self):
        return {
            "name": self.name,
            "config": dict(self.config),
            "tasks": [{"connector": self.name, "task": i} for i in range(self.tasks)],
            "type": self.type,
        }

    def expansion(self, wanted):
        out = {}
        if "id" in wanted:
            out["id"] = {"id": self.id, "id_type": "ID"}
        if "info" in wanted:
            out["info"] = {"name": self.name, "config": dict(self.config), "type": self.type}
        if "status" in wanted:
            out["status"] = {
                "name": self.name,
                "connector": {"state": self.state, "worker_id": self.name, "trace": ""},
                "tasks": [{"id": i, "state": state, "worker_id": self.name}
                          for i, state in enumerate(self.task_states())],
                "type": self.type,
            }
        return out

    def snapshot(self):
        return {"name": self.name, "id": self.id, "type": self.type, "config": dict(self.config),
                "tasks": self.tasks, "state": self.state}



class _Cluster:
    __slots__ = ("id", "env_id", "seq", "display_name", "availability", "cloud", "region", "config",
                 "deletion_protection", "created_at", "updated_at", "connectors", "deleted_at", "gone_at")

    def __init__(self, env_id, spec, seq, now):
        if not isinstance(spec, dict) or not isinstance(spec.get("id"), str) or not spec["id"]:
            raise SeedError("every cluster needs a non-empty string 'id'")
        self.id = spec["id"]
        what = "cluster %s" % self.id
        self.env_id = env_id
        self.seq = seq
        self.display_name = seed_str(spec, "display_name", self.id, what)
        self.availability = seed_str(spec, "availability", "SINGLE_ZONE", what)
        self.cloud = seed_str(spec, "cloud", "AWS", what)
        self.region = seed_str(spec, "region", "us-west-2", what)
        config = spec.get("config", {"kind": "Basic"})
        if not isinstance(config, dict) or config.get("kind") not in CLUSTER_KINDS:
            raise SeedError("%s: config must be a mapping whose kind is one of %s" % (what, ", ".join(CLUSTER_KINDS)))
        self.config = dict(config)
        if self.config["kind"] == "Dedicated":
            self.config.setdefault("cku", 1)
        self.deletion_protection = spec.get("deletion_protection")
        if self.deletion_protection is not None and not isinstance(self.deletion_protection, bool):
            raise SeedError("%s: deletion_protection must be true or false" % what)
        self.created_at = seed_created_at(spec, now, what)
        self.updated_at = seed_time(spec, "updated_at", what) or self.created_at
        self.deleted_at = None
        self.gone_at = None
        self.connectors = {}
        for cspec in spec.get("connectors") or []:
            conn = _Connector(env_id, self, cspec)
            if conn.name in self.connectors:
                raise SeedError("cluster %s: duplicate connector %r" % (self.id, conn.name))
            self.connectors[conn.name] = conn

    @property
    def protected(self):
        return self.deletion_protection is True

    def body(self, base, org_id):
        env_crn = "crn://confluent.cloud/organization=%s/environment=%s" % (org_id, self.env_id)
        meta = {
            "self": "%s/cmk/v2/clusters/%s" % (base, quote(self.id, safe="")),
            "resource_name": "%s/cloud-cluster=%s" % (env_crn, self.id),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }
        if self.deleted_at:
            meta["deleted_at"] = self.deleted_at
        host = kafka_host(self.id, self.region, self.cloud)
        spec = {
            "display_name": self.display_name,
            "availability": self.availability,
            "cloud": self.cloud,
            "region": self.region,
            "config": dict(self.config),
            "kafka_bootstrap_endpoint": "SASL_SSL://%s:9092" % host,
            "http_endpoint": "https://%s:443" % host,
            "environment": {"id": self.env_id,
                            "related": "%s/org/v2/environments/%s" % (base, quote(self.env_id, safe="")),
                            "resource_name": env_crn},
        }
        if self.deletion_protection is not None:
            spec["deletion_protection"] = self.deletion_protection
        status = {"phase": "DEPROVISIONING" if self.gone_at is not None else "PROVISIONED"}
        if "cku" in self.config:
            status["cku"] = self.config["cku"]
        return {"api_version": "cmk/v2", "kind": "Cluster", "id": self.id, "metadata": meta, "spec": spec,
                "status": status}

    def snapshot(self, now):
        return {"id": self.id, "display_name": self.display_name, "deletion_protection": self.protected,
                "deleting": self.gone_at is not None, "deleted_at": self.deleted_at,
                "gone_in": None if self.gone_at is None else max(0.0, self.gone_at - now),
                "created_at": self.created_at,
                "connectors": [c.snapshot() for c in self.connectors.values()]}


class _Environment:
    __slots__ = ("id", "display_name", "seq", "created_at", "updated_at", "package", "clusters",
                 "delete_requested", "deleted_at", "gone_at")

    def __init__(self, spec, seq, now, cluster_seq):
        if not isinstance(spec, dict) or not isinstance(spec.get("id"), str) or not spec["id"]:
            raise SeedError("every environment needs a non-empty string 'id'")
        self.id = spec["id"]
        self.display_name = str(spec.get("display_name", self.id))
        self.seq = seq
        self.created_at = seed_created_at(spec, now, "environment %s" % self.id)
        self.updated_at = seed_time(spec, "updated_at", "environment %s" % self.id) or self.created_at
        sgc = spec.get("stream_governance_config") or {}
        self.package = str(sgc.get("package", "ESSENTIALS")) if isinstance(sgc, dict) else "ESSENTIALS"
        self.clusters = {}
        for cl in spec.get("clusters") or []:
            cluster = _Cluster(self.id, cl, next(cluster_seq), now)
            if cluster.id in self.clusters:
                raise SeedError("environment %s: duplicate cluster %r" % (self.id, cluster.id))
            self.clusters[cluster.id] = cluster
        self.delete_requested = None
        self.deleted_at = None
        self.gone_at = None

    def body(self, base, org_id):
        meta = {
            "self": "%s/org/v2/environments/%s" % (base, quote(self.id, safe="")),
            "resource_name": "crn://confluent.cloud/organization=%s/environment=%s" % (org_id, self.id),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }
        if self.deleted_at:
            meta["deleted_at"] = self.deleted_at
        return {
            "api_version": "org/v2",
            "kind": "Environment",
            "id": self.id,
            "metadata": meta,
            "display_name": self.display_name,
            "stream_governance_config": {"package": self.package},
        }


class _ServiceAccount:
    __slots__ = ("id", "seq", "display_name", "description", "created_at", "updated_at")

    def __init__(self, spec, seq, now):
        if not isinstance(spec, dict) or not isinstance(spec.get("id"), str) or not spec["id"].startswith("sa-"):
            raise SeedError("every service account needs a string 'id' that starts with 'sa-'")
        self.id = spec["id"]
        what = "service account %s" % self.id
        self.seq = seq
        self.display_name = seed_str(spec, "display_name", self.id, what)
        self.description = spec.get("description", "")
        if not isinstance(self.description, str):
            raise SeedError("%s: description must be a string" % what)
        self.created_at = seed_created_at(spec, now, what)
        self.updated_at = seed_time(spec, "updated_at", what) or self.created_at

    def body(self, base, org_id):
        return {
            "api_version": "iam/v2",
            "kind": "ServiceAccount",
            "id": self.id,
            "metadata": {
                "self": "%s/iam/v2/service-accounts/%s" % (base, quote(self.id, safe="")),
                "resource_name": "crn://confluent.cloud/organization=%s/service-account=%s" % (org_id, self.id),
                "created_at": self.created_at,
                "updated_at": self.updated_at,
            },
            "display_name": self.display_name,
            "description": self.description,
        }


class _ApiKey:
    __slots__ = ("id", "seq", "owner", "resource", "resource_env", "display_name", "description", "created_at",
                 "updated_at")

    def __init__(self, spec, seq, now, cluster_envs):
        if not isinstance(spec, dict) or not isinstance(spec.get("id"), str) or not spec["id"]:
            raise SeedError("every API key needs a non-empty string 'id'")
        self.id = spec["id"]
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
        self.created_at = seed_created_at(spec, now, what)
        self.updated_at = seed_time(spec, "updated_at", what) or self.created_at

    def _owner_ref(self, base, org_id):
        if self.owner.startswith("sa-"):
            collection, crn_kind, kind = "service-accounts", "service-account", "ServiceAccount"
        else:
            collection, crn_kind, kind = "users", "user", "User"
        return {"id": self.owner,
                "related": "%s/iam/v2/%s/%s" % (base, collection, quote(self.owner, safe="")),
                "resource_name": "crn://confluent.cloud/organization=%s/%s=%s" % (org_id, crn_kind, self.owner),
                "api_version": "iam/v2", "kind": kind}

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
        return {
            "api_version": "iam/v2",
            "kind": "ApiKey",
            "id": self.id,
            "metadata": {
                "self": "%s/iam/v2/api-keys/%s" % (base, quote(self.id, safe="")),
                "resource_name": "crn://confluent.cloud/organization=%s/api-key=%s" % (org_id, self.id),
                "created_at": self.created_at,
                "updated_at": self.updated_at,
            },
            "spec": {
                "display_name": self.display_name,
                "description": self.description,
                "owner": self._owner_ref(base, org_id),
                "resource": self._resource_ref(base, org_id),
            },
        }


# --------------------------------------------------------------------------- simulator


class Simulator:
    """In-process Confluent Cloud API simulator.

    ``Simulator(seed).start()`` serves on ``host:port`` in background threads;
    ``url`` is its base URL and ``stop()`` shuts it down.
    """

    def __init__(self, seed=None, host="127.0.0.1", port=0, delete_delay=None, rate_limit=None,
                 rate_window=None, tls_cert=None, tls_key=None, verbose=False):
        if isinstance(seed, (str, os.PathLike)):
            seed = load_seed_file(os.fspath(seed))
        self._lock = threading.RLock()
        self._stop_event = threading.Event()
        self.host = host
        self.port = port
        self.verbose = verbose
        self.tls_cert = tls_cert
        self.tls_key = tls_key
        self._overrides = {}
        if delete_delay is not None:
            self._overrides["delete_delay"] = parse_delay(delete_delay)
        if rate_limit is not None or rate_window is not None:
            rl = {}
            if rate_limit is not None:
                rl["limit"] = rate_limit
            if rate_window is not None:
                rl["window"] = rate_window
            self._overrides["rate_limit"] = rl
        self._server = None
        self._thread = None
        self.url = None
        self.last_activity = time.monotonic()
        self._clock_offset = 0.0
        self.load_seed(seed or {})

    # ----------------------------------------------------------------- seed and config

    def load_seed(self, seed):
        """Replace the whole state with ``seed``; resets log, faults and rate-limit counters."""
        if not isinstance(seed, dict):
            raise SeedError("the seed must be a mapping")
        # Kept for reset(), taken before parsing: parsing may fill in defaults, and a caller may change its dict later.
        original = copy.deepcopy(seed)
        now = time.time()  # the clock offset goes back to 0 with the new seed
        envs = {}
        cluster_seq = itertools.count()
        for seq, spec in enumerate(seed.get("environments") or []):
            env = _Environment(spec, seq, now, cluster_seq)
            if env.id in envs:
                raise SeedError("duplicate environment %r" % env.id)
            envs[env.id] = env
        basic, tokens = parse_credentials(seed.get("credentials"))
        rate = parse_rate_limit(seed.get("rate_limit"))
        rate = parse_rate_limit(self._overrides.get("rate_limit"), rate)
        delay = parse_delay(seed.get("delete_delay", 2.0))
        if "delete_delay" in self._overrides:
            delay = self._overrides["delete_delay"]
        sas, keys = self._parse_iam(seed, now, envs)
        org_id = str(seed.get("organization_id") or DEFAULT_ORG_ID)
        faults = [Fault(f) for f in (seed.get("faults") or [])]
        with self._lock:
            self._envs = envs
            self._sas = sas
            self._keys = keys
            self._basic = basic
            self._tokens = tokens
            self._rate_limit, self._rate_window = rate
            self._delete_delay = delay
            self._org_id = org_id
            self._faults = faults
            self._log = []
            self._buckets = {}
            self._clock_offset = 0.0
            self._generation = getattr(self, "_generation", 0) + 1
            self._seed_doc = original

    def reset(self):
        """Load the current seed again (the one given at start or by the last load_seed); same effects as load_seed."""
        with self._lock:
            seed = copy.deepcopy(self._seed_doc)
        self.load_seed(seed)

    @staticmethod
    def _parse_iam(seed, now, envs):
        """Service accounts and API keys of a seed, as two dicts in seed order."""
        cluster_envs = {}
        for env in envs.values():
            for cluster_id in env.clusters:
                cluster_envs.setdefault(cluster_id, env.id)
        sas, keys = {}, {}
        for key, items in (("service_accounts", seed.get("service_accounts")), ("api_keys", seed.get("api_keys"))):
            if items is not None and not isinstance(items, list):
                raise SeedError("'%s' must be a list" % key)
        for seq, spec in enumerate(seed.get("service_accounts") or []):
            sa = _ServiceAccount(spec, seq, now)
            if sa.id in sas:
                raise SeedError("duplicate service account %r" % sa.id)
            sas[sa.id] = sa
        for seq, spec in enumerate(seed.get("api_keys") or []):
            api_key = _ApiKey(spec, seq, now, cluster_envs)
            if api_key.id in keys:
                raise SeedError("duplicate API key %r" % api_key.id)
            if api_key.owner.startswith("sa-") and api_key.owner not in sas:
                raise SeedError("API key %s: owner %s is not a seeded service account" % (api_key.id, api_key.owner))
            keys[api_key.id] = api_key
        return sas, keys

    def configure(self, config):
        """Change rate_limit / delete_delay / credentials at run time."""
        if not isinstance(config, dict):
            raise SeedError("the config must be a mapping")
        unknown = set(config) - {"rate_limit", "delete_delay", "credentials"}
        if unknown:
            raise SeedError("unknown config keys: %s" % ", ".join(sorted(unknown)))
        with self._lock:
            rate = parse_rate_limit(config.get("rate_limit"), (self._rate_limit, self._rate_window))
            delay = parse_delay(config["delete_delay"]) if "delete_delay" in config else self._delete_delay
            creds = parse_credentials(config["credentials"]) if "credentials" in config else None
            if "rate_limit" in config:
                self._rate_limit, self._rate_window = rate
                self._buckets = {}
            self._delete_delay = delay
            if creds is not None:
                self._basic, self._tokens = creds
            return self._config_snapshot()

    def _config_snapshot(self):
        return {
            "rate_limit": {"limit": self._rate_limit, "window": self._rate_window},
            "delete_delay": self._delete_delay,
            "api_keys": sorted(self._basic),
            "tokens": len(self._tokens),
            "organization_id": self._org_id,
        }

    # ----------------------------------------------------------------- clock

    def _now(self):
        """The simulator's clock: wall-clock time plus what advance_clock() added."""
        return time.time() + self._clock_offset

    def advance_clock(self, seconds):
        """Move the simulator's clock forward, so pending deletions end and rate-limit windows pass
        without waiting. Returns the clock as ``{"now", "offset"}``."""
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds < 1e9:
            raise SeedError("advance must be a number of seconds >= 0")
        with self._lock:
            self._clock_offset += float(seconds)
            return self.clock()

    def clock(self):
        with self._lock:
            return {"now": rfc3339(self._now()), "offset": self._clock_offset}

    # ----------------------------------------------------------------- faults and log

    def add_faults(self, faults):
        """Add one fault (mapping) or several (list); returns their descriptions."""
        items = faults if isinstance(faults, list) else [faults]
        parsed = [Fault(f) for f in items]
        with self._lock:
            self._faults.extend(parsed)
        return [f.describe() for f in parsed]

    def clear_faults(self):
        with self._lock:
            self._faults = []

    def faults(self):
        with self._lock:
            return [f.describe() for f in self._faults]

    def log(self):
        with self._lock:
            return copy.deepcopy(self._log)

    def clear_log(self):
        with self._lock:
            self._log = []

    def _take_fault(self, method, target):
        with self._lock:
            for fault in self._faults:
                if not fault.matches(method, target):
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                fault.hits += 1
                if fault.count != -1:
                    fault.count -= 1
                    if fault.count == 0:
                        self._faults.remove(fault)
                return fault
        return None

    def _append_log(self, entry, generation):
        with self._lock:
            if generation == self._generation:
                self._log.append(entry)

    # ----------------------------------------------------------------- inspection

    def _purge(self, now=None):
        now = self._now() if now is None else now
        gone = [eid for eid, env in self._envs.items() if env.gone_at is not None and env.gone_at <= now]
        for eid in gone:
            del self._envs[eid]
        for env in self._envs.values():
            gone = [cid for cid, cl in env.clusters.items() if cl.gone_at is not None and cl.gone_at <= now]
            for cid in gone:
                del env.clusters[cid]

    def state(self):
        """Snapshot of environments (with clusters, connectors, deleting flag), config and faults."""
        with self._lock:
            now = self._now()
            self._purge(now)
            envs = []
            for env in sorted(self._envs.values(), key=lambda e: e.seq):
                envs.append({
                    "id": env.id,
                    "display_name": env.display_name,
                    "deleting": env.gone_at is not None,
                    "deleted_at": env.deleted_at,
                    "gone_in": None if env.gone_at is None else max(0.0, env.gone_at - now),
                    "created_at": env.created_at,
                    "clusters": [cl.snapshot(now) for cl in env.clusters.values()],
                })
            service_accounts = [
                {"id": sa.id, "display_name": sa.display_name, "description": sa.description,
                 "created_at": sa.created_at, "api_keys": [k.id for k in self._keys.values() if k.owner == sa.id]}
                for sa in self._sas.values()]
            api_keys = [
                {"id": k.id, "owner": k.owner, "resource": k.resource, "display_name": k.display_name,
                 "description": k.description, "created_at": k.created_at, "credential": k.id in self._basic}
                for k in self._keys.values()]
            return {"environments": envs, "service_accounts": service_accounts, "api_keys": api_keys,
                    "config": self._config_snapshot(), "faults": [f.describe() for f in self._faults],
                    "clock_offset": self._clock_offset}

    def environment_ids(self, include_deleting=True):
        with self._lock:
            self._purge()
            return [e.id for e in sorted(self._envs.values(), key=lambda e: e.seq)
                    if include_deleting or e.gone_at is None]

    def is_deleting(self, env_id):
        with self._lock:
            self._purge()
            env = self._envs.get(env_id)
            return env is not None and env.gone_at is not None

    def cluster_ids(self, env_id, include_deleting=True):
        """Cluster ids of an environment in seed order, or None if the environment does not exist."""
        with self._lock:
            self._purge()
            env = self._envs.get(env_id)
            if env is None:
                return None
            return [c.id for c in env.clusters.values() if include_deleting or c.gone_at is None]

    def is_cluster_deleting(self, env_id, cluster_id):
        with self._lock:
            self._purge()
            env = self._envs.get(env_id)
            cluster = env.clusters.get(cluster_id) if env is not None else None
            return cluster is not None and cluster.gone_at is not None

    def service_account_ids(self):
        with self._lock:
            return list(self._sas)

    def api_key_ids(self, owner=None, resource=None):
        """API key ids in seed order, optionally only those of one owner and/or one resource."""
        with self._lock:
            return [k.id for k in self._keys.values()
                    if (owner is None or k.owner == owner) and (resource is None or k.resource == resource)]

    def connector_names(self, env_id, cluster_id):
        """Connector names of a cluster, or None if the environment or cluster does not exist."""
        with self._lock:
            self._purge()
            env = self._envs.get(env_id)
            if env is None or cluster_id not in env.clusters:
                return None
            return list(env.clusters[cluster_id].connectors)

    # ----------------------------------------------------------------- request processing

    def _authenticate(self, authorization):
        """Return (kind, key, ok, error_detail) for an Authorization header value."""
        if not authorization:
            return "none", None, (not self._basic and not self._tokens), "missing"
        scheme, dummy, value = authorization.strip().partition(" ")
        scheme = scheme.lower()
        value = value.strip()
        if scheme == "basic":
            try:
                decoded = base64.b64decode(value, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError, ValueError):
                return "basic", None, False, "malformed"
            key, sep, secret = decoded.partition(":")
            if not sep:
                return "basic", key, False, "malformed"
            ok = key in self._basic and self._basic[key] == secret
            return "basic", key, ok, "invalid_key"
        if scheme == "bearer":
            return "bearer", "token", value in self._tokens, "invalid_token"
        return "other", None, False, "unsupported"

    def _rate(self, bucket_key, now):
        """Return (allowed, headers, retry_after) for one request of ``bucket_key``."""
        limit, window = self._rate_limit, self._rate_window
        if limit <= 0:
            return True, [], None
        bucket = self._buckets.get(bucket_key)
        if bucket is None or now >= bucket[0] + window:
            bucket = [now, 0]
            self._buckets[bucket_key] = bucket
        reset = max(1, int(math.ceil(bucket[0] + window - now)))
        if bucket[1] >= limit:
            headers = [("X-RateLimit-Limit", str(limit)), ("X-RateLimit-Remaining", "0"),
                       ("X-RateLimit-Reset", str(reset))]
            return False, headers, reset
        bucket[1] += 1
        headers = [("X-RateLimit-Limit", str(limit)), ("X-RateLimit-Remaining", str(limit - bucket[1])),
                   ("X-RateLimit-Reset", str(reset))]
        return True, headers, None

    def _process(self, method, target, authorization, base, request_id):
        """Run one API request. Returns (status, headers, body_bytes)."""
        raw_path, dummy, query = target.partition("?")
        segments = [unquote(s) for s in raw_path.split("/")[1:]]
        connect = raw_path.startswith("/connect/")

        json_type = [("Content-Type", "application/json")]

        def org_error(status, code, title, detail, extra_headers=(), source=None):
            err = {"id": request_id, "status": str(status), "code": code, "title": title, "detail": detail}
            if source:
                err["source"] = source
            return status, list(extra_headers) + json_type, json_bytes({"errors": [err]})

        def connect_error(status, message, extra_headers=()):
            return status, list(extra_headers) + json_type, json_bytes({"error": {"code": status, "message": message}})

        with self._lock:
            now = self._now()
            self._purge(now)
            kind, key, ok, problem = self._authenticate(authorization)
            if not ok:
                challenge = 'Basic realm="Confluent Cloud"'
                if problem == "invalid_key":
                    challenge += ', error="invalid_key", error_description="The API Key is invalid"'
                elif problem == "invalid_token":
                    challenge = ('Bearer realm="Confluent Cloud", error="invalid_token", '
                                 'error_description="The access token is invalid"')
                elif problem == "malformed":
                    challenge += ', error="invalid_request", error_description="Malformed Authorization header"'
                hdrs = [("WWW-Authenticate", challenge)]
                if connect:
                    return connect_error(401, "Unauthorized", hdrs)
                return org_error(401, "user_unauthenticated", "Authentication Required",
                                 "Valid authentication credentials must be provided", hdrs)
            if kind == "basic":
                bucket_key = "basic:" + key
            elif kind == "bearer":
                bucket_key = "bearer:" + authorization.strip().partition(" ")[2].strip()
            else:
                bucket_key = "anonymous"
            allowed, rl_headers, retry_after = self._rate(bucket_key, now)
            if not allowed:
                hdrs = rl_headers + [("Retry-After", str(retry_after))]
                if connect:
                    return connect_error(429, "Too Many Requests", hdrs)
                return org_error(429, "too_many_requests", "Too Many Requests",
                                 "Rate limit exceeded; retry after %d seconds" % retry_after, hdrs)
            status, headers, body = self._route(method, segments, query, base, request_id,
                                                org_error, connect_error, now)
            if body and not any(k.lower() == "content-type" for k, dummy in headers):
                headers = headers + [("Content-Type", "application/json")]
            return status, rl_headers + headers, body

    def _route(self, method, seg, query, base, request_id, org_error, connect_error, now):
        # org/v2
        if len(seg) >= 3 and seg[:3] == ["org", "v2", "environments"]:
            if len(seg) == 3:
                if method != "GET":
                    return org_error(405, "method_not_allowed", "Method Not Allowed",
                                     "%s is not supported on this resource" % method, [("Allow", "GET")])
                return self._list_environments(query, base, org_error)
            if len(seg) == 4:
                if method not in ("GET", "DELETE"):
                    return org_error(405, "method_not_allowed", "Method Not Allowed",
                                     "%s is not supported on this resource" % method, [("Allow", "GET, DELETE")])
                env = self._envs.get(seg[3])
                if env is None:
                    return org_error(404, "resource_not_found", "Not Found",
                                     "The environment '%s' was not found" % seg[3])
                if method == "GET":
                    return 200, [("Content-Type", "application/json")], json_bytes(env.body(base, self._org_id))
                if env.gone_at is None:
                    env.delete_requested = now
                    env.deleted_at = rfc3339(now)
                    env.gone_at = now + self._delete_delay
                return 204, [], b""
        # iam/v2
        if len(seg) in (3, 4) and seg[:3] == ["iam", "v2", "service-accounts"]:
            return self._route_service_accounts(method, seg, query, base, org_error)
        if len(seg) in (3, 4) and seg[:3] == ["iam", "v2", "api-keys"]:
            return self._route_api_keys(method, seg, query, base, org_error)
        # cmk/v2
        if len(seg) in (3, 4) and seg[:3] == ["cmk", "v2", "clusters"]:
            return self._route_clusters(method, seg, query, base, org_error, now)
        # connect/v1
        if (len(seg) in (7, 8) and seg[0] == "connect" and seg[1] == "v1" and seg[2] == "environments"
                and seg[4] == "clusters" and seg[6] == "connectors"):
            env_id, cluster_id = seg[3], seg[5]
            allowed = "GET" if len(seg) == 7 else "GET, DELETE"
            if method not in allowed.split(", "):
                return connect_error(405, "HTTP %s is not allowed" % method, [("Allow", allowed)])
            env = self._envs.get(env_id)
            if env is None:
                return connect_error(404, "Environment %s not found" % env_id)
            cluster = env.clusters.get(cluster_id)
            if cluster is None:
                return connect_error(404, "Kafka cluster %s not found in environment %s" % (cluster_id, env_id))
            if len(seg) == 7:
                params = parse_qs(query, keep_blank_values=True)
                expand = [v for item in params.get("expand", []) for v in item.split(",") if v]
                if expand:
                    bad = [v for v in expand if v not in ("id", "info", "status")]
                    if bad:
                        return connect_error(400, "Invalid expand value: %s" % ", ".join(bad))
                    body = {c.name: c.expansion(set(expand)) for c in cluster.connectors.values()}
                    return 200, [("Content-Type", "application/json")], json_bytes(body)
                return 200, [("Content-Type", "application/json")], json_bytes(list(cluster.connectors))
            name = seg[7]
            conn = cluster.connectors.get(name)
            if conn is None:
                return connect_error(404, "Connector %s not found" % name)
            if method == "GET":
                return 200, [("Content-Type", "application/json")], json_bytes(conn.body())
            del cluster.connectors[name]
            return 200, [("Content-Type", "application/json")], json_bytes({"error": None})
        return org_error(404, "resource_not_found", "Not Found", "No resource exists at this path")

    @staticmethod
    def _not_allowed(org_error, method, allowed):
        return org_error(405, "method_not_allowed", "Method Not Allowed",
                         "%s is not supported on this resource" % method, [("Allow", allowed)])

    @staticmethod
    def _json_ok(obj):
        return 200, [("Content-Type", "application/json")], json_bytes(obj)

    def _paginate(self, params, ordered, token_kind, link, link_params, org_error):
        """One page of ``ordered`` (objects with a ``seq``), as ``(None, (page, metadata))``, or
        ``(error_response, None)`` for a bad page_size or page_token. ``link_params`` are the
        filters that the ``first`` and ``next`` links repeat."""
        page_size = DEFAULT_PAGE_SIZE
        if "page_size" in params:
            raw = params["page_size"][-1]
            if not re.fullmatch(r"[+-]?\d+", raw.strip() or "x") or not 1 <= int(raw) <= MAX_PAGE_SIZE:
                return org_error(400, "invalid_parameter", "Invalid Parameter",
                                 "page_size must be an integer between 1 and %d" % MAX_PAGE_SIZE,
                                 source={"parameter": "page_size"}), None
            page_size = int(raw)
        after = -1
        if "page_token" in params:
            after = _decode_page_token(params["page_token"][-1], token_kind)
            if after is None:
                return org_error(400, "invalid_parameter", "Invalid Parameter",
                                 "page_token is not valid", source={"parameter": "page_token"}), None
        remaining = [item for item in ordered if item.seq > after]
        page = remaining[:page_size]
        link_q = list(link_params) + ([("page_size", str(page_size))] if "page_size" in params else [])
        metadata = {"first": link + ("?" + urlencode(link_q) if link_q else ""), "total_size": len(ordered)}
        if len(remaining) > page_size:
            token = _encode_page_token(page[-1].seq, token_kind)
            metadata["next"] = link + "?" + urlencode(link_q + [("page_token", token)])
        return None, (page, metadata)

    def _list_environments(self, query, base, org_error):
        params = parse_qs(query, keep_blank_values=True)
        ordered = sorted(self._envs.values(), key=lambda e: e.seq)
        error, result = self._paginate(params, ordered, "env", "%s/org/v2/environments" % base, [], org_error)
        if error:
            return error
        page, metadata = result
        return self._json_ok({
            "api_version": "org/v2",
            "kind": "EnvironmentList",
            "metadata": metadata,
            "data": [e.body(base, self._org_id) for e in page],
        })

    def _route_clusters(self, method, seg, query, base, org_error, now):
        params = parse_qs(query, keep_blank_values=True)
        allowed = "GET" if len(seg) == 3 else "GET, DELETE"
        if method not in allowed.split(", "):
            return self._not_allowed(org_error, method, allowed)
        env_id = params.get("environment", [""])[-1]
        if not env_id:
            return org_error(400, "invalid_parameter", "Invalid Parameter",
                             "The environment query parameter is required", source={"parameter": "environment"})
        env = self._envs.get(env_id)
        if len(seg) == 3:
            return self._list_clusters(params, env_id, env, base, org_error)
        cluster = env.clusters.get(seg[3]) if env is not None else None
        if cluster is None:
            return org_error(404, "resource_not_found", "Not Found",
                             "The Kafka cluster '%s' was not found in environment '%s'" % (seg[3], env_id))
        if method == "GET":
            return self._json_ok(cluster.body(base, self._org_id))
        if cluster.protected:
            location = "%s/cmk/v2/clusters/%s" % (base, quote(cluster.id, safe=""))
            return org_error(409, "deletion_protected", "Conflict",
                             "The Kafka cluster '%s' cannot be deleted: deletion protection is on "
                             "(spec.deletion_protection is true); turn it off first" % cluster.id,
                             [("Location", location)])
        if cluster.gone_at is None:
            cluster.deleted_at = rfc3339(now)
            cluster.gone_at = now + self._delete_delay
        return 204, [], b""

    def _list_clusters(self, params, env_id, env, base, org_error):
        # An environment that does not exist has no clusters: the list answers 200 with no data.
        # cmk-v2.yaml declares the environment parameter as an exact-match filter and no 404 for the list.
        clusters = sorted(env.clusters.values(), key=lambda c: c.seq) if env is not None else []
        link_params = [("environment", env_id)]
        if "spec.deletion_protection" in params:
            raw = params["spec.deletion_protection"][-1]
            if raw.lower() not in ("true", "false"):
                return org_error(400, "invalid_parameter", "Invalid Parameter",
                                 "spec.deletion_protection must be true or false",
                                 source={"parameter": "spec.deletion_protection"})
            wanted = raw.lower() == "true"
            clusters = [c for c in clusters if c.protected == wanted]
            link_params.append(("spec.deletion_protection", raw))
        networks = [v for v in params.get("spec.network", []) if v]
        if networks:
            # Simulated clusters have no network, so a network filter matches none of them.
            clusters = []
            link_params += [("spec.network", v) for v in networks]
        error, result = self._paginate(params, clusters, "lkc", "%s/cmk/v2/clusters" % base, link_params, org_error)
        if error:
            return error
        page, metadata = result
        return self._json_ok({
            "api_version": "cmk/v2",
            "kind": "ClusterList",
            "metadata": metadata,
            "data": [c.body(base, self._org_id) for c in page],
        })

    def _route_service_accounts(self, method, seg, query, base, org_error):
        allowed = "GET" if len(seg) == 3 else "GET, DELETE"
        if method not in allowed.split(", "):
            return self._not_allowed(org_error, method, allowed)
        if len(seg) == 3:
            params = parse_qs(query, keep_blank_values=True)
            # display_name is a MultipleSearchFilter with explode: true: repeat the parameter for
            # several names; each value is one exact display name (a comma is part of the name).
            names = [v for v in params.get("display_name", []) if v]
            accounts = [sa for sa in self._sas.values() if not names or sa.display_name in names]
            error, result = self._paginate(params, accounts, "sa", "%s/iam/v2/service-accounts" % base,
                                           [("display_name", v) for v in names], org_error)
            if error:
                return error
            page, metadata = result
            return self._json_ok({"api_version": "iam/v2", "kind": "ServiceAccountList", "metadata": metadata,
                                  "data": [sa.body(base, self._org_id) for sa in page]})
        sa = self._sas.get(seg[3])
        if sa is None:
            return org_error(404, "resource_not_found", "Not Found",
                             "The service account '%s' was not found" % seg[3])
        if method == "GET":
            return self._json_ok(sa.body(base, self._org_id))
        # iam-v2.yaml: deleting a service account also deletes its cloud and cluster API keys.
        del self._sas[sa.id]
        for key_id in [k.id for k in self._keys.values() if k.owner == sa.id]:
            self._delete_api_key(key_id)
        return 204, [], b""

    def _delete_api_key(self, key_id):
        """Remove an API key; a seed credential with the same id stops authenticating."""
        del self._keys[key_id]
        self._basic.pop(key_id, None)

    def _route_api_keys(self, method, seg, query, base, org_error):
        allowed = "GET" if len(seg) == 3 else "GET, DELETE"
        if method not in allowed.split(", "):
            return self._not_allowed(org_error, method, allowed)
        if len(seg) == 3:
            params = parse_qs(query, keep_blank_values=True)
            keys = list(self._keys.values())
            link_params = []
            for name, attr in (("spec.owner", "owner"), ("spec.resource", "resource")):
                wanted = params.get(name, [""])[-1]
                if wanted:
                    keys = [k for k in keys if getattr(k, attr) == wanted]
                    link_params.append((name, wanted))
            error, result = self._paginate(params, keys, "key", "%s/iam/v2/api-keys" % base, link_params, org_error)
            if error:
                return error
            page, metadata = result
            return self._json_ok({"api_version": "iam/v2", "kind": "ApiKeyList", "metadata": metadata,
                                  "data": [k.body(base, self._org_id) for k in page]})
        api_key = self._keys.get(seg[3])
        if api_key is None:
            return org_error(404, "resource_not_found", "Not Found", "The API key '%s' was not found" % seg[3])
        if method == "GET":
            return self._json_ok(api_key.body(base, self._org_id))
        self._delete_api_key(api_key.id)
        return 204, [], b""

    # ----------------------------------------------------------------- lifecycle

    def start(self):
        if self._server is not None:
            return self
        self._stop_event.clear()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        server_cls = type("SimServer", (SimServer,), {"address_family": family})
        server = server_cls((self.host, self.port), Handler)
        server.sim = self
        scheme = "http"
        if self.tls_cert:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(self.tls_cert, self.tls_key)
            server.socket = ctx.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
            scheme = "https"
        self._server = server
        port = server.server_address[1]
        host = self.host
        if host in ("0.0.0.0", ""):
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        if ":" in host:
            host = "[%s]" % host
        self.port = port
        self.url = "%s://%s:%d" % (scheme, host, port)
        self._scheme = scheme
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="confluent-sim", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Stop serving and close every open connection."""
        server = self._server
        if server is None:
            return
        self._stop_event.set()
        server.shutdown()
        server.close_all_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()



def _encode_page_token(seq: int, kind: str = "env") -> str:
    return base64.urlsafe_b64encode(("%s-after:%d" % (kind, seq)).encode("ascii")).decode("ascii").rstrip("=")


def _decode_page_token(token: str, kind: str = "env"):
    """The position a page token of the ``kind`` list stands for, or None if it is not one."""
    if not token or len(token) > MAX_PAGE_TOKEN_LEN:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    match = re.fullmatch(re.escape(kind) + r"-after:(\d+)", raw)
    return int(match.group(1)) if match else None



# --------------------------------------------------------------------------- entry points


def start_simulator(seed=None, port=0, **opts) -> Simulator:
    """Start a simulator in background threads and return it (call ``.stop()`` when done)."""
    return Simulator(seed, port=port, **opts).start()


def is_loopback(host):
    """Whether host names only this machine: localhost, 127.0.0.0/8 or ::1 (an empty host means every address)."""
    host = host.strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def credential_exports(url, seed):
    """The ``export`` line that points the collection's modules at ``url`` with the seed's first credential.

    The first API-key credential is preferred (it is what a Cloud API key looks like to the modules), else the first
    token. A seed without credentials accepts any, so a placeholder key and secret are given.
    """
    credentials = [item for item in seed.get("credentials") or [] if isinstance(item, dict)]
    basic = [item for item in credentials if "api_key" in item]
    tokens = [item for item in credentials if "token" in item]
    pairs = [("CONFLUENT_CLOUD_API_ENDPOINT", url)]
    if basic:
        pairs += [("CONFLUENT_CLOUD_API_KEY", basic[0]["api_key"]), ("CONFLUENT_CLOUD_API_SECRET", basic[0]["api_secret"])]
    elif tokens:
        pairs += [("CONFLUENT_CLOUD_ACCESS_TOKEN", tokens[0]["token"])]
    else:
        pairs += [("CONFLUENT_CLOUD_API_KEY", "any-key"), ("CONFLUENT_CLOUD_API_SECRET", "any-secret")]
    return "export " + " ".join("%s=%s" % (name, shlex.quote(str(value))) for name, value in pairs)


def rehearse_text(url, seed, seed_path):
    """What --print-env prints: shell comments around the one line to paste, so pasting all of it does no harm."""
    counts = "%d environments, %d service accounts, %d API keys" % tuple(
        len(seed.get(key) or []) for key in ("environments", "service_accounts", "api_keys"))
    lines = [
        "# Confluent Cloud API simulator listening at %s" % url,
        "# seeded from %s: %s" % (seed_path or "no seed (an empty organisation)", counts),
        "# Paste this line into the shell that runs ansible-playbook:",
        credential_exports(url, seed),
        "# Preview the cleanup: ansible-playbook kafkaops.confluent_cloud.cleanup -e cleanup_display_name_regex='^ci-'",
        "# What is left:        curl -s %s/_sim/state" % url,
        "# Reset to the seed:   curl -s -X POST %s/_sim/reset >/dev/null" % url,
        "# Stop: Ctrl-C here. Nothing is kept: the next start begins from the seed again.",
    ]
    return "\n".join(lines) + "\n"


def _parse_args(argv):
    parser = argparse.ArgumentParser(description="Local Confluent Cloud API simulator")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1); only loopback without --allow-non-loopback")
    parser.add_argument("--allow-non-loopback", action="store_true",
                        help="let --host be an address other machines can reach; they could then use the "
                             "seed's credentials, which are no secret")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", help="seed document (JSON, or YAML with PyYAML)")
    parser.add_argument("--delete-delay", type=float, help="seconds a deleted environment or cluster stays visible")
    parser.add_argument("--rate-limit", type=int, help="requests per window and credential (0 = no limit)")
    parser.add_argument("--rate-window", type=float, help="rate-limit window in seconds")
    parser.add_argument("--tls-cert", help="PEM certificate; serve https")
    parser.add_argument("--tls-key", help="PEM private key for --tls-cert")
    parser.add_argument("--url-file", help="also write the URL to this file")
    parser.add_argument("--verbose", action="store_true", help="one stderr line per request")
    parser.add_argument("--print-env", action="store_true",
                        help="once listening, print for a person (instead of the bare URL) the export line of "
                             "CONFLUENT_CLOUD_API_ENDPOINT and the seed's first credential, and how to inspect, reset "
                             "and stop the simulator")
    parser.add_argument("--idle-exit", type=float, default=0,
                        help="exit after this many seconds without any request (0 = never), so a simulator "
                             "started in the background by a test cannot outlive it")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    # The seeded credentials are printed and documented, so anyone who can reach the port can use them.
    if not is_loopback(args.host) and not args.allow_non_loopback:
        parser.error("--host %s is not a loopback address (localhost, 127.0.0.0/8, ::1); add --allow-non-loopback "
                     "to let other machines reach the simulator" % (args.host or "''"))
    return args


def main(argv=None) -> int:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    try:
        seed = load_seed_file(args.seed) if args.seed else {}
        sim = Simulator(seed, host=args.host, port=args.port, delete_delay=args.delete_delay,
                        rate_limit=args.rate_limit, rate_window=args.rate_window,
                        tls_cert=args.tls_cert, tls_key=args.tls_key, verbose=args.verbose)
        sim.start()
    except (OSError, SeedError, ssl.SSLError) as exc:
        sys.stderr.write("confluent-sim: %s\n" % exc)
        if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
            sys.stderr.write("confluent-sim: port %d is taken; choose another with --port (0: any free port)\n"
                             % args.port)
        return 2

    # A plain list, not an Event: a signal handler that takes a lock the interrupted main
    # thread already holds would deadlock.
    received = []

    def _on_signal(signum, frame):
        received.append(signum)

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    sys.stdout.write(rehearse_text(sim.url, seed, args.seed) if args.print_env else sim.url + "\n")
    sys.stdout.flush()
    if args.url_file:
        tmp = args.url_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(sim.url + "\n")
        os.replace(tmp, args.url_file)
    try:
        while not received:
            if args.idle_exit and time.monotonic() - sim.last_activity > args.idle_exit:
                sys.stderr.write("confluent-sim: idle for %g s, exiting\n" % args.idle_exit)
                break
            time.sleep(0.1)
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())


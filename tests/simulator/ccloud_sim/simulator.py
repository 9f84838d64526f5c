"""The simulator: its resources (held by the API families), settings, clock, faults, request log and rate limit,
the processing of one API request (authentication, rate limit, routing), and its lifecycle."""

from __future__ import annotations

import base64
import binascii
import copy
import math
import os
import socket
import ssl
import threading
import time
from urllib.parse import unquote

from .common import DEFAULT_ORG_ID, SeedError, rfc3339
from .faults import Fault
from .families import FAMILIES
from .routing import ERROR_LIST, Request, Router
from .seed import load_seed_file, parse_credentials, parse_delay, parse_rate_limit
from .server import Handler, SimServer

ROUTER = Router(FAMILIES)


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
        # Read in this order, so that a seed with several mistakes reports the same one first: the org family
        # (environments, with their clusters and connectors), the settings, every family's top-level lists, the
        # entries of the other families in registration order, the faults.
        data = {}
        for family in FAMILIES:
            if family.load_seed and family.before_settings:
                data[family.name] = family.load_seed(seed, now, data)
        basic, tokens = parse_credentials(seed.get("credentials"))
        rate = parse_rate_limit(seed.get("rate_limit"))
        rate = parse_rate_limit(self._overrides.get("rate_limit"), rate)
        delay = parse_delay(seed.get("delete_delay", 2.0))
        if "delete_delay" in self._overrides:
            delay = self._overrides["delete_delay"]
        for key in [key for family in FAMILIES for key in family.seed_lists]:
            if seed.get(key) is not None and not isinstance(seed[key], list):
                raise SeedError("'%s' must be a list" % key)
        for family in FAMILIES:
            if family.load_seed and not family.before_settings:
                data[family.name] = family.load_seed(seed, now, data)
        org_id = str(seed.get("organization_id") or DEFAULT_ORG_ID)
        faults = [Fault(f) for f in (seed.get("faults") or [])]
        with self._lock:
            self.data = data
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

    # ----------------------------------------------------------------- what the API families use

    @property
    def org_id(self):
        return self._org_id

    @property
    def delete_delay(self):
        """Seconds a deleted environment or cluster stays visible (as being deleted)."""
        return self._delete_delay

    def has_credential(self, api_key):
        return api_key in self._basic

    def forget_credential(self, api_key):
        """The seed credential with this API key, if any, stops authenticating."""
        self._basic.pop(api_key, None)

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

    # ----------------------------------------------------------------- inspection

    def _purge(self, now=None):
        now = self._now() if now is None else now
        for family in FAMILIES:
            if family.purge:
                family.purge(self, now)

    def state(self):
        """Snapshot of every family's resources (environments with their clusters, their connectors and topics,
        ksqlDB clusters and Flink compute pools, with a deleting flag; service accounts; API keys), config and
        faults."""
        with self._lock:
            now = self._now()
            self._purge(now)
            out = {}
            for family in FAMILIES:
                if family.state:
                    out.update(family.state(self, now))
            for env in out.get("environments", []):
                for family in FAMILIES:
                    if family.env_state:
                        env.update(family.env_state(self, env["id"], now))
                    if family.cluster_state:
                        for cluster in env["clusters"]:
                            cluster.update(family.cluster_state(self, cluster["id"], now))
            out.update(config=self._config_snapshot(), faults=[f.describe() for f in self._faults],
                       clock_offset=self._clock_offset)
            return out

    def environment_ids(self, include_deleting=True):
        with self._lock:
            self._purge()
            return [e.id for e in sorted(self.data["org"].values(), key=lambda e: e.seq)
                    if include_deleting or e.gone_at is None]

    def is_deleting(self, env_id):
        with self._lock:
            self._purge()
            env = self.data["org"].get(env_id)
            return env is not None and env.gone_at is not None

    def cluster_ids(self, env_id, include_deleting=True):
        """Cluster ids of an environment in seed order, or None if the environment does not exist."""
        with self._lock:
            self._purge()
            env = self.data["org"].get(env_id)
            if env is None:
                return None
            return [c.id for c in env.clusters.values() if include_deleting or c.gone_at is None]

    def is_cluster_deleting(self, env_id, cluster_id):
        with self._lock:
            self._purge()
            env = self.data["org"].get(env_id)
            cluster = env.clusters.get(cluster_id) if env is not None else None
            return cluster is not None and cluster.gone_at is not None

    def service_account_ids(self):
        with self._lock:
            return list(self.data["iam"])

    def api_key_ids(self, owner=None, resource=None):
        """API key ids in seed order, optionally only those of one owner and/or one resource."""
        with self._lock:
            return [k.id for k in self.data["apikeys"].values()
                    if (owner is None or k.owner == owner) and (resource is None or k.resource == resource)]

    def topic_names(self, cluster_id):
        """Topic names of a Kafka cluster, sorted as Kafka REST lists them, or None if no environment has the
        cluster (a cluster being deleted still has its topics)."""
        with self._lock:
            self._purge()
            topics = self.data["kafkarest"].get(cluster_id)
            return None if topics is None else sorted(topics)

    def connector_names(self, env_id, cluster_id):
        """Connector names of a cluster, or None if the environment or cluster does not exist."""
        with self._lock:
            self._purge()
            env = self.data["org"].get(env_id)
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

    def _key_resource(self, api_key):
        """The ``resource`` of the seeded API key ``api_key`` (``cloud`` or a Kafka cluster id); ``cloud`` for a
        credential that is no seeded API key."""
        seeded = self.data["apikeys"].get(api_key)
        return seeded.resource if seeded is not None else "cloud"

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
        family = ROUTER.family_for(raw_path)
        errors = family.errors
        with self._lock:
            now = self._now()
            self._purge(now)
            kind, key, ok, problem = self._authenticate(authorization)
            if ok and kind == "basic" and self._key_resource(key) != family.key_resource(segments):
                # A Cloud API key works on the Cloud API only, a cluster API key on the Kafka REST of its cluster only.
                ok, problem = False, "invalid_key"
            if not ok:
                challenge = 'Basic realm="Confluent Cloud"'
                if problem == "invalid_key":
                    challenge += ', error="invalid_key", error_description="The API Key is invalid"'
                elif problem == "invalid_token":
                    challenge = ('Bearer realm="Confluent Cloud", error="invalid_token", '
                                 'error_description="The access token is invalid"')
                elif problem == "malformed":
                    challenge += ', error="invalid_request", error_description="Malformed Authorization header"'
                return errors.unauthorized(request_id, [("WWW-Authenticate", challenge)])
            if kind == "basic":
                bucket_key = "basic:" + key
            elif kind == "bearer":
                bucket_key = "bearer:" + authorization.strip().partition(" ")[2].strip()
            else:
                bucket_key = "anonymous"
            allowed, rl_headers, retry_after = self._rate(bucket_key, now)
            if not allowed:
                return errors.rate_limited(request_id, retry_after, rl_headers + [("Retry-After", str(retry_after))])
            request = Request(self, method, query, base, now, request_id, {}, ERROR_LIST)
            status, headers, body = ROUTER.dispatch(request, segments)
            if body and not any(k.lower() == "content-type" for k, dummy in headers):
                headers = headers + [("Content-Type", "application/json")]
            return status, (rl_headers if errors.RATE_HEADERS else []) + headers, body

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

"""What the families of environment-scoped resources share (cmk/v2 Kafka clusters, ksqldbcm/v2 ksqlDB clusters,
fcpm/v2 Flink compute pools): the required ``environment`` query, a deletion that takes ``delete_delay`` on the
simulator's clock, and, for those kept apart from the environment (ksqlDB clusters, compute pools), their seed list
inside each environment, their finder, list, purge and part of each environment in /_sim/state."""

from __future__ import annotations

import re

from .common import SeedError, by_id, rfc3339, seed_id, seed_str, seed_times
from .paging import list_page
from .routing import no_content


def seed_count(spec, key, default, least, what):
    """The whole number of seed key ``key`` (``default`` when absent), at least ``least``."""
    value = spec.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise SeedError("%s: %s must be a whole number >= %d" % (what, key, least))
    return value


def environment_of(req):
    """The environment id of the query, and None; or None and the 400 answer when it is missing or empty."""
    env_id = req.query_params().get("environment", [""])[-1]
    if not env_id:
        return None, req.fail(400, "invalid_parameter", "Invalid Parameter",
                              "The environment query parameter is required", source={"parameter": "environment"})
    return env_id, None


def begin_deletion(req, model):
    """204, and the deletion of ``model`` starts: it stays visible with ``deleted_at`` for ``delete_delay`` seconds.
    Another DELETE while it is pending changes nothing."""
    if model.gone_at is None:
        model.deleted_at = rfc3339(req.now)
        model.gone_at = req.now + req.sim.delete_delay
    return no_content()


def deletion_state(model, now):
    """The ``deleting``, ``deleted_at`` and ``gone_in`` of a resource in /_sim/state."""
    return {"deleting": model.gone_at is not None, "deleted_at": model.deleted_at,
            "gone_in": None if model.gone_at is None else max(0.0, model.gone_at - now)}


class EnvResource:
    """A resource of one environment: an id that starts with ``PREFIX``, a ``display_name`` (the id by default) that
    matches the ``DISPLAY_NAME`` pattern of its document's ``SPEC`` schema, seeded times and a pending deletion."""

    __slots__ = ("id", "env_id", "seq", "display_name", "created_at", "updated_at", "deleted_at", "gone_at")
    PREFIX = WHAT = SPEC = ""
    DISPLAY_NAME = re.compile(".+")

    def __init__(self, env_id, spec, seq, now):
        self.id = seed_id(spec, "every %s needs a string 'id' that starts with '%s'" % (self.WHAT, self.PREFIX),
                          lambda item_id: item_id.startswith(self.PREFIX) and len(item_id) > len(self.PREFIX))
        self.env_id = env_id
        self.seq = seq
        self.display_name = seed_str(spec, "display_name", self.id, self.what)
        if not self.DISPLAY_NAME.fullmatch(self.display_name):
            raise SeedError("%s: display_name must match %s (%s)" % (self.what, self.DISPLAY_NAME.pattern, self.SPEC))
        self.created_at, self.updated_at = seed_times(spec, now, self.what)
        self.deleted_at = None
        self.gone_at = None

    @property
    def what(self):
        return "%s %s" % (self.WHAT, self.id)

    @property
    def deleting(self):
        return self.gone_at is not None


class EnvScoped:
    """The parts of an API family whose resources (``model``, an ``EnvResource``) live in ``data[name]`` by id and
    are seeded in each environment's ``seed_key`` list."""

    def __init__(self, name, model, seed_key, path, api_version, list_kind, token_kind):
        self.name, self.model, self.seed_key = name, model, seed_key
        self.path, self.api_version, self.list_kind, self.token_kind = path, api_version, list_kind, token_kind

    def load_seed(self, seed, now, data):
        """Every environment's ``seed_key`` entries, by id across environments, in seed order."""
        def models():
            seq = 0
            for env_spec in seed.get("environments") or []:
                env = data["org"][env_spec["id"]]
                entries = env_spec.get(self.seed_key) or []
                if not isinstance(entries, list):
                    raise SeedError("environment %s: '%s' must be a list" % (env.id, self.seed_key))
                for spec in entries:
                    yield self.model(env, spec, seq, now)
                    seq += 1
        return by_id(models(), self.model.WHAT)

    def in_environment(self, sim, env_id):
        return sorted((m for m in sim.data[self.name].values() if m.env_id == env_id), key=lambda m: m.seq)

    def env_state(self, sim, env_id, now):
        return {self.seed_key: [dict(m.snapshot(), created_at=m.created_at, **deletion_state(m, now))
                                for m in self.in_environment(sim, env_id)]}

    def purge(self, sim, now):
        """Those whose deletion has ended, and those whose environment is gone, are gone."""
        items = sim.data[self.name]
        for item_id in [m.id for m in items.values()
                        if m.env_id not in sim.data["org"] or (m.gone_at is not None and m.gone_at <= now)]:
            del items[item_id]

    def find(self, req):
        """The resource of the path in the environment of the query, and None; or None and the 400 or 404 answer."""
        env_id, error = environment_of(req)
        if error:
            return None, error
        item = req.sim.data[self.name].get(req.params["id"])
        if item is None or item.env_id != env_id:
            return None, req.not_found("The %s '%s' was not found in environment '%s'"
                                       % (self.model.WHAT, req.params["id"], env_id))
        return item, None

    def list(self, req, select=None, **page_options):
        """One page of the environment's resources; ``select(params, items)`` may filter them, and returns
        ``(items, the filters for the links)``."""
        env_id, error = environment_of(req)
        if error:
            return error
        params = req.query_params()
        items, link_params = self.in_environment(req.sim, env_id), [("environment", env_id)]
        if select is not None:
            items, filters = select(params, items)
            link_params += filters
        return list_page(req, params, items, self.token_kind, self.path, link_params, self.api_version,
                         self.list_kind, **page_options)

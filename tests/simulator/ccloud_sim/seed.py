"""Seed documents: reading them from a file, and the settings they share with /_sim/config."""

from __future__ import annotations

import json

from .common import SeedError


def _load_yaml(path, text):
    try:
        import yaml  # type: ignore
    except ImportError:
        raise SeedError("%s: YAML seed files need PyYAML; use JSON instead" % path) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SeedError("%s: invalid YAML (%s)" % (path, exc)) from None


def load_seed_file(path: str) -> dict:
    """Read a seed document from a JSON file, or YAML when PyYAML is installed."""
    with open(path, "r", encoding="utf-8") as handle:
        text = handle.read()
    if path.lower().endswith((".yaml", ".yml")):
        data = _load_yaml(path, text)
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            if path.lower().endswith(".json"):
                raise SeedError("%s: invalid JSON (%s)" % (path, exc)) from None
            data = _load_yaml(path, text)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SeedError("%s: the seed must be a mapping" % path)
    return data


def parse_credentials(items):
    basic, tokens = {}, set()
    if items is None:
        return basic, tokens
    if not isinstance(items, list):
        raise SeedError("'credentials' must be a list")
    for item in items:
        if not isinstance(item, dict):
            raise SeedError("credential entries must be mappings")
        if "token" in item:
            if not isinstance(item["token"], str) or not item["token"]:
                raise SeedError("a token credential needs a non-empty string 'token'")
            tokens.add(item["token"])
        elif "api_key" in item:
            key, secret = item.get("api_key"), item.get("api_secret")
            if not isinstance(key, str) or not key or not isinstance(secret, str):
                raise SeedError("an api_key credential needs string 'api_key' and 'api_secret'")
            basic[key] = secret
        else:
            raise SeedError("a credential needs 'api_key'/'api_secret' or 'token'")
    return basic, tokens


def parse_rate_limit(value, current=None):
    limit, window = current if current else (0, 1.0)
    if value is None:
        return limit, window
    if not isinstance(value, dict):
        raise SeedError("'rate_limit' must be a mapping with 'limit' and 'window'")
    if "limit" in value:
        limit = value["limit"]
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise SeedError("rate_limit.limit must be an integer >= 0")
    if "window" in value:
        window = value["window"]
        if isinstance(window, bool) or not isinstance(window, (int, float)) or window <= 0:
            raise SeedError("rate_limit.window must be a number > 0")
        window = float(window)
    return limit, window


def parse_delay(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise SeedError("delete_delay must be a number >= 0")
    return float(value)

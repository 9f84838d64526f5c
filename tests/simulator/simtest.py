"""Shared helpers of the simulator tests: seeds, URLs, assertions and the OpenAPI validator.

The fixtures that use them live in conftest.py. Responses are validated against
Confluent's OpenAPI documents, looked up in ``<repo>/../shared/confluent-openapi/``
(override with CONFLUENT_OPENAPI_DIR). Two validators are used: openapi-core (whole
response, when installed) and a schema check of each documented response with
openapi-schema-validator, which also covers the ``.../connectors?expand=...`` path
that openapi-core cannot tell apart from the plain list.

A missing prerequisite is an error with a message that says how to get it, never a
skip: a skipped check looks like a passed one in a summary line.
"""

from __future__ import annotations

import base64
import datetime
import functools
import importlib
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
if str(HERE.parent) not in sys.path:
    sys.path.append(str(HERE.parent))  # tests/, for the map of documents shared with the contract test

# Which document describes which path: tests/openapi_documents.py, the map the contract test uses too.
import openapi_documents  # noqa: E402  pylint: disable=wrong-import-position

INSTALL_HINT = ("install the test requirements: tests/utils/ansible_test.sh CORE simulator does it in .venv/core-CORE, "
                "or pip install -r tests/requirements.txt")


def require(module, package):
    """Import ``module`` or fail with a message that names the missing ``package`` and how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError("the simulator tests need the Python package %s (import %s failed: %s); %s"
                          % (package, module, exc, INSTALL_HINT)) from None


requests = require("requests", "requests")
yaml = require("yaml", "PyYAML")

SPEC_DIR = Path(os.environ.get("CONFLUENT_OPENAPI_DIR") or (REPO.parent / "shared" / "confluent-openapi"))
SPEC_FILES = openapi_documents.files_by_family()

AUTH = ("KEY1", "SECRET1")
AUTH2 = ("KEY2", "SECRET2")
TOKEN = "tok-123"
ENV = "env-abc123"
CLUSTER = "lkc-12345"
ODD_NAMES = ["a/b", "100%", "with space", "ünïcødé ✓ 名前", "a%2Fb", "q?x=1&y#z", "plus+sign"]

# How long a deletion stays pending in the tests. It is long so that no check of the pending state
# can race the timer on a slow, loaded machine; a test ends the wait by moving the simulator's
# clock forward (POST /_sim/clock), or sets a delete_delay of its own.
PENDING_DELETE_DELAY = 30.0


def base_seed():
    return {
        "credentials": [
            {"api_key": AUTH[0], "api_secret": AUTH[1]},
            {"api_key": AUTH2[0], "api_secret": AUTH2[1]},
            {"token": TOKEN},
        ],
        "rate_limit": {"limit": 0, "window": 1},
        "delete_delay": PENDING_DELETE_DELAY,
        "environments": [
            {
                "id": ENV,
                "display_name": "staging",
                "clusters": [
                    {
                        "id": CLUSTER,
                        "connectors": [
                            {"name": "orders-sink", "type": "sink",
                             "config": {"connector.class": "S3_SINK", "tasks.max": 2, "flush.size": 1000}},
                            {"name": "users-source", "type": "source",
                             "config": {"connector.class": "DatagenSource"}},
                        ] + [{"name": n, "config": {"connector.class": "S3_SINK"}} for n in ODD_NAMES],
                    },
                    {"id": "lkc-empty"},
                ],
            },
            {"id": "env-other", "display_name": "other",
             "clusters": [{"id": "lkc-777", "connectors": [{"name": "keep-me"}]}]},
        ],
    }


# --------------------------------------------------------------------------- spec validation


@functools.lru_cache(maxsize=None)
def read_document(name):
    """An OpenAPI document, read once per run (kafkarest-v3.yaml alone has over 20,000 lines); treat it as read-only."""
    with open(SPEC_DIR / name, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


class SpecValidator:
    """Validates a ``requests`` response against the matching OpenAPI operation."""

    # Counts over the whole run, for the closing summary (see conftest.py).
    totals = {"responses": 0, "openapi_core": 0, "schemas": 0}

    def __init__(self, base_url):
        missing = [name for name in SPEC_FILES.values() if not (SPEC_DIR / name).is_file()]
        if missing:
            pytest.fail("Confluent's OpenAPI documents are missing: %s not found in %s. They are kept in "
                        "shared/confluent-openapi/ beside the repository (verbatim copies from "
                        "confluentinc/ccloud-sdk-go-v2, see SOURCE.md there); put them there or point "
                        "CONFLUENT_OPENAPI_DIR at a folder that has them." % (", ".join(missing), SPEC_DIR),
                        pytrace=False)
        try:
            from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker
        except ImportError:
            pytest.fail("openapi-schema-validator is not installed; " + INSTALL_HINT, pytrace=False)
        self._validator_cls = OAS30ReadValidator
        self._format_checker = oas30_format_checker
        self.docs = {family: read_document(name) for family, name in SPEC_FILES.items()}
        self.core = {}
        try:
            from openapi_core import OpenAPI
            from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
        except ImportError:
            OpenAPI = None
        if OpenAPI is not None:
            self._core_req, self._core_resp = RequestsOpenAPIRequest, RequestsOpenAPIResponse
            for key, doc in self.docs.items():
                local = dict(doc)
                local["servers"] = [{"url": base_url}]
                self.core[key] = OpenAPI.from_dict(local)
        self.checked = 0

    @staticmethod
    def family(path):
        entry = openapi_documents.document_for(path)
        assert entry, "no OpenAPI document describes %s (tests/openapi_documents.py)" % path
        return entry[1]

    def _operation(self, doc, method, raw_path, query):
        qnames = set(parse_qs(query, keep_blank_values=True))
        plain, with_query = None, None
        for key, item in doc["paths"].items():
            tpath, dummy, tquery = key.partition("?")
            parts = ["[^/]+" if p.startswith("{") else re.escape(p) for p in tpath.split("/")]
            if not re.fullmatch("/".join(parts), raw_path) or method.lower() not in item:
                continue
            if tquery:
                if tquery.split("=", 1)[0] in qnames:
                    with_query = (key, item[method.lower()])
            else:
                plain = (key, item[method.lower()])
        found = with_query or plain
        assert found, "no operation in the OpenAPI document for %s %s" % (method, raw_path)
        return found

    def _resolve(self, doc, obj):
        while isinstance(obj, dict) and "$ref" in obj:
            node = doc
            for part in obj["$ref"].lstrip("#/").split("/"):
                node = node[part]
            obj = node
        return obj

    def validate_body(self, family, schema, value):
        doc = self.docs[family]
        root = dict(schema)
        root["components"] = doc["components"]
        self._validator_cls(root, format_checker=self._format_checker).validate(value)
        SpecValidator.totals["schemas"] += 1

    def validate_schema(self, family, name, value):
        self.validate_body(family, {"$ref": "#/components/schemas/%s" % name}, value)

    def __call__(self, resp):
        """Validate ``resp``; returns the operation key that was used."""
        url = urlsplit(resp.request.url)
        family = self.family(url.path)
        doc = self.docs[family]
        key, op = self._operation(doc, resp.request.method, url.path, url.query)
        status = str(resp.status_code)
        assert status in op["responses"], "status %s is not documented for %s %s" % (status, resp.request.method, key)
        spec = self._resolve(doc, op["responses"][status])
        for name, header in (spec.get("headers") or {}).items():
            if name in resp.headers:
                schema = self._resolve(doc, header.get("schema") or {})
                if schema.get("type") == "integer":
                    assert re.fullmatch(r"-?\d+", resp.headers[name]), "%s is not an integer: %r" % (
                        name, resp.headers[name])
        if resp.status_code == 204:
            assert resp.content == b""
        content = spec.get("content") or {}
        if content and resp.content:
            ctype = resp.headers.get("Content-Type", "").split(";")[0].strip()
            assert ctype in content, "content type %r not documented" % ctype
            body = resp.json() if ctype.endswith("json") else resp.text  # Kafka REST's 429 is an HTML page
            self.validate_body(family, content[ctype]["schema"], body)
        if self.core and "?" not in key:
            self.core[family].validate_response(self._core_req(resp.request), self._core_resp(resp))
            SpecValidator.totals["openapi_core"] += 1
        self.checked += 1
        SpecValidator.totals["responses"] += 1
        return key


# --------------------------------------------------------------------------- URLs and requests


def env_url(sim, env_id=None):
    return "%s/org/v2/environments%s" % (sim.url, "" if env_id is None else "/" + quote(env_id, safe=""))


def conn_url(sim, env_id=ENV, cluster=CLUSTER, name=None):
    url = "%s/connect/v1/environments/%s/clusters/%s/connectors" % (
        sim.url, quote(env_id, safe=""), quote(cluster, safe=""))
    return url if name is None else url + "/" + quote(name, safe="")


def cluster_url(sim, cluster=None):
    return "%s/cmk/v2/clusters%s" % (sim.url, "" if cluster is None else "/" + quote(cluster, safe=""))


def sa_url(sim, sa_id=None):
    return "%s/iam/v2/service-accounts%s" % (sim.url, "" if sa_id is None else "/" + quote(sa_id, safe=""))


def key_url(sim, key_id=None):
    return "%s/iam/v2/api-keys%s" % (sim.url, "" if key_id is None else "/" + quote(key_id, safe=""))


def control(sim, method, path, body=None):
    resp = requests.request(method, sim.url + "/_sim/" + path, json=body, timeout=5)
    return resp


def basic_header(key, secret):
    return "Basic " + base64.b64encode(("%s:%s" % (key, secret)).encode()).decode()


# --------------------------------------------------------------------------- assertions


def assert_org_error(resp, status, code, title):
    assert resp.status_code == status
    assert resp.headers["Content-Type"].startswith("application/json")
    body = resp.json()
    assert list(body) == ["errors"] and len(body["errors"]) == 1
    err = body["errors"][0]
    assert err["status"] == str(status)
    assert err["code"] == code
    assert err["title"] == title
    assert err["id"] and err["detail"]
    return err


def assert_connect_error(resp, status, message=None):
    assert resp.status_code == status
    assert resp.headers["Content-Type"].startswith("application/json")
    body = resp.json()
    assert list(body) == ["error"]
    assert body["error"]["code"] == status
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if message is not None:
        assert body["error"]["message"] == message
    return body["error"]


def parse_time(text):
    """An RFC 3339 date-time as the simulator writes it (UTC, "Z") -> aware datetime."""
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", text), "not RFC 3339 UTC: %r" % text
    return datetime.datetime.strptime(text.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z" if "." in text
                                      else "%Y-%m-%dT%H:%M:%S%z")


def wait_for(predicate, timeout=3.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()

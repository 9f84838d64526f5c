# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contract test: every request the collection sends must be one that Confluent's OpenAPI documents allow.

The judge is Stoplight Prism on the unmodified documents (see contract_harness.py); the scenarios are in
scenarios.yml: module tasks run through one real ansible-playbook, and requests sent straight through the
collection's HTTP client for shapes that no module sends yet, plus known-bad requests that Prism must refuse.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
import yaml

import contract_harness as harness

SCENARIOS_FILE = os.path.join(harness.HERE, "scenarios.yml")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
API_SECRET = "contract-secret"
BIN = os.path.dirname(sys.executable)
# Variables that would change what the modules or ansible-playbook do if inherited from the caller.
SCRUBBED_PREFIXES = ("CONFLUENT_CLOUD_", "ANSIBLE_", "PYTEST_")
SCRUBBED_NAMES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR", "http_proxy", "https_proxy",
                  "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY")


def load_scenarios():
    with open(SCENARIOS_FILE, encoding="utf-8") as handle:
        scenarios = yaml.safe_load(handle)
    scenarios.setdefault("module_defaults", {})
    scenarios.setdefault("modules", [])
    scenarios.setdefault("requests", [])
    return scenarios


SCENARIOS = load_scenarios()
MODULE_SCENARIOS = SCENARIOS["modules"]
GOOD_REQUESTS = [scenario for scenario in SCENARIOS["requests"] if scenario.get("accepted", True)]
BAD_REQUESTS = [scenario for scenario in SCENARIOS["requests"] if not scenario.get("accepted", True)]


def ids(scenarios):
    return [scenario["id"] for scenario in scenarios]


def report(problems, exchanges, extra=""):
    lines = ["%d problem(s):" % len(problems)] + ["  " + problem for problem in problems]
    lines.append("requests sent (%d):" % len(exchanges))
    lines.extend("  " + exchange.describe() for exchange in exchanges)
    lines.append("request kinds sent, as scenarios.yml would declare them:")
    lines.extend("  - " + kind for kind in sorted({exchange.kind() for exchange in exchanges}))
    if extra:
        lines.append(extra)
    return "\n".join(lines)


# --------------------------------------------------------------------------- the scenarios file itself

def test_scenarios_are_well_formed(contract_api):
    """Unique ids, known keys, and request kinds that name operations of the documents."""
    seen = set()
    problems = []
    for section, known in (("modules", {"id", "module", "args", "check", "diff", "auth", "task", "expect"}),
                           ("requests", {"id", "call", "method", "path", "params", "auth", "authorization", "accepted",
                                         "flagged", "expect"})):
        for scenario in SCENARIOS[section]:
            name = scenario.get("id")
            if not isinstance(name, str) or not ID_PATTERN.match(name) or name in seen:
                problems.append("%s: id %r must be unique and match %s" % (section, name, ID_PATTERN.pattern))
            seen.add(name)
            unknown = set(scenario) - known
            if unknown:
                problems.append("%s: unknown keys %s" % (name, ", ".join(sorted(unknown))))
            if scenario.get("accepted", True) and not scenario.get("expect"):
                problems.append("%s: no request kinds in expect" % name)
            if not scenario.get("accepted", True) and not scenario.get("flagged"):
                problems.append("%s: accepted: false needs the reason Prism must give, in flagged" % name)
            if scenario.get("auth", "basic") not in ("basic", "bearer", "kafka", "kafka-bearer"):
                problems.append("%s: auth must be basic, bearer, kafka or kafka-bearer" % name)
            for text in scenario.get("expect") or []:
                try:
                    harness.RequestKind(text, contract_api.index)
                except ValueError as exc:
                    problems.append("%s: %s" % (name, exc))
    assert not problems, "\n".join(problems)


def test_every_module_has_a_scenario(collections_path):
    """A module without a scenario would send requests that nothing here checks."""
    modules_dir = os.path.join(collections_path, "ansible_collections", "kafkaops", "confluent_cloud", "plugins", "modules")
    modules = sorted(name[:-3] for name in os.listdir(modules_dir) if name.endswith(".py") and name != "__init__.py")
    covered = {scenario["module"].split(".")[-1] for scenario in MODULE_SCENARIOS}
    missing = [name for name in modules if name not in covered]
    assert not missing, ("modules without a scenario in tests/contract/scenarios.yml: %s "
                         "(tests/contract/README.md says how to add one)" % ", ".join(missing))


# --------------------------------------------------------------------------- modules through ansible-playbook

def module_task(index, scenario, url):
    args = dict(SCENARIOS["module_defaults"], api_endpoint=url)
    auth = scenario.get("auth", "basic")
    if auth == "basic":
        args.update(api_key=scenario["id"], api_secret=API_SECRET)
    else:
        args["access_token"] = scenario["id"]
    # Kafka REST too, at the router, with a cluster credential that is the scenario's id as well (the Cloud API then
    # gets an access token: the modules refuse a cluster key that is the Cloud API key).
    if auth == "kafka":
        args.update(rest_endpoint=url, kafka_api_key=scenario["id"], kafka_api_secret=API_SECRET)
    elif auth == "kafka-bearer":
        args.update(rest_endpoint=url, kafka_access_token=scenario["id"])
    args.update(scenario.get("args") or {})
    module = scenario["module"]
    task = {
        "name": scenario["id"],
        module if "." in module else "kafkaops.confluent_cloud." + module: args,
        "check_mode": bool(scenario.get("check")),
        "diff": bool(scenario.get("diff")),
        "ignore_errors": True,
        "register": "contract_result_%d" % index,
    }
    task.update(scenario.get("task") or {})
    return task


def clean_environment(extra):
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(SCRUBBED_PREFIXES) and name not in SCRUBBED_NAMES}
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def module_runs(contract_api, collections_path, work_dir):
    """All module scenarios as the tasks of ONE ansible-playbook run; their results by scenario id.

    Each task's credential is its scenario's id, which is how the requests in the router's record are told apart.
    """
    run_dir = os.path.join(work_dir, "playbook")
    os.makedirs(os.path.join(run_dir, "tmp"))
    results_file = os.path.join(run_dir, "results.json")
    tasks = [module_task(index, scenario, contract_api.url) for index, scenario in enumerate(MODULE_SCENARIOS)]
    collected = ", ".join("%s: contract_result_%d" % (json.dumps(scenario["id"]), index)
                          for index, scenario in enumerate(MODULE_SCENARIOS))
    tasks.append({"name": "Keep every result for the test",
                  "ansible.builtin.copy": {"dest": results_file, "content": "{{ {%s} | to_json }}" % collected}})
    plays = [{"name": "Contract scenarios", "hosts": "localhost", "gather_facts": False, "tasks": tasks}]
    playbook = os.path.join(run_dir, "contract.yml")
    inventory = os.path.join(run_dir, "inventory.ini")
    with open(playbook, "w", encoding="utf-8") as handle:
        json.dump(plays, handle, indent=2)
    with open(inventory, "w", encoding="utf-8") as handle:
        handle.write("localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable)
    tmp = os.path.join(run_dir, "tmp")
    env = clean_environment({
        "ANSIBLE_COLLECTIONS_PATH": collections_path,
        "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
        "ANSIBLE_HOME": os.path.join(run_dir, "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": tmp,
        "ANSIBLE_REMOTE_TEMP": tmp,
        "ANSIBLE_ASYNC_DIR": os.path.join(tmp, "async"),
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_NOCOLOR": "true",
        "ANSIBLE_DEPRECATION_WARNINGS": "false",
        "TMPDIR": tmp,  # the modules' shared rate-limit state files
    })
    mark = contract_api.mark()
    status, output = harness.run_command([os.path.join(BIN, "ansible-playbook"), "-i", inventory, playbook],
                                         timeout=600, cwd=run_dir, env=env)
    with open(os.path.join(run_dir, "output.txt"), "w", encoding="utf-8") as handle:
        handle.write(output)
    if status != 0 or not os.path.exists(results_file):
        pytest.fail("ansible-playbook failed (exit %d):\n%s" % (status, output[-8000:]), pytrace=False)
    with open(results_file, encoding="utf-8") as handle:
        return PlaybookRun(json.load(handle), contract_api.since(mark))


class PlaybookRun:
    """The module results by scenario id, and every request the router saw during the run."""

    def __init__(self, results, exchanges):
        self.results = results
        self.exchanges = exchanges

    def __repr__(self):
        return "<ansible-playbook run: %d results, %d requests>" % (len(self.results), len(self.exchanges))


@pytest.mark.parametrize("scenario", MODULE_SCENARIOS, ids=ids(MODULE_SCENARIOS))
def test_module_requests_follow_the_contract(scenario, module_runs, contract_api):
    exchanges = contract_api.by_identity(scenario["id"])
    problems = harness.check_exchanges(exchanges, scenario.get("expect") or [], contract_api.index)
    outcome = module_runs.results.get(scenario["id"]) or {}
    summary = "module result (its outcome against Prism's examples does not matter): %s" % json.dumps(
        {key: outcome.get(key) for key in ("failed", "changed", "msg", "status") if key in outcome})
    assert not problems, report(problems, exchanges, summary)


def test_every_request_of_the_playbook_belongs_to_a_scenario(module_runs):
    """A request whose credential names no scenario (a broken Authorization header, say) is judged all the same."""
    names = set(ids(MODULE_SCENARIOS))
    strays = [exchange for exchange in module_runs.exchanges if exchange.identity not in names]
    problems = ["sent with a credential of no scenario (%r): %s" % (exchange.identity, exchange.describe())
                for exchange in strays]
    assert not problems, report(problems, strays)


# --------------------------------------------------------------------------- requests through the client

def send(scenario, url, client_library):
    """Send the scenario's request(s) through ConfluentCloudClient; API errors are expected and judged by Prism."""
    client_module, base, errors = client_library
    if "authorization" in scenario:
        authorization = scenario["authorization"]
    elif scenario.get("auth", "basic") == "bearer":
        authorization = client_module.bearer_authorization(scenario["id"])
    else:
        authorization = client_module.basic_authorization(scenario["id"], API_SECRET)
    client = client_module.ConfluentCloudClient(url, authorization, base.user_agent(), timeout=30, retries=0)
    call, path, params = scenario["call"], scenario["path"], scenario.get("params")
    try:
        if call == "list":
            list(client.list_all(path, params=params))
        elif call == "get":
            client.get(path, params=params)
        elif call == "delete":
            client.request("DELETE", path, params=params)
        elif call == "request":
            client.request(scenario["method"], path, params=params)
        else:
            raise ValueError("%s: unknown call %r" % (scenario["id"], call))
    except errors.ConfluentCloudError:
        pass
    return client


@pytest.mark.parametrize("scenario", GOOD_REQUESTS, ids=ids(GOOD_REQUESTS))
def test_request_shapes_follow_the_contract(scenario, contract_api, client_library):
    mark = contract_api.mark()
    send(scenario, contract_api.url, client_library)
    exchanges = contract_api.since(mark)
    problems = harness.check_exchanges(exchanges, scenario["expect"], contract_api.index)
    assert not problems, report(problems, exchanges)


@pytest.mark.parametrize("scenario", BAD_REQUESTS, ids=ids(BAD_REQUESTS))
def test_prism_flags_a_broken_request(scenario, contract_api, client_library):
    """The harness must not accept everything: each known-bad request is refused, for the expected reason."""
    mark = contract_api.mark()
    send(scenario, contract_api.url, client_library)
    exchanges = contract_api.since(mark)
    assert exchanges, "the request never reached the router"
    refused = [exchange for exchange in exchanges if not exchange.accepted]
    assert refused, report(["Prism accepted a request that breaks the contract"], exchanges)
    reasons = " | ".join(exchange.reason() for exchange in refused)
    assert scenario.get("flagged", "") in reasons, report(
        ["refused, but not for %r" % scenario.get("flagged")], exchanges)


class _EchoBackend(BaseHTTPRequestHandler):
    """Stands in for Prism: keeps each request exactly as it arrived and answers 200 {}."""

    protocol_version = "HTTP/1.1"
    received = []

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass

    def do_GET(self):  # pylint: disable=invalid-name
        length = int(self.headers.get("Content-Length") or 0)
        self.received.append((self.command, self.path, list(self.headers.items()), self.rfile.read(length)))
        self.send_response_only(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_DELETE = do_GET


def test_router_forwards_requests_unchanged(contract_api, client_library, tmp_path):
    """What the router hands to Prism is what the client sent: method, target, every header in order, the body."""
    client_module, base, _errors = client_library
    backend = ThreadingHTTPServer(("127.0.0.1", 0), _EchoBackend)
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    router = harness.ContractApi(str(tmp_path))
    router.index = contract_api.index
    echo = SimpleNamespace(port=backend.server_address[1], document="echo.yaml", stop=lambda: None)
    router.prisms = [("/org/v2/", echo)]
    router.start_router()
    try:
        client = client_module.ConfluentCloudClient(router.url, client_module.basic_authorization("echo", "s3cret"),
                                                    base.user_agent(), retries=0)
        client.get("/org/v2/environments/env%2Fa%20b", params={"expand": "id,info,status", "page_size": 100})
        client.delete("/org/v2/environments/env-echo")
    finally:
        router.stop()
        backend.shutdown()
        backend.server_close()
    sent = [(exchange.method, exchange.target, exchange.headers, exchange.body) for exchange in router.exchanges]
    assert sent == _EchoBackend.received
    assert sent[0][1] == "/org/v2/environments/env%2Fa%20b?expand=id%2Cinfo%2Cstatus&page_size=100"
    headers = dict(sent[0][2])
    assert headers["Authorization"] == client_module.basic_authorization("echo", "s3cret")
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"] == base.user_agent()

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared machinery of the reliability suite: the collection under test, the simulator, ansible-playbook runs."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import sys
from urllib.parse import quote, unquote

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
if os.path.join(ROOT, "tests") not in sys.path:
    sys.path.insert(0, os.path.join(ROOT, "tests"))

# pylint: disable=wrong-import-position
from support import collection  # noqa: E402
from support.playbook import run_playbook as run_with_results  # noqa: E402
from support.simulator import SimulatorProcess  # noqa: E402

BUILD = os.path.join(ROOT, "build", "reliability")
COLLECTIONS = os.path.join(BUILD, "collections")
INSTALLED = os.path.join(COLLECTIONS, "ansible_collections", "kafkaops", "confluent_cloud")
BIN = os.path.dirname(sys.executable)

API_KEY = "RELKEY"
API_SECRET = "rel-secret-7Qx9fT2mLz"
TOKEN = "rel-token-Hn4vW8cPq1"
CREDENTIALS = [{"api_key": API_KEY, "api_secret": API_SECRET}, {"token": TOKEN}]

# Variables that would change what the modules or ansible-playbook do if inherited from the caller.
SCRUBBED_PREFIXES = ("CONFLUENT_CLOUD_", "ANSIBLE_", "PYTEST_", "HYPOTHESIS_")
SCRUBBED_NAMES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR", "http_proxy", "https_proxy",
                  "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")
TRACEBACK_MARKERS = ("Traceback (most recent call last)", "MODULE FAILURE", "Module failed:", "module_stderr")


class HarnessError(Exception):
    """The test harness itself could not do its job (build, simulator start, ...)."""


def rel(path):
    """A path relative to the repository root, for messages and the report."""
    return os.path.relpath(path, ROOT)


def build_and_install():
    """Build the collection from the working tree and install it into build/reliability/collections (checked by
    tests/support/collection.py: nothing stray in the tarball, the modules installed as they are in the tree)."""
    tarball, dummy = collection.build_and_install(os.path.join(BIN, "ansible-galaxy"), BUILD, env=clean_environment())
    return os.path.basename(tarball)


def clean_environment(extra=None):
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(SCRUBBED_PREFIXES) and name not in SCRUBBED_NAMES}
    env.update(extra or {})
    return env


def free_port():
    """A loopback port with nothing listening on it (for 'connection refused')."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------- simulator

class Simulator(SimulatorProcess):
    """tests/simulator/confluent_sim.py in its own process (tests/support/simulator.py), for 900 idle seconds at most."""

    def __init__(self, seed, work_dir, delete_delay=None, tls_cert=None, tls_key=None, ca_file=None):
        super().__init__(seed, work_dir, delete_delay=delete_delay, idle_exit=900, tls_cert=tls_cert, tls_key=tls_key,
                         ca_file=ca_file)


def connectors_in(state):
    """{(environment, cluster, name)} of every connector in a /_sim/state answer."""
    return {(env["id"], cluster["id"], conn["name"]) for env in state["environments"]
            for cluster in env["clusters"] for conn in cluster["connectors"]}


def environment_status(state, env_id):
    """'present', 'deleting' or 'gone' for an environment in a /_sim/state answer."""
    for env in state["environments"]:
        if env["id"] == env_id:
            return "deleting" if env["deleting"] else "present"
    return "gone"


def decode_segments(raw_path):
    """The path segments as the simulator decodes them: split the raw path at '/', percent-decode each once."""
    return [unquote(segment) for segment in raw_path.split("?", 1)[0].split("/")[1:]]


def encode_segment(value):
    return quote(value, safe="")


# --------------------------------------------------------------------------- ansible-playbook

class PlaybookRun:
    def __init__(self, cmd, returncode, stdout, stderr, records, started, duration, work_dir):
        self.cmd = cmd
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.records = records
        self.started = started
        self.duration = duration
        self.work_dir = work_dir

    @classmethod
    def combine(cls, runs):
        """Several runs side by side as one: all records, the worst exit code."""
        first = min(run.started for run in runs)
        end = max(run.started + run.duration for run in runs)
        return cls([run.cmd for run in runs], max(run.returncode for run in runs),
                   "\n".join(run.stdout for run in runs), "\n".join(run.stderr for run in runs),
                   [record for run in runs for record in run.records], first, end - first,
                   [run.work_dir for run in runs])

    def for_host(self, host, action_suffix=None, include_skipped=False):
        return [record for record in self.records if record["host"] == host
                and (include_skipped or record["status"] != "skipped")
                and (action_suffix is None or record["action"].endswith(action_suffix))]

    def module_records(self):
        return [record for record in self.records if record["action"].startswith("kafkaops.confluent_cloud.")
                and record["status"] != "skipped"]

    def output(self):
        return self.stdout + "\n" + self.stderr


def write_json(path, data):
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, ensure_ascii=False)


def run_playbook(name, plays, inventory, forks=20, extra_env=None, args=(), timeout=420):
    """Write plays and inventory (JSON, which is YAML) under build/reliability/runs/NAME and run ansible-playbook, with
    every task result recorded by the task_results callback of tests/support."""
    work = os.path.join(BUILD, "runs", name)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "tmp"))
    playbook = os.path.join(work, "playbook.yml")
    inventory_file = os.path.join(work, "inventory.json")
    results = os.path.join(work, "results.json")
    write_json(playbook, plays)
    write_json(inventory_file, inventory)
    with open(os.path.join(work, "ansible.cfg"), "w", encoding="utf-8") as handle:
        handle.write("[defaults]\n")
    env = clean_environment({
        "ANSIBLE_CONFIG": os.path.join(work, "ansible.cfg"),
        "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS,
        "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
        "ANSIBLE_LOCAL_TEMP": os.path.join(work, "tmp"),
        "ANSIBLE_REMOTE_TEMP": os.path.join(work, "tmp"),
        # The modules keep the rate-limit budget they share in the temporary directory: one of its own for every run,
        # so that no run inherits the budget (or a long Retry-After) another one left for the same endpoint and key.
        "TMPDIR": os.path.join(work, "tmp"),
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_NOCOLOR": "true",
        "ANSIBLE_FORCE_COLOR": "false",
        "ANSIBLE_DEPRECATION_WARNINGS": "false",
    })
    env.update(extra_env or {})
    cmd = [os.path.join(BIN, "ansible-playbook"), "-i", inventory_file, "-f", str(forks), playbook] + list(args)
    run = run_with_results(cmd, env, results, cwd=work, timeout=timeout, separate_stderr=True)
    for stream, text in (("stdout", run.stdout), ("stderr", run.stderr)):
        with open(os.path.join(work, stream + ".txt"), "w", encoding="utf-8") as handle:
            handle.write(text)
    if run.timed_out:
        raise HarnessError("ansible-playbook did not finish within %d s: %s" % (timeout, rel(work)))
    return PlaybookRun(cmd, run.returncode, run.stdout, run.stderr, run.records or [], run.started, run.duration, work)


def local_inventory(hosts, group_vars=None):
    """An inventory of hosts that all run on the controller with the suite's Python (which has requests)."""
    variables = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    variables.update(group_vars or {})
    return {"all": {"vars": variables, "hosts": hosts}}


def traceback_signs(result):
    """What in a task result shows an unhandled exception rather than a clean failure (empty when clean)."""
    # ansible-core 2.19 adds an "exception" summary to every failure, "(traceback unavailable)" unless it captures one.
    signs = [key for key in ("module_stderr", "module_stdout") if result.get(key)]
    if result.get("exception") and "(traceback unavailable)" not in str(result["exception"]):
        signs.append("exception")
    text = json.dumps(result)
    signs += [marker for marker in TRACEBACK_MARKERS if marker in text and marker not in signs]
    return signs


def secret_forms(*secrets, api_key=API_KEY):
    """Every form in which a credential could show up: as is, JSON-escaped, URL-encoded, inside a Basic header."""
    forms = set()
    for secret in secrets:
        forms.add(secret)
        forms.add(json.dumps(secret)[1:-1])
        forms.add(quote(secret, safe=""))
        forms.add(base64.b64encode(("%s:%s" % (api_key, secret)).encode("utf-8")).decode("ascii"))
    return {form for form in forms if form}


def find_secrets(text, forms):
    return sorted(form for form in forms if form in text)

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared machinery of the reliability suite: the collection under test, the simulator, ansible-playbook runs."""

from __future__ import annotations

import base64
import filecmp
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import quote, unquote

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.path.join(ROOT, "build", "reliability")
COLLECTIONS = os.path.join(BUILD, "collections")
INSTALLED = os.path.join(COLLECTIONS, "ansible_collections", "kafkaops", "confluent_cloud")
SIMULATOR = os.path.join(ROOT, "tests", "simulator", "confluent_sim.py")
CALLBACKS = os.path.join(HERE, "callback_plugins")
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


def run_quiet(cmd, what, env=None, cwd=ROOT, timeout=300):
    result = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=timeout, check=False)
    if result.returncode != 0:
        raise HarnessError("%s failed (exit %d):\n%s" % (what, result.returncode, result.stdout[-4000:]))
    return result.stdout


def build_and_install():
    """Build the collection from the working tree and install it into build/reliability/collections."""
    dist = os.path.join(BUILD, "dist")
    shutil.rmtree(dist, ignore_errors=True)
    shutil.rmtree(COLLECTIONS, ignore_errors=True)
    galaxy = os.path.join(BIN, "ansible-galaxy")
    env = clean_environment()
    run_quiet([galaxy, "collection", "build", "--force", "--output-path", dist], "ansible-galaxy collection build", env)
    tarballs = [name for name in os.listdir(dist) if name.endswith(".tar.gz")]
    if len(tarballs) != 1:
        raise HarnessError("expected one tarball in %s, found %s" % (rel(dist), tarballs))
    run_quiet([galaxy, "collection", "install", "--force", "-p", COLLECTIONS, os.path.join(dist, tarballs[0])],
              "ansible-galaxy collection install", env)
    for sub in ("plugins/modules", "plugins/module_utils"):
        names = sorted(name for name in os.listdir(os.path.join(ROOT, sub)) if name.endswith(".py"))
        match, mismatch, errors = filecmp.cmpfiles(os.path.join(ROOT, sub), os.path.join(INSTALLED, sub), names,
                                                   shallow=False)
        if mismatch or errors or len(match) != len(names):
            raise HarnessError("the installed collection differs from the working tree in %s: %s"
                               % (sub, mismatch + errors))
    return tarballs[0]


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

class Simulator:
    """tests/simulator/confluent_sim.py in its own process, driven through its /_sim/ control API."""

    def __init__(self, seed, work_dir, delete_delay=None, tls_cert=None, tls_key=None, ca_file=None):
        os.makedirs(work_dir, exist_ok=True)
        self.seed_file = os.path.join(work_dir, "seed.json")
        write_json(self.seed_file, seed)
        cmd = [sys.executable, SIMULATOR, "--port", "0", "--seed", self.seed_file, "--idle-exit", "900"]
        if delete_delay is not None:
            cmd += ["--delete-delay", str(delete_delay)]
        if tls_cert:
            cmd += ["--tls-cert", tls_cert, "--tls-key", tls_key]
        self.stderr_path = os.path.join(work_dir, "simulator.stderr")
        with open(self.stderr_path, "w", encoding="utf-8") as stderr:
            self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=stderr, text=True)  # pylint: disable=consider-using-with
        ready = select.select([self.proc.stdout], [], [], 20)[0]
        self.url = self.proc.stdout.readline().strip() if ready else ""
        if not self.url.startswith("http"):
            self.stop()
            raise HarnessError("the simulator did not start: %s" % " ".join(cmd))
        self.port = int(self.url.rsplit(":", 1)[1])
        self.session = requests.Session()
        self.session.verify = ca_file or True
        self.session.trust_env = False

    def call(self, method, path, body=None):
        response = self.session.request(method, self.url + path, json=body, timeout=30)
        if response.status_code != 200:
            raise HarnessError("simulator %s %s: HTTP %d %s" % (method, path, response.status_code, response.text))
        return response.json()

    def seed(self, doc):
        return self.call("POST", "/_sim/seed", doc)

    def add_faults(self, faults):
        return self.call("POST", "/_sim/faults", faults) if faults else []

    def clear_faults(self):
        self.call("DELETE", "/_sim/faults")

    def configure(self, **config):
        return self.call("POST", "/_sim/config", config)

    def log(self):
        return self.call("GET", "/_sim/log")

    def clear_log(self):
        self.call("DELETE", "/_sim/log")

    def state(self):
        return self.call("GET", "/_sim/state")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()


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
    """Write plays and inventory (JSON, which is YAML) under build/reliability/runs/NAME and run ansible-playbook."""
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
        "ANSIBLE_CALLBACK_PLUGINS": CALLBACKS,
        "ANSIBLE_CALLBACKS_ENABLED": "reliability_recorder",
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
        "RELIABILITY_RESULTS": results,
    })
    env.update(extra_env or {})
    cmd = [os.path.join(BIN, "ansible-playbook"), "-i", inventory_file, "-f", str(forks), playbook] + list(args)
    started = time.time()
    proc = subprocess.run(cmd, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          errors="replace", timeout=timeout, check=False)
    duration = time.time() - started
    for stream, text in (("stdout", proc.stdout), ("stderr", proc.stderr)):
        with open(os.path.join(work, stream + ".txt"), "w", encoding="utf-8") as handle:
            handle.write(text)
    records = []
    if os.path.exists(results):
        with open(results, encoding="utf-8") as handle:
            records = json.load(handle)
    return PlaybookRun(cmd, proc.returncode, proc.stdout, proc.stderr, records, started, duration, work)


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

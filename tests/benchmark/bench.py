# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark of kafkaops.confluent_cloud against ansible.builtin.uri and ansible.builtin.ping (``make bench``).

Scenarios, all against tests/simulator/confluent_sim.py on loopback, run with the standard ansible-playbook:
  1. per-task cost: --tasks tasks of each contender, connectors that exist (real DELETE) and connectors already
     absent (404), for confluent_connector, ansible.builtin.uri (the same DELETE) and ansible.builtin.ping (Ansible's
     floor), taking turns in one playbook run (loop tasks of CHUNK items, in a rotating order); on both paths a
     confluent_connector task can take: in-process (the local connection, connection_plugins/bench_local.py) and in
     a module process of its own (connection_plugins/bench_module_process.py, as on a remote host, with become or
     async), each checked by counting the module processes the connection started;
  2. start-up cost of the module itself: one execution outside Ansible, and what it imports (python -X importtime);
  3. rate-limited teardown: --teardown-connectors connectors over --teardown-hosts hosts (as many forks) with one
     API key, against a limit of --rate-limit requests per --rate-window seconds, then the same with no limit;
  4. requests per task in normal, check, diff and check+diff mode (from the simulator's /_sim/log);
  5. controllers that share an API key but no disk, each an ansible-playbook with its own TMPDIR and HOME
     (tests/benchmark/bench_controllers.py).
  6. the cleanup playbook sweeping ephemeral stacks, with no rate limit and under one (sweep.py).
Every scenario is repeated --runs times; the contenders are interleaved within each repetition, in an order that
rotates from one repetition to the next, so that machine noise hits all of them alike.

Set-up: .venv/bench (ansible-core, requests, matplotlib; a stamp file skips reinstalling), then the collection is
built from the working tree (--source) and installed into a private collections path under --work-dir.

Usage:
  python3 tests/benchmark/bench.py            full size; writes docs/performance.md and docs/performance.png
  python3 tests/benchmark/bench.py --smoke    tiny size into a temporary directory; never touches docs/
  python3 tests/benchmark/bench.py --from-results FILE   the report again from a bench-results.json, measuring
                                              nothing; the report says it was regenerated, from which measurement
Exit status: 0 done (measured targets are reported, not enforced), 1 a functional check failed, 2 set-up failed.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import bench_controllers  # scenario 5, controllers sharing one API key but no disk
import sweep

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PLAYBOOKS = os.path.join(HERE, "playbooks")
CALLBACKS = os.path.join(HERE, "callback_plugins")
CONNECTION_PLUGINS = os.path.join(HERE, "connection_plugins")
SIMULATOR = os.path.join(ROOT, "tests", "simulator", "confluent_sim.py")
DOCS = os.path.join(ROOT, "docs")

API_KEY = "BENCHKEY"
API_SECRET = "bench-secret"
ENVIRONMENT_ID = "env-bench1"
CLUSTER_ID = "lkc-bench1"
OURS = "confluent_connector"
URI = "uri"
PING = "ping"
CONTENDERS = (OURS, URI, PING)
LABELS = {OURS: "kafkaops.confluent_cloud.confluent_connector", URI: "ansible.builtin.uri", PING: "ansible.builtin.ping"}
MODULE_NAMES = {
    OURS: "ansible_collections.kafkaops.confluent_cloud.plugins.modules.confluent_connector",
    URI: "ansible.modules.uri",
    PING: "ansible.modules.ping",
}
CASES = ("existing", "absent")
# The two ways a confluent_connector task runs, and the connection of tests/benchmark/connection_plugins that gives each.
PATHS = ("in-process", "module-process")
PATH_CONNECTIONS = {"in-process": "bench_local", "module-process": "bench_module_process"}
PATH_LABELS = {"in-process": "in-process (local connection)", "module-process": "module process"}
# How many module processes each contender's task starts on each path.
PATH_PROCESSES = {"in-process": {OURS: 0, URI: 1, PING: 1}, "module-process": {OURS: 1, URI: 1, PING: 1}}
RESULTS_FORMAT = 2
CASE_LABELS = {"existing": "connectors exist (DELETE 200)", "absent": "connectors absent (DELETE 404)"}
MODES = (("normal", []), ("check", ["--check"]), ("diff", ["--diff"]), ("check+diff", ["--check", "--diff"]))
MODE_TASKS = 10
SWEEP_RUNS = 3
CHUNK = 10
SCENARIOS = ("startup", "per-task", "teardown", "controllers", "sweep")
SIZE_ARGS = ("runs", "tasks", "teardown_connectors", "teardown_hosts", "rate_limit", "rate_window",
             "smoke") + bench_controllers.SIZE_ARGS
PLAYBOOK_TIMEOUT = 900
REQUESTS_STACK = ("requests", "urllib3", "charset_normalizer", "chardet", "idna", "certifi")

TARGET_RATIO_URI = 0.90
TARGET_OVER_PING_MS = 30.0
TARGET_BOUND_FACTOR = 1.3
# After the first window of the rate-limited teardown, at most one answer of 429 for this many tasks: the forks share
# the API key's budget. Forks that paced themselves only on their own 429s would get far more.
THROTTLED_SHARE = 20


class SetupError(Exception):
    """A step before the measurements failed (virtual environment, build, install, simulator)."""


def say(text=""):
    print(text, flush=True)


def quiet(cmd, what, cwd=ROOT, env=None):
    result = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            check=False)
    if result.returncode != 0:
        sys.stdout.write(result.stdout)
        raise SetupError("%s failed (exit %d)" % (what, result.returncode))
    return result.stdout


def plural(count, word):
    return "%d %s%s" % (count, word, "" if count == 1 else "s")


def rotate(items, count):
    count %= len(items)
    return list(items[count:]) + list(items[:count])


def summary(values):
    """Median, min and max of a list of numbers (None for an empty list)."""
    values = [value for value in values if value is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


# --------------------------------------------------------------------------- set-up

def ansible_core_spec():
    """The newest ansible-core whose controller runs on this Python."""
    if sys.version_info < (3, 11):
        return "ansible-core>=2.16,<2.18"
    if sys.version_info < (3, 12):
        return "ansible-core>=2.19,<2.20"
    return "ansible-core>=2.19"


def ensure_venv(venv):
    python = os.path.join(venv, "bin", "python")
    stamp = os.path.join(venv, ".bench-installed")
    wanted = "%s requests>=2.25 matplotlib python %s" % (ansible_core_spec(), platform.python_version())
    if os.path.isfile(stamp) and os.access(python, os.X_OK):
        with open(stamp, encoding="utf-8") as handle:
            if handle.read().strip() == wanted:
                return python
    say("==> creating %s (%s)" % (os.path.relpath(venv, ROOT), wanted))
    shutil.rmtree(venv, ignore_errors=True)
    quiet([sys.executable, "-m", "venv", venv], "creating the virtual environment")
    quiet([python, "-m", "pip", "install", "--disable-pip-version-check", "-q", ansible_core_spec(), "requests>=2.25",
           "matplotlib"], "pip install")
    with open(stamp, "w", encoding="utf-8") as handle:
        handle.write(wanted + "\n")
    return python


def in_venv(venv):
    return os.path.realpath(sys.prefix) == os.path.realpath(venv)


def build_and_install(venv, source, work):
    """Build the collection from ``source``, install the tarball into work/collections; return the tarball name."""
    galaxy = os.path.join(venv, "bin", "ansible-galaxy")
    dist = os.path.join(work, "dist")
    collections_dir = os.path.join(work, "collections")
    shutil.rmtree(dist, ignore_errors=True)
    shutil.rmtree(collections_dir, ignore_errors=True)
    quiet([galaxy, "collection", "build", "--force", "--output-path", dist], "ansible-galaxy collection build", cwd=source)
    tarballs = sorted(name for name in os.listdir(dist) if name.endswith(".tar.gz"))
    if len(tarballs) != 1:
        raise SetupError("expected one tarball in %s, found %s" % (dist, tarballs))
    quiet([galaxy, "collection", "install", "--force", "-p", collections_dir, os.path.join(dist, tarballs[0])],
          "ansible-galaxy collection install", cwd=work)
    return tarballs[0]


# --------------------------------------------------------------------------- simulator

def seed_document(connector_names, rate_limit=0, rate_window=1.0):
    connectors = [{"name": name, "type": "sink", "config": {"connector.class": "S3_SINK"}} for name in connector_names]
    return {
        "credentials": [{"api_key": API_KEY, "api_secret": API_SECRET}],
        "rate_limit": {"limit": rate_limit, "window": rate_window},
        "delete_delay": 0,
        "environments": [{"id": ENVIRONMENT_ID, "display_name": "bench",
                          "clusters": [{"id": CLUSTER_ID, "connectors": connectors}]}],
    }


class Simulator:
    """tests/simulator/confluent_sim.py in its own process, driven through its control API."""

    def __init__(self, python, work):
        self.url_file = os.path.join(work, "simulator.url")
        if os.path.exists(self.url_file):
            os.unlink(self.url_file)
        self.stderr = open(os.path.join(work, "simulator.log"), "w", encoding="utf-8")  # pylint: disable=consider-using-with
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            [python, SIMULATOR, "--port", "0", "--url-file", self.url_file, "--idle-exit", "1800"],
            stdout=subprocess.DEVNULL, stderr=self.stderr)
        deadline = time.monotonic() + 30
        while not os.path.exists(self.url_file):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SetupError("the simulator did not start; see %s" % self.stderr.name)
            time.sleep(0.05)
        with open(self.url_file, encoding="utf-8") as handle:
            self.url = handle.read().strip()

    def call(self, path, method="GET", body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode("utf-8"))

    def seed(self, document):
        self.call("/_sim/seed", "POST", document)

    def log(self):
        return self.call("/_sim/log")

    def connectors_left(self):
        state = self.call("/_sim/state")
        return sum(len(cluster["connectors"]) for env in state["environments"] for cluster in env["clusters"])

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.stderr.close()


# --------------------------------------------------------------------------- running playbooks

class Runner:
    """Runs the playbooks of tests/benchmark/playbooks with a private configuration and collections path."""

    def __init__(self, venv, work, sim):
        self.venv = venv
        self.work = work
        self.sim = sim
        self.python = os.path.join(venv, "bin", "python")
        self.logs = os.path.join(work, "logs")
        self.run_dir = os.path.join(work, "run")
        os.makedirs(self.logs, exist_ok=True)
        os.makedirs(self.run_dir, exist_ok=True)
        self.counter = 0
        self.api_key, self.api_secret = API_KEY, API_SECRET
        config = os.path.join(self.run_dir, "ansible.cfg")
        with open(config, "w", encoding="utf-8") as handle:
            handle.write("[defaults]\n")
        self.vars_file = os.path.join(self.run_dir, "vars.json")
        with open(self.vars_file, "w", encoding="utf-8") as handle:
            json.dump({"bench_endpoint": sim.url, "bench_api_key": API_KEY, "bench_api_secret": API_SECRET,
                       "bench_environment_id": ENVIRONMENT_ID, "bench_cluster_id": CLUSTER_ID}, handle)
        env = dict((name, value) for name, value in os.environ.items()
                   if not name.startswith(("ANSIBLE_", "CONFLUENT_CLOUD_")))
        env.update(
            ANSIBLE_CONFIG=config,
            ANSIBLE_COLLECTIONS_PATH=os.path.join(work, "collections"),
            ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
            ANSIBLE_CALLBACK_PLUGINS=CALLBACKS,
            ANSIBLE_CALLBACKS_ENABLED="bench_timer",
            ANSIBLE_CONNECTION_PLUGINS=CONNECTION_PLUGINS,
            ANSIBLE_LOCALHOST_WARNING="false",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
            ANSIBLE_NOCOLOR="true",
            ANSIBLE_FORCE_COLOR="false",
            ANSIBLE_RETRY_FILES_ENABLED="false",
        )
        self.env = env

    def inventory(self, shares, connection):
        """An inventory of local hosts, each with its share of connector names as bench_connectors (or its variables)."""
        hosts = dict(("bench-%02d" % (index + 1), share if isinstance(share, dict) else {"bench_connectors": share})
                     for index, share in enumerate(shares))
        document = {"bench": {"hosts": hosts, "vars": {"ansible_connection": connection,
                                                       "ansible_python_interpreter": self.python}}}
        path = os.path.join(self.run_dir, "inventory.yml")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(document, handle)
        return path

    def playbook(self, name, shares, label, flags=(), forks=5, connection="local", credentials_in_environment=False):
        """Run one playbook; return wall time, the callback's task timings, the outcome counts and, on a connection
        of connection_plugins/, the module processes it started (by module).

        With credentials_in_environment the API key and endpoint also go in CONFLUENT_CLOUD_*, as for a playbook
        that takes them from there, like the collection's own."""
        self.counter += 1
        inventory = self.inventory(shares, connection)
        timings_file = os.path.join(self.run_dir, "timings.json")
        processes_file = os.path.join(self.run_dir, "module-processes.txt")
        for path in (timings_file, processes_file):
            if os.path.exists(path):
                os.unlink(path)
        env = dict(self.env, BENCH_TIMINGS_FILE=timings_file, BENCH_MODULE_PROCESSES=processes_file)
        if credentials_in_environment:
            env.update(CONFLUENT_CLOUD_API_KEY=self.api_key, CONFLUENT_CLOUD_API_SECRET=self.api_secret,
                       CONFLUENT_CLOUD_API_ENDPOINT=self.sim.url)
        cmd = [os.path.join(self.venv, "bin", "ansible-playbook"), "-i", inventory, "-e", "@" + self.vars_file,
               "--forks", str(forks)] + list(flags) + [playbook_path(name)]
        log_path = os.path.join(self.logs, "%03d-%s.log" % (self.counter, re.sub(r"[^a-z0-9+-]+", "-", label.lower())))
        with open(log_path, "w", encoding="utf-8") as log:
            cpu_before = children_cpu()
            start = time.perf_counter()
            returncode = run_process_group(cmd, self.run_dir, env, log, PLAYBOOK_TIMEOUT)
            wall = time.perf_counter() - start
            cpu = children_cpu() - cpu_before
        timings = {"tasks": []}
        if os.path.exists(timings_file):
            with open(timings_file, encoding="utf-8") as handle:
                timings = json.load(handle)
        task = timings["tasks"][-1] if timings["tasks"] else None
        task_seconds = task["end"] - task["start"] if task and task["end"] else None
        processes = collections.Counter()
        if os.path.exists(processes_file):
            with open(processes_file, encoding="utf-8") as handle:
                processes.update(line.strip() for line in handle if line.strip())
        return {
            "label": label,
            "returncode": returncode,
            "wall": wall,
            "cpu": cpu,
            "task_seconds": task_seconds,
            "items": task["items"] if task else {},
            "attempts": task["attempts"] if task else 0,
            "module_retries": task["module_retries"] if task else 0,
            "tasks": timings["tasks"],
            "failed_hosts": sorted(host for host, outcome in (task["hosts"] if task else {}).items() if outcome != "ok"),
            "module_processes": dict(processes),
            "log": os.path.relpath(log_path, self.work),
        }


def playbook_path(name):
    """A playbook of tests/benchmark/playbooks, an absolute path, or a collection's playbook by its FQCN."""
    if name.startswith("kafkaops.confluent_cloud."):
        return name
    return os.path.join(PLAYBOOKS, name)


def run_process_group(cmd, cwd, env, log, timeout):
    """Run cmd in a process group of its own; on a timeout or an interruption, stop the whole group."""
    process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,  # pylint: disable=consider-using-with
                               start_new_session=True)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    finally:
        # Also ends what the playbook may have left behind in its group.
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except OSError:
            pass
        process.wait()


def children_cpu():
    """User + system CPU seconds of every finished child process and its descendants."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def request_counts(log):
    """Requests of the simulator's log by method and by status."""
    methods = collections.Counter(entry["method"] for entry in log)
    statuses = collections.Counter(str(entry["status"]) for entry in log)
    return {"total": len(log), "methods": dict(methods), "statuses": dict(statuses)}


def connector_names(count, prefix="bench"):
    return ["%s-%04d" % (prefix, index) for index in range(count)]


# --------------------------------------------------------------------------- scenarios

def interleaved_playbook(runner, tasks, rep):
    """One play that runs the contenders' loop tasks in chunks of CHUNK tasks, taking turns, in a rotating order.

    Each contender's task comes from its playbooks/per_task_CONTENDER.yml and loops over its own connector names,
    so that machine noise, which changes from second to second, hits the three contenders alike.
    """
    import yaml

    plays = {}
    for contender in CONTENDERS:
        with open(os.path.join(PLAYBOOKS, "per_task_%s.yml" % contender), encoding="utf-8") as handle:
            plays[contender] = yaml.safe_load(handle)[0]
    play = dict((key, value) for key, value in plays[OURS].items() if key != "tasks")
    play["name"] = "Per-task cost, three contenders taking turns"
    play["tasks"] = []
    for chunk, start in enumerate(range(0, tasks, CHUNK)):
        for contender in rotate(CONTENDERS, chunk + rep):
            task = dict(plays[contender]["tasks"][0])
            task["name"] = "%s chunk %d" % (contender, chunk)
            task["loop"] = "{{ bench_connectors_%s[%d:%d] }}" % (contender, start, min(tasks, start + CHUNK))
            play["tasks"].append(task)
    path = os.path.join(runner.run_dir, "per_task_interleaved.yml")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump([play], handle, indent=1)
    return path


def scenario_per_task(runner, sim, tasks, rep, results, problems):
    """Scenario 1 (and the normal mode of scenario 4): one interleaved run in each case, on each path."""
    names = dict((contender, connector_names(tasks, "bench-%s" % contender)) for contender in CONTENDERS)
    host_vars = dict(("bench_connectors_%s" % contender, names[contender]) for contender in CONTENDERS)
    playbook = interleaved_playbook(runner, tasks, rep)
    plan = [(path, case) for path in PATHS for case in CASES]
    for path, case in rotate(plan, rep):
        sim.seed(seed_document(names[OURS] + names[URI] if case == "existing" else []))
        label = "per-task %s %s run %d" % (path, case, rep + 1)
        run = runner.playbook(playbook, [host_vars], label, connection=PATH_CONNECTIONS[path])
        log = sim.log()
        left = sim.connectors_left()
        line = []
        for contender in CONTENDERS:
            own = [task for task in run["tasks"] if task["name"].startswith(contender + " chunk ")]
            items = collections.Counter()
            for task in own:
                items.update(task["items"])
            seconds = sum(task["end"] - task["start"] for task in own if task["end"]) if own else None
            requests = [entry for entry in log if agent_of(entry) == contender]
            processes = run["module_processes"].get(contender, 0)
            record = {
                "task_seconds": seconds,
                "items": dict(items),
                "requests": request_counts(requests),
                "module_processes": processes,
                "returncode": run["returncode"],
                "log": run["log"],
            }
            results["per_task"][path][case][contender].append(record)
            line.append("%s %.3f" % (contender, (seconds or float("nan")) / tasks))
            expected_processes = PATH_PROCESSES[path][contender] * tasks
            if processes != expected_processes:
                problems.append("%s, %s: %d module processes for %d tasks, expected %d: not the %s path (see %s)"
                                % (label, contender, processes, tasks, expected_processes, path, run["log"]))
            if items.get("ok") != tasks or items.get("failed"):
                problems.append("%s, %s: items %s (see %s)" % (label, contender, dict(items), run["log"]))
            expected_requests = 0 if contender == PING else tasks
            if record["requests"]["total"] != expected_requests:
                problems.append("%s, %s: %d requests for %d tasks" % (label, contender, record["requests"]["total"],
                                                                      tasks))
        say("    %-42s s/task: %s  (wall %.0f s)" % (label, ", ".join(line), run["wall"]))
        if run["returncode"] != 0:
            problems.append("%s: ansible-playbook exited %s (see %s)" % (label, run["returncode"], run["log"]))
        if case == "existing" and left:
            problems.append("%s: %d connectors left" % (label, left))
        strangers = [entry for entry in log if agent_of(entry) == "other"]
        if strangers:
            problems.append("%s: %d requests from an unknown User-Agent" % (label, len(strangers)))


def agent_of(entry):
    """Which contender sent a request, from its User-Agent."""
    agent = entry.get("user_agent") or ""
    if agent.startswith("kafkaops.confluent_cloud/"):
        return OURS
    if agent.startswith("ansible-httpget"):
        return URI
    return "other"


def scenario_modes(runner, sim, tasks, rep, results, problems):
    """Scenario 4: requests per confluent_connector task in check, diff and check+diff mode."""
    names = connector_names(tasks)
    for case in CASES:
        for mode, flags in MODES[1:]:
            sim.seed(seed_document(names if case == "existing" else []))
            label = "modes %s %s run %d" % (case, mode, rep + 1)
            run = runner.playbook("per_task_%s.yml" % OURS, [names], label, flags=flags)
            run["requests"] = request_counts(sim.log())
            run["tasks"] = tasks
            results["modes"][case][mode].append(run)
            if run["returncode"] != 0 or run["items"].get("failed"):
                problems.append("%s: exit %s, items %s (see %s)" % (label, run["returncode"], run["items"], run["log"]))


def scenario_teardown(runner, sim, args, rep, results, problems):
    """Scenario 3: the teardown over many hosts, with the rate limit and without, for both contenders."""
    names = connector_names(args.teardown_connectors)
    hosts = args.teardown_hosts
    shares = [names[index::hosts] for index in range(hosts)]
    plan = [(contender, limited) for limited in (True, False) for contender in (OURS, URI)]
    for contender, limited in rotate(plan, rep):
        sim.seed(seed_document(names, args.rate_limit if limited else 0, args.rate_window))
        kind = "limited" if limited else "unlimited"
        label = "teardown %s %s run %d" % (kind, contender, rep + 1)
        run = runner.playbook("teardown_%s.yml" % contender, shares, label, forks=hosts)
        log = sim.log()
        run["requests"] = request_counts(log)
        run["http_429"] = sum(1 for entry in log if entry["status"] == 429)
        run["http_429_first_window"], run["http_429_later"] = throttling(log, args.rate_window)
        run["connectors_left"] = sim.connectors_left()
        items = run["items"]
        finished = items.get("ok", 0) + items.get("failed", 0) + items.get("skipped", 0)
        run["failed_tasks"] = items.get("failed", 0) + max(0, len(names) - finished)
        results["teardown"][kind][contender].append(run)
        say("    %-44s %6.1f s  429s=%-4d (after the first window %d) failed=%-3d left=%d"
            % (label, run["wall"], run["http_429"], run["http_429_later"], run["failed_tasks"],
               run["connectors_left"]))
        if run["returncode"] not in (0, 2):
            problems.append("%s: ansible-playbook exited %s (see %s)" % (label, run["returncode"], run["log"]))
        if contender == OURS and limited:
            # What the shared rate-limit budget achieves on one controller, with the default api_retries.
            allowed = throttled_allowed(len(names))
            if run["http_429_later"] > allowed:
                problems.append("%s: %d answers of 429 after the first window for %d tasks, at most %d allowed: the "
                                "forks do not share the API key's rate-limit budget"
                                % (label, run["http_429_later"], len(names), allowed))
            if run["http_429_first_window"] > hosts:
                problems.append("%s: %d answers of 429 in the first window from %d forks"
                                % (label, run["http_429_first_window"], hosts))
            if run["failed_tasks"] or run["connectors_left"]:
                problems.append("%s: %d failed tasks, %d connectors left (see %s)"
                                % (label, run["failed_tasks"], run["connectors_left"], run["log"]))


def throttled_allowed(tasks):
    """Answers of 429 allowed after the first window: N/20 for N tasks, rounded up (a small run may meet one)."""
    return -(-tasks // THROTTLED_SHARE)


def throttling(log, window):
    """(answers of 429 in the simulator's first rate-limit window, answers of 429 after it).

    The window starts with the first request; before the first answer no fork can know the budget.
    """
    answered = [entry for entry in log if entry["status"] is not None]
    if not answered:
        return 0, 0
    first_window_end = min(entry["started"] for entry in answered) + window
    throttled = [entry for entry in log if entry["status"] == 429]
    early = sum(1 for entry in throttled if entry["started"] < first_window_end)
    return early, len(throttled) - early


IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)\s*$")


def parse_importtime(text):
    """(self microseconds, cumulative microseconds, depth, module name) for each line of -X importtime."""
    entries = []
    for line in text.splitlines():
        match = IMPORT_LINE.match(line)
        if match:
            entries.append((int(match.group(1)), int(match.group(2)), (len(match.group(3)) - 1) // 2, match.group(4)))
    return entries


def import_category(name):
    """Which kind of code a module imported on the start-up path belongs to."""
    top = name.split(".")[0]
    if top in REQUESTS_STACK:
        return "requests and its dependencies"
    if top == "ansible_collections":
        return "this collection's code"
    if top == "ansible":
        return "ansible.module_utils"
    if top in getattr(sys, "stdlib_module_names", ()) or top.startswith("_"):
        return "standard library"
    return "other packages"


def scenario_startup(runner, sim, runs, results, problems):
    """Scenario 2: one module execution outside Ansible (python -m MODULE ARGS_FILE), with and without importtime."""
    args_files = {}
    for contender in CONTENDERS:
        if contender == OURS:
            module_args = {"name": "bench-0000", "environment_id": ENVIRONMENT_ID, "kafka_cluster_id": CLUSTER_ID,
                           "state": "absent", "api_key": API_KEY, "api_secret": API_SECRET, "api_endpoint": sim.url}
        elif contender == URI:
            module_args = {"url": "%s/connect/v1/environments/%s/clusters/%s/connectors/bench-0000"
                                  % (sim.url, ENVIRONMENT_ID, CLUSTER_ID),
                           "method": "DELETE", "url_username": API_KEY, "url_password": API_SECRET,
                           "force_basic_auth": True, "status_code": [200, 404]}
        else:
            module_args = {}
        path = os.path.join(runner.run_dir, "module-args-%s.json" % contender)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"ANSIBLE_MODULE_ARGS": module_args}, handle)
        args_files[contender] = path
    env = dict(runner.env, PYTHONPATH=os.path.join(runner.work, "collections"))
    for rep in range(runs):
        for contender in rotate(CONTENDERS, rep):
            for importtime in (False, True):
                sim.seed(seed_document(["bench-0000"]))
                cmd = [runner.python] + (["-X", "importtime"] if importtime else []) + [
                    "-m", MODULE_NAMES[contender], args_files[contender]]
                start = time.perf_counter()
                result = subprocess.run(cmd, cwd=runner.run_dir, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, check=False)
                wall = time.perf_counter() - start
                try:
                    output = json.loads(result.stdout)
                except ValueError:
                    output = {"failed": True, "msg": result.stdout[-500:] + result.stderr[-500:]}
                if result.returncode != 0 or output.get("failed"):
                    problems.append("start-up %s: exit %d: %s" % (contender, result.returncode, output.get("msg")))
                record = results["startup"][contender]
                if importtime:
                    entries = parse_importtime(result.stderr)
                    record["import_total_ms"].append(sum(entry[0] for entry in entries) / 1000.0)
                    self_ms = collections.Counter()
                    for self_us, dummy, dummy2, name in entries:
                        self_ms[name] += self_us / 1000.0
                    record["imports"].append(dict(self_ms))
                else:
                    record["wall"].append(wall)
        say("    start-up run %d: %s" % (rep + 1, ", ".join(
            "%s %.0f ms" % (contender, results["startup"][contender]["wall"][-1] * 1000) for contender in CONTENDERS)))


# --------------------------------------------------------------------------- analysis

def path_measured(results, path, tasks):
    """Whether every run of the path was measured on that path: each contender started the module processes the
    path gives (connection_plugins/ counted them), in every case. A path that was not measured claims no target."""
    runs = [run for case in CASES for contender in CONTENDERS for run in results["per_task"][path][case][contender]]
    return bool(runs) and all(
        run.get("module_processes") == PATH_PROCESSES[path][contender] * tasks
        for case in CASES for contender in CONTENDERS for run in results["per_task"][path][case][contender])


def analyse(results, args):
    """Medians, ratios and target verdicts from the raw runs."""
    tasks = args.tasks
    analysis = {"per_task": {}, "measured_paths": [], "teardown": {}, "modes": {}, "startup": {}, "targets": []}
    for path in PATHS:
        if not path_measured(results, path, tasks):
            continue
        analysis["measured_paths"].append(path)
        analysis["per_task"][path] = {}
        for case in CASES:
            analysis["per_task"][path][case] = row = {}
            runs = results["per_task"][path][case]
            for contender in CONTENDERS:
                row[contender] = {
                    "per_task": summary([run["task_seconds"] / tasks for run in runs[contender] if run["task_seconds"]]),
                    "requests_per_task": summary([run["requests"]["total"] / tasks for run in runs[contender]]),
                }
            ratios = [ours_run["task_seconds"] / uri_run["task_seconds"]
                      for ours_run, uri_run in zip(runs[OURS], runs[URI])]
            gaps = [(ours_run["task_seconds"] - ping_run["task_seconds"]) * 1000 / tasks
                    for ours_run, ping_run in zip(runs[OURS], runs[PING])]
            # Paired within each run (the contenders took turns in the same playbook), then the median over the runs:
            # a burst of load that slows one run moves all three of its numbers and cancels out.
            row["ratio_uri_runs"] = summary(ratios)
            row["over_ping_ms_runs"] = summary(gaps)
            row["ratio_uri"] = row["ratio_uri_runs"]["median"]
            row["over_ping_ms"] = row["over_ping_ms_runs"]["median"]
            analysis["targets"].append({
                "target": "%s, %s: confluent_connector per task <= %.2f x uri" % (path, case, TARGET_RATIO_URI),
                "measured": "%.2f x" % row["ratio_uri"], "holds": row["ratio_uri"] <= TARGET_RATIO_URI})
            analysis["targets"].append({
                "target": "%s, %s: confluent_connector - ping <= %.0f ms per task" % (path, case, TARGET_OVER_PING_MS),
                "measured": "%.1f ms" % row["over_ping_ms"], "holds": row["over_ping_ms"] <= TARGET_OVER_PING_MS})

    rate = args.rate_limit / args.rate_window
    n_over_r = args.teardown_connectors / rate
    for contender in (OURS, URI):
        limited = results["teardown"]["limited"][contender]
        unlimited = results["teardown"]["unlimited"][contender]
        unlimited_wall = summary([run["wall"] for run in unlimited])
        bound = max(n_over_r, unlimited_wall["median"] if unlimited_wall else 0.0)
        entry = {"n_over_r": n_over_r, "bound": bound}
        for kind, runs in (("limited", limited), ("unlimited", unlimited)):
            entry[kind] = {
                "wall": summary([run["wall"] for run in runs]),
                "http_429": summary([run["http_429"] for run in runs]),
                "http_429_later": summary([run["http_429_later"] for run in runs]),
                "failed_tasks": summary([run["failed_tasks"] for run in runs]),
                "connectors_left": summary([run["connectors_left"] for run in runs]),
                "requests": summary([run["requests"]["total"] for run in runs]),
            }
        entry["ratio"] = entry["limited"]["wall"]["median"] / bound
        analysis["teardown"][contender] = entry
    ours = analysis["teardown"][OURS]
    n_connectors = args.teardown_connectors
    analysis["targets"].extend([
        {"target": "rate-limited teardown: 0 failed tasks (every run)",
         "measured": "%d max" % ours["limited"]["failed_tasks"]["max"], "holds": ours["limited"]["failed_tasks"]["max"] == 0},
        {"target": "rate-limited teardown: 0 connectors left (every run)",
         "measured": "%d max" % ours["limited"]["connectors_left"]["max"],
         "holds": ours["limited"]["connectors_left"]["max"] == 0},
        {"target": "rate-limited teardown: wall <= %.1f x max(N/R, unlimited wall)" % TARGET_BOUND_FACTOR,
         "measured": "%.2f x (%.1f s / %.1f s)" % (ours["ratio"], ours["limited"]["wall"]["median"], ours["bound"]),
         "holds": ours["ratio"] <= TARGET_BOUND_FACTOR},
        {"target": "rate-limited teardown: at most N/%d (rounded up) = %d answers of 429 after the first window "
                   "(every run)"
                   % (THROTTLED_SHARE, throttled_allowed(n_connectors)),
         "measured": "%d max" % ours["limited"]["http_429_later"]["max"],
         "holds": ours["limited"]["http_429_later"]["max"] <= throttled_allowed(n_connectors)},
    ])

    analysis["sweep"], targets = sweep.analyse(results, args.smoke, summary, TARGET_BOUND_FACTOR)
    analysis["targets"].extend(targets)

    for case in CASES:
        analysis["modes"][case] = {}
        normal = [run for path in PATHS for run in results["per_task"][path][case][OURS]]
        analysis["modes"][case]["normal"] = mode_summary(normal, tasks)
        for mode, dummy in MODES[1:]:
            analysis["modes"][case][mode] = mode_summary(results["modes"][case][mode], mode_tasks(args))
    normal_max = max(analysis["modes"][case]["normal"]["per_task"]["max"] for case in CASES)
    normal_min = min(analysis["modes"][case]["normal"]["per_task"]["min"] for case in CASES)
    analysis["targets"].append({"target": "exactly 1 request per task in normal mode",
                                "measured": "%g to %g" % (normal_min, normal_max),
                                "holds": normal_min == normal_max == 1})

    floor = set(name for sample in results["startup"][PING]["imports"] for name in sample)
    for contender in CONTENDERS:
        record = results["startup"][contender]
        modules = set(name for sample in record["imports"] for name in sample)
        extra = sorted(modules - floor)
        categories = collections.defaultdict(list)
        packages = collections.defaultdict(list)
        for sample in record["imports"]:
            by_category = collections.Counter()
            by_package = collections.Counter()
            for name in extra:
                by_category[import_category(name)] += sample.get(name, 0.0)
                by_package[name.split(".")[0] if not name.startswith("ansible") else ".".join(name.split(".")[:3])] += \
                    sample.get(name, 0.0)
            for name, value in by_category.items():
                categories[name].append(value)
            for name, value in by_package.items():
                packages[name].append(value)
        marginal = summary([sum(sample.get(name, 0.0) for name in extra) for sample in record["imports"]])
        analysis["startup"][contender] = {
            "wall": summary(record["wall"]),
            "import_total_ms": summary(record["import_total_ms"]),
            "module_count": len(modules),
            "extra_modules": len(extra),
            "extra_import_ms": marginal,
            "extra_by_category": dict((name, statistics.median(values)) for name, values in categories.items()),
            "extra_top_packages": sorted(((name, statistics.median(values)) for name, values in packages.items()),
                                         key=lambda item: -item[1])[:6],
        }
    bench_controllers.analyse(sys.modules[__name__], results, args, analysis)
    return analysis


def mode_summary(runs, tasks):
    methods = collections.Counter()
    for run in runs:
        methods.update(run["requests"]["methods"])
    return {
        "per_task": summary([run["requests"]["total"] / tasks for run in runs]),
        "methods": dict((method, count / float(tasks * len(runs))) for method, count in sorted(methods.items())),
    }


# --------------------------------------------------------------------------- report

def machine_description(venv_python):
    info = json.loads(quiet([venv_python, "-c", (
        "import json, platform, ansible.release, requests, matplotlib; print(json.dumps({"
        "'python': platform.python_version(), 'ansible_core': ansible.release.__version__, "
        "'requests': requests.__version__, 'matplotlib': matplotlib.__version__}))")], "reading versions"))
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info.update(cores=os.cpu_count(), cpu_model=model or platform.machine(), system="%s %s" % (
        platform.system(), platform.release().split("-")[0]), machine=platform.machine())
    return info


def load_average():
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def fmt_summary(value, scale=1.0, digits=3):
    if not value:
        return "n/a"
    pattern = "%%.%df (%%.%df to %%.%df)" % (digits, digits, digits)
    return pattern % (value["median"] * scale, value["min"] * scale, value["max"] * scale)


def fmt_int_summary(value):
    if not value:
        return "n/a"
    if value["min"] == value["max"]:
        return "%d" % value["median"]
    return "%g (%d to %d)" % (value["median"], value["min"], value["max"])


def provenance(meta):
    """The report's first lines: when it was measured, or that it was regenerated, from which measurement and when."""
    if meta.get("regenerated"):
        regenerated = meta["regenerated"]
        return [
            "Regenerated by `python3 tests/benchmark/bench.py --from-results %s` on %s, without measuring anything;"
            % (regenerated["file"], regenerated["date"]),
            "the figures are those of the measurement in `%s`, made by `make %s` on %s. Do not edit by hand."
            % (regenerated["file"], "bench-smoke" if meta["smoke"] else "bench", meta["date"]),
        ]
    return ["Generated by `make bench` (`tests/benchmark/bench.py`); do not edit by hand. Measured on %s." % meta["date"]]


def render_markdown(results, analysis, args, chart_name):
    meta = results["meta"]
    machine = meta["machine"]
    lines = [
        "# Performance",
        "",
    ] + provenance(meta) + [
        "",
        "It compares `kafkaops.confluent_cloud.confluent_connector` with the hand-written `ansible.builtin.uri` task it",
        "replaces and with `ansible.builtin.ping`, the cost of an Ansible task that does nothing. Every playbook runs",
        "with the standard `ansible-playbook` against the local Confluent Cloud simulator (`tests/simulator`) on loopback,",
        "with the collection built from the working tree and installed into a private collections path.",
        "",
        "## Reproduce",
        "",
        "```bash",
        "make %s" % ("bench-smoke" if meta["smoke"] else "bench"),
        "# which runs:",
        "python3 tests/benchmark/bench.py %s" % meta["command_args"],
        "```",
        "",
        "`make bench-smoke` runs the same suite in a tiny size (`--smoke`) into a temporary directory, to show that it",
        "works; its numbers mean little. It leaves `docs/` alone.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        "| CPU | %d cores, %s (%s) |" % (machine["cores"], machine["cpu_model"], machine["machine"]),
        "| OS | %s |" % machine["system"],
        "| Python | %s |" % machine["python"],
        "| ansible-core | %s |" % machine["ansible_core"],
        "| requests | %s |" % machine["requests"],
        "| load average (1, 5, 15 min) at start / end | %s / %s |" % (
            ", ".join(str(v) for v in meta["load_start"] or []), ", ".join(str(v) for v in meta["load_end"] or [])),
        "",
        "The machine is shared: other processes may run during the bench. The contenders of each scenario are",
        "interleaved (their order rotates from one repetition to the next), so such noise hits all of them alike.",
        "",
        "## Targets",
        "",
        "| target | measured (median) | holds |",
        "| --- | --- | --- |",
    ]
    for target in analysis["targets"]:
        lines.append("| %s | %s | %s |" % (target["target"], target["measured"], "yes" if target["holds"] else "**no**"))
    lines += [
        "",
        "## 1. Per-task cost",
        "",
        "Which path a `confluent_connector` task takes:",
        "",
        "- **in-process**: on the local connection (`hosts: localhost`, `delegate_to: localhost`, `connection: local`)",
        "  without become and without async, its action plugin runs the module's code inside Ansible's worker process",
        "  (`plugins/plugin_utils/_in_process.py`), where `requests` was imported once for the whole playbook;",
        "- **module process**: anywhere else (a remote host, become, async, or a controller without `requests`), the",
        "  module runs in a new Python process of its own, as `uri` and `ping` always do.",
        "",
        "%d tasks of each contender on one host, %s on each path. In each run the three take turns in one playbook: loop"
        % (args.tasks, plural(args.runs, "run")),
        "tasks of %d items (one connector each), contender after contender in a rotating order, so that the noise of the"
        % min(CHUNK, args.tasks),
        "machine hits them alike. Seconds per task = the summed duration of a contender's loop tasks (from each task's",
        "start to its result; without `ansible-playbook`'s own start-up) divided by %d. Median (min to max) over the runs."
        % args.tasks,
        "",
        "Both paths run on the controller, so that they differ only in where the module's code runs. The in-process",
        "rows use the local connection (`tests/benchmark/connection_plugins/bench_local.py`, which only counts the module",
        "processes it starts); the module-process rows use the same connection under another transport name",
        "(`bench_module_process.py`), for which the action plugin starts the module as on a remote host, without the",
        "cost of ssh, sudo or async polling, which a real remote host, become or async adds to every contender alike.",
        "Each run checks, from those counts, that it took the path its row says (`uri` and `ping` start one process per",
        "task on both; `confluent_connector` none in-process, one per task otherwise); a path whose runs did not is left",
        "out, with its targets.",
        "",
        "The last two columns compare the contenders within each run (they took turns in the same playbook), then take",
        "the median over the runs, so that a burst of load in one run cancels out; they are the measures of the targets.",
        "A loop task runs all its items in one worker, so the fork of that worker is shared by its %d items."
        % min(CHUNK, args.tasks),
        "",
        "| path | case | %s | %s | %s | ours / uri | ours - ping, ms per task |"
        % tuple("`%s` s/task" % LABELS[c] for c in CONTENDERS),
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for path in PATHS:
        if path not in analysis["measured_paths"]:
            lines.append("| %s | not measured | | | | | |" % PATH_LABELS[path])
            continue
        for case in CASES:
            row = analysis["per_task"][path][case]
            lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                PATH_LABELS[path], CASE_LABELS[case], fmt_summary(row[OURS]["per_task"]),
                fmt_summary(row[URI]["per_task"]), fmt_summary(row[PING]["per_task"]),
                fmt_summary(row["ratio_uri_runs"], 1, 2), fmt_summary(row["over_ping_ms_runs"], 1, 1)))
    startup = analysis["startup"]
    lines += [
        "",
        "## 2. Start-up cost of the module",
        "",
        "One execution of the module's code outside Ansible (`python -m MODULE ARGS.json`, the module deleting one",
        "connector from the simulator; ping does nothing), %s, and the import time of the same execution under"
        % plural(args.runs, "run"),
        "`python -X importtime`: in all, and for the modules that `ping` (Python, `ansible.module_utils.basic`) does not",
        "import, the marginal cost of the module's start-up (self time summed, median of the runs).",
        "",
        "| | %s | %s | %s |" % tuple("`%s`" % LABELS[c] for c in CONTENDERS),
        "| --- | --- | --- | --- |",
        "| wall time, ms | %s |" % " | ".join(fmt_summary(startup[c]["wall"], 1000, 0) for c in CONTENDERS),
        "| import time in all, ms | %s |" % " | ".join(fmt_summary(startup[c]["import_total_ms"], 1, 0) for c in CONTENDERS),
        "| modules imported | %s |" % " | ".join(str(startup[c]["module_count"]) for c in CONTENDERS),
        "| of which `ping` does not import | %s |" % " | ".join(str(startup[c]["extra_modules"]) for c in CONTENDERS),
        "| their import time, ms | %s |" % " | ".join(
            fmt_summary(startup[c]["extra_import_ms"], 1, 1) for c in CONTENDERS),
    ]
    categories = sorted(set(name for c in CONTENDERS for name in startup[c]["extra_by_category"]))
    for name in categories:
        lines.append("| - %s, ms | %s |" % (name, " | ".join(
            "%.1f" % startup[c]["extra_by_category"].get(name, 0.0) for c in CONTENDERS)))
    lines.append("| heaviest of them, ms | %s |" % " | ".join(
        "<br>".join("`%s` %.1f" % item for item in startup[c]["extra_top_packages"][:4]) or "none"
        for c in CONTENDERS))
    lines += [
        "",
        "## 3. Rate-limited teardown",
        "",
        "%d connectors over %d hosts (`--forks %d`, each host deleting its %d connectors in a loop), one API key, against"
        % (args.teardown_connectors, args.teardown_hosts, args.teardown_hosts,
           args.teardown_connectors // args.teardown_hosts),
        "a simulator limit of %d requests per %g s window (R = %g/s, N/R = %.1f s); then the same playbooks with no limit."
        % (args.rate_limit, args.rate_window, args.rate_limit / args.rate_window,
           args.teardown_connectors * args.rate_window / args.rate_limit),
        "`confluent_connector` runs with its defaults (in-process, on the local connection); `ansible.builtin.uri`",
        "retries as a user would write it (`until: deletion.status in [200, 404]`, `retries: 10`, `delay: 1`). Wall time",
        "is the whole `ansible-playbook` run; bound = max(N/R, the same playbook's median wall time with no limit).",
        "%s, median (min to max). Before the first answer no fork can know the API key's budget, so each fork's first"
        % plural(args.runs, "run"),
        "request may meet a 429 in the first window; after it, forks that share the budget get at most one answer of",
        "429 per %d tasks (checked on every run of `confluent_connector`), and forks that each paced themselves on their"
        % THROTTLED_SHARE,
        "own 429s would get many.",
        "",
        "| contender | wall, limited (s) | wall, no limit (s) | bound (s) | limited / bound | HTTP 429 answers"
        " | of which after the first window | requests | failed tasks | connectors left |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for contender in (OURS, URI):
        entry = analysis["teardown"][contender]
        limited = entry["limited"]
        lines.append("| `%s` | %s | %s | %.1f | %.2f | %s | %s | %s | %s | %s |" % (
            LABELS[contender], fmt_summary(limited["wall"], 1, 1), fmt_summary(entry["unlimited"]["wall"], 1, 1),
            entry["bound"], entry["ratio"], fmt_int_summary(limited["http_429"]),
            fmt_int_summary(limited["http_429_later"]), fmt_int_summary(limited["requests"]),
            fmt_int_summary(limited["failed_tasks"]), fmt_int_summary(limited["connectors_left"])))
    lines += [
        "",
        "## 4. Requests per task",
        "",
        "`confluent_connector`, from the simulator's request log (`/_sim/log`); normal mode from the %d-task runs of"
        % args.tasks,
        "scenario 1 (both paths), the other modes from %d-task runs in-process, %s each. `ansible.builtin.uri` sends 1"
        % (mode_tasks(args), plural(args.runs, "run")),
        "request per task and `ansible.builtin.ping` none.",
        "",
        "| mode | connectors exist | connectors absent |",
        "| --- | --- | --- |",
    ]
    for mode, flags in MODES:
        cells = []
        for case in CASES:
            entry = analysis["modes"][case][mode]
            methods = ", ".join("%g %s" % (count, method) for method, count in entry["methods"].items())
            cells.append("%s (%s)" % (fmt_int_summary(entry["per_task"]), methods or "none"))
        lines.append("| %s%s | %s | %s |" % (mode, " (`%s`)" % " ".join(flags) if flags else "", cells[0], cells[1]))
    lines += bench_controllers.markdown(sys.modules[__name__], results, analysis, args)
    lines += sweep.render(analysis["sweep"], sweep_runs(args), fmt_summary, fmt_int_summary)
    if results.get("problems"):
        lines += ["", "## Problems seen during the run", ""]
        lines += ["- %s" % problem for problem in results["problems"]]
    lines += [
        "",
        "## Chart",
        "",
        "![Seconds per task and rate-limited wall time](%s)" % chart_name,
        "",
    ]
    return "\n".join(lines)


def render_chart(analysis, args, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colors = {OURS: "#1f77b4", URI: "#ff7f0e", PING: "#7f7f7f"}
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    width = 0.26
    groups = [(route, case) for route in analysis["measured_paths"] for case in CASES]
    for offset, contender in enumerate(CONTENDERS):
        medians, low, high = [], [], []
        for route, case in groups:
            value = analysis["per_task"][route][case][contender]["per_task"]
            medians.append(value["median"])
            low.append(value["median"] - value["min"])
            high.append(value["max"] - value["median"])
        positions = [index + (offset - 1) * width for index in range(len(groups))]
        left.bar(positions, medians, width, yerr=[low, high], capsize=3, color=colors[contender],
                 label=LABELS[contender])
    left.set_xticks(range(len(groups)))
    left.set_xticklabels(["%s,\nconnectors %s" % (route, "exist" if case == "existing" else "absent")
                          for route, case in groups], fontsize=8)
    left.set_ylabel("seconds per task (median, min-max)")
    left.set_title("Per-task cost, %d tasks of each contender" % args.tasks)
    left.set_ylim(0, left.get_ylim()[1] * 1.25)
    left.legend(fontsize=8, loc="upper right")

    groups = ("limited", "unlimited")
    for offset, contender in enumerate((OURS, URI)):
        entry = analysis["teardown"][contender]
        medians = [entry[kind]["wall"]["median"] for kind in groups]
        low = [entry[kind]["wall"]["median"] - entry[kind]["wall"]["min"] for kind in groups]
        high = [entry[kind]["wall"]["max"] - entry[kind]["wall"]["median"] for kind in groups]
        positions = [index + (offset - 0.5) * 0.36 for index in range(len(groups))]
        right.bar(positions, medians, 0.36, yerr=[low, high], capsize=3, color=colors[contender], label=LABELS[contender])
    n_over_r = args.teardown_connectors * args.rate_window / args.rate_limit
    bound = analysis["teardown"][OURS]["bound"]
    right.axhline(n_over_r, color="black", linestyle="--", linewidth=1, label="N/R = %.0f s" % n_over_r)
    right.axhline(TARGET_BOUND_FACTOR * bound, color="red", linestyle=":", linewidth=1,
                  label="%.1f x bound (confluent_connector) = %.0f s" % (TARGET_BOUND_FACTOR, TARGET_BOUND_FACTOR * bound))
    right.set_xticks(range(len(groups)))
    right.set_xticklabels(["rate limit %d per %g s" % (args.rate_limit, args.rate_window), "no rate limit"])
    right.set_ylabel("wall time of the playbook, s (median, min-max)")
    right.set_title("Teardown of %d connectors, %d hosts, forks %d" % (
        args.teardown_connectors, args.teardown_hosts, args.teardown_hosts))
    right.set_ylim(0, max(right.get_ylim()[1], TARGET_BOUND_FACTOR * bound) * 1.3)
    right.legend(fontsize=8, loc="upper right")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


# --------------------------------------------------------------------------- main

def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--smoke", action="store_true",
                        help="tiny size (3 tasks, 1 run, 12 connectors over 4 hosts) into a temporary directory")
    parser.add_argument("--runs", type=int, help="repetitions of every scenario (default 5; smoke 1)")
    parser.add_argument("--tasks", type=int, help="tasks in the per-task loop (default 50; smoke 3)")
    parser.add_argument("--teardown-connectors", type=int, help="connectors of the teardown (default 120; smoke 12)")
    parser.add_argument("--teardown-hosts", type=int, help="hosts and forks of the teardown (default 10; smoke 4)")
    parser.add_argument("--rate-limit", type=int, default=2, help="requests per window in the teardown (default 2)")
    parser.add_argument("--rate-window", type=float, default=1.0, help="rate-limit window, seconds (default 1)")
    parser.add_argument("--out-dir", help="where the report goes (default docs/; smoke: a temporary directory)")
    parser.add_argument("--work-dir", help="build, logs and scratch files (default build/bench; smoke: inside the "
                                           "temporary directory)")
    parser.add_argument("--venv", default=os.path.join(ROOT, ".venv", "bench"), help="virtual environment to use")
    parser.add_argument("--source", default=ROOT, help="collection source tree to build (default: this repository)")
    parser.add_argument("--keep", action="store_true", help="smoke: keep the temporary directory")
    parser.add_argument("--from-results", help="write the report from this bench-results.json instead of measuring")
    bench_controllers.add_arguments(parser)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help="comma-separated subset of %s; a subset writes raw results only, no report"
                        % ",".join(SCENARIOS))
    args = parser.parse_args(argv)
    defaults = (("runs", 1, 5), ("tasks", 3, 50), ("teardown_connectors", 12, 120), ("teardown_hosts", 4, 10))
    for name, smoke, full in defaults:
        if getattr(args, name) is None:
            setattr(args, name, smoke if args.smoke else full)
    if min(args.runs, args.tasks, args.teardown_connectors, args.teardown_hosts, args.rate_limit) < 1:
        parser.error("--runs, --tasks, --teardown-connectors, --teardown-hosts and --rate-limit must be at least 1")
    args.scenarios = [name.strip() for name in args.scenarios.split(",") if name.strip()]
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown or not args.scenarios:
        parser.error("--scenarios takes a comma-separated subset of %s" % ",".join(SCENARIOS))
    if args.teardown_connectors % args.teardown_hosts:
        parser.error("--teardown-connectors must be a multiple of --teardown-hosts")
    bench_controllers.check_arguments(parser, args)
    return args


def mode_tasks(args):
    return min(MODE_TASKS, args.tasks)


def sweep_runs(args):
    """The sweep takes minutes under its rate limit: at most SWEEP_RUNS of them."""
    return min(SWEEP_RUNS, args.runs)


def command_args(args):
    """The command line that reproduces this run, without paths."""
    words = ["--smoke"] if args.smoke else []
    words += [
        "--runs %d" % args.runs, "--tasks %d" % args.tasks, "--teardown-connectors %d" % args.teardown_connectors,
        "--teardown-hosts %d" % args.teardown_hosts, "--rate-limit %d" % args.rate_limit,
        "--rate-window %g" % args.rate_window,
    ] + bench_controllers.command_words(args)
    return " ".join(words)


def run(args):
    venv = os.path.abspath(args.venv)
    source = os.path.abspath(args.source)
    temp_root = tempfile.mkdtemp(prefix="kafkaops-bench-") if args.smoke else None
    out_dir = os.path.abspath(args.out_dir or (temp_root if args.smoke else DOCS))
    work = os.path.abspath(args.work_dir or (os.path.join(temp_root, "work") if args.smoke else
                                             os.path.join(ROOT, "build", "bench")))
    os.makedirs(work, exist_ok=True)
    os.makedirs(out_dir, exist_ok=True)
    say("==> building the collection from %s" % ("the working tree" if source == ROOT else source))
    tarball = build_and_install(venv, source, work)
    python = os.path.join(venv, "bin", "python")
    results = {
        "meta": {
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine_description(python),
            "load_start": load_average(),
            "tarball": tarball,
            "command_args": command_args(args),
            "smoke": args.smoke,
            "args": dict((name, getattr(args, name)) for name in SIZE_ARGS),
        },
        "format": RESULTS_FORMAT,
        "per_task": dict((path, dict((case, dict((c, []) for c in CONTENDERS)) for case in CASES)) for path in PATHS),
        "modes": dict((case, dict((mode, []) for mode, dummy in MODES[1:])) for case in CASES),
        "teardown": dict((kind, dict((c, []) for c in (OURS, URI))) for kind in ("limited", "unlimited")),
        "startup": dict((c, {"wall": [], "import_total_ms": [], "imports": []}) for c in CONTENDERS),
        "sweep": {"limited": [], "unlimited": []},
    }
    problems = []
    sim = Simulator(python, work)
    started = time.monotonic()
    try:
        runner = Runner(venv, work, sim)
        if "startup" in args.scenarios:
            say("==> 2. start-up cost of the module (%s)" % plural(args.runs, "run"))
            scenario_startup(runner, sim, args.runs, results, problems)
        for rep in range(args.runs):
            if "per-task" in args.scenarios:
                say("==> 1 and 4. per-task cost and requests per task, run %d of %d" % (rep + 1, args.runs))
                scenario_per_task(runner, sim, args.tasks, rep, results, problems)
                scenario_modes(runner, sim, mode_tasks(args), rep, results, problems)
        for rep in range(args.runs):
            if "teardown" in args.scenarios:
                say("==> 3. rate-limited teardown, run %d of %d" % (rep + 1, args.runs))
                scenario_teardown(runner, sim, args, rep, results, problems)
        if "controllers" in args.scenarios:
            bench_controllers.run(sys.modules[__name__], runner, sim, args, results, problems)
        for rep in range(sweep_runs(args)):
            if "sweep" in args.scenarios:
                say("==> 6. sweep of ephemeral stacks, run %d of %d" % (rep + 1, sweep_runs(args)))
                sweep.run_sweep(runner, sim, args.smoke, rep, results, problems)
    finally:
        sim.stop()
    results["meta"]["load_end"] = load_average()
    results["meta"]["seconds"] = round(time.monotonic() - started, 1)
    results_path = os.path.join(work if not args.smoke else out_dir, "bench-results.json")
    if set(args.scenarios) != set(SCENARIOS):
        with open(results_path, "w", encoding="utf-8") as handle:
            json.dump({"results": results}, handle, indent=1)
        say("==> partial run (%s): raw results in %s, no report" % (",".join(args.scenarios), results_path))
        return 1 if problems else 0
    results["problems"] = problems
    with open(results_path, "w", encoding="utf-8") as handle:
        json.dump({"results": results}, handle, indent=1)
    say("==> measured in %.0f s; raw results in %s" % (results["meta"]["seconds"], results_path))
    try:
        report(results, args, out_dir)
    except (TypeError, KeyError, ZeroDivisionError):
        if not problems:
            raise
        say("==> no report: runs failed")
        for problem in problems:
            say("PROBLEM: " + problem)
    else:
        if args.smoke:
            found = check_provenance(args, out_dir, results_path, results["meta"]["date"])
            for problem in found:
                say("PROBLEM: " + problem)
            problems += found
    if temp_root and not args.keep:
        if problems:
            say("==> kept %s for the problems above" % temp_root)
        else:
            shutil.rmtree(temp_root, ignore_errors=True)
    return 1 if problems else 0


def report(results, args, out_dir):
    """Write performance.md and performance.png into out_dir and print the targets and problems."""
    analysis = analyse(results, args)
    chart_name = "performance.png"
    render_chart(analysis, args, os.path.join(out_dir, chart_name))
    bench_controllers.chart(analysis, out_dir)
    with open(os.path.join(out_dir, "performance.md"), "w", encoding="utf-8") as handle:
        handle.write(render_markdown(results, analysis, args, chart_name))
    say("==> report: %s" % os.path.join(out_dir, "performance.md"))
    for target in analysis["targets"]:
        say("    %-4s %s: %s" % ("ok" if target["holds"] else "MISS", target["target"], target["measured"]))
    for problem in results.get("problems") or []:
        say("PROBLEM: " + problem)
    return analysis


def display_path(path):
    """A path for the report: relative to the repository when inside it, else the file's name alone."""
    path = os.path.abspath(path)
    if os.path.commonpath([path, ROOT]) == ROOT:
        return os.path.relpath(path, ROOT)
    return os.path.basename(path)


def rerender(args):
    """--from-results: the report again from a bench-results.json, without measuring.

    The report says so: regenerated, when, and from which measurement (the file and the date it was made).
    """
    with open(args.from_results, encoding="utf-8") as handle:
        results = json.load(handle)["results"]
    if results.get("format") != RESULTS_FORMAT:
        raise SetupError("%s was written by an older bench.py (before both per-task paths were measured): run make "
                         "bench again" % display_path(args.from_results))
    for name, value in results["meta"]["args"].items():
        setattr(args, name, value)
    results["meta"]["regenerated"] = {
        "file": display_path(args.from_results),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }
    out_dir = os.path.abspath(args.out_dir or DOCS)
    os.makedirs(out_dir, exist_ok=True)
    report(results, args, out_dir)
    return 0


def check_provenance(args, out_dir, results_path, measured):
    """--smoke: the report says when it was measured; one regenerated with --from-results says so, from what, when."""
    found = []
    with open(os.path.join(out_dir, "performance.md"), encoding="utf-8") as handle:
        measured_text = handle.read()
    if "Measured on %s." % measured not in measured_text or "Regenerated" in measured_text:
        found.append("the measured report does not say when it was measured")
    again = os.path.join(out_dir, "regenerated")
    rerender(argparse.Namespace(**dict(vars(args), from_results=results_path, out_dir=again)))
    with open(os.path.join(again, "performance.md"), encoding="utf-8") as handle:
        text = handle.read()
    head = "\n".join(text.splitlines()[:4])
    expected = ["Regenerated by `python3 tests/benchmark/bench.py --from-results %s` on " % display_path(results_path),
                "without measuring anything", "the measurement in `%s`" % display_path(results_path),
                "on %s." % measured]
    missing = [part for part in expected if part not in head]
    if missing or "Measured on" in text:
        found.append("the report regenerated with --from-results does not say so, from which measurement and when "
                     "(missing %s): %s" % (missing, head))
    return found


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    venv = os.path.abspath(args.venv)
    # Stopped from outside: still stop the simulator and the playbook running now.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        if not in_venv(venv):
            python = ensure_venv(venv)
            os.execv(python, [python, os.path.abspath(__file__)] + argv)
        if args.from_results:
            return rerender(args)
        return run(args)
    except SetupError as exc:
        say("ERROR: %s" % exc)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

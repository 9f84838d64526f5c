# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the collection's playbooks against the local Confluent Cloud simulator (``make demo``).

Steps:
  1. .venv/demo: a virtual environment with ansible-core and requests (a stamp file skips reinstalling)
  2. build the collection and install the tarball into build/demo/collections
  3. start tests/simulator/confluent_sim.py with tests/simulator/seeds/demo.json
  4. part 1, examples/teardown.yml, three times: preview (--check --diff), teardown, re-run (idempotence)
  5. part 2, the cleanup playbook from the installed tarball (ansible-playbook kafkaops.confluent_cloud.cleanup), three
     times: preview (its default), apply (cleanup_apply=true), re-run (nothing left to select)
  6. check each run; print for each part a summary and the organisation before and after it; end with one verdict

What a part deleted is taken from what happened, never from the playbook's variables or the seed: the resources its
tasks reported changed (recorded by tools/callback_plugins/demo_results.py), the DELETE requests the simulator carried
out (its request log) and the organisation before and after (its state): environments with their clusters and
connectors, service accounts with the API keys they own. The demo fails when they disagree, when the preview's
predictions (its changed results and what they list as going along) differ from what the apply then did, when
something goes that the playbook's find tasks did not select, when a re-run changes anything, and when the cleanup's
own summary file says something else than the API and the state. The evidence is kept in WORK_DIR/demo-evidence.json.

Usage: python3 tools/demo.py [--venv DIR] [--work-dir DIR]
Exit status: 0 demo OK, 1 a run or a check failed, 2 setup failed, 130 interrupted.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import os
import re
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tarfile
import threading
import time
import urllib.request
from urllib.parse import parse_qsl, unquote

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIMULATOR = "tests/simulator/confluent_sim.py"
SEED = "tests/simulator/seeds/demo.json"
CALLBACKS = "tools/callback_plugins"
DEMO_KEY = "DEMOKEY"
DEMO_SECRET = "demo-secret"
DELETE_DELAY = "1"
RUN_TIMEOUT = 300
# Paths inside the repository that must never end up in the collection tarball.
NOT_IN_TARBALL = (".venv", "build", "tests/output", ".git", ".cache")
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
RECAP_LINE = re.compile(r"^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)")


class SetupError(Exception):
    """A step before the playbook runs failed (venv, build, install, simulator)."""


def say(text=""):
    print(text, flush=True)


def rel(path):
    """Path relative to the repository root when inside it, for display."""
    path = os.path.abspath(path)
    inside = os.path.commonpath([path, ROOT]) == ROOT
    return os.path.relpath(path, ROOT) if inside else path


def plural(count, word):
    return "%d %s%s" % (count, word, "" if count == 1 else "s")


def quiet(cmd, what, env=None):
    """Run cmd in the repository root; show its output only if it fails."""
    result = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, check=False)
    if result.returncode != 0:
        sys.stdout.write(result.stdout)
        raise SetupError("%s failed (exit %d): %s" % (what, result.returncode, " ".join(cmd)))
    return result.stdout


# --------------------------------------------------------------------------- 1. virtual environment

def ansible_core_spec():
    """The newest ansible-core whose controller runs on this Python."""
    if sys.version_info < (3, 10):
        raise SetupError("ansible-core 2.16 or newer needs Python 3.10 or newer, this is %d.%d" % sys.version_info[:2])
    if sys.version_info < (3, 11):
        return "ansible-core>=2.16,<2.18"
    if sys.version_info < (3, 12):
        return "ansible-core>=2.16,<2.20"
    return "ansible-core>=2.16"


def ensure_venv(venv):
    """Create venv with ansible-core and the collection's requirements unless its stamp says it is up to date."""
    python = os.path.join(venv, "bin", "python")
    stamp = os.path.join(venv, ".demo-installed")
    with open(os.path.join(ROOT, "requirements.txt"), encoding="utf-8") as handle:
        requirements = [line.strip() for line in handle if line.strip() and not line.startswith("#")]
    spec = ansible_core_spec()
    wanted = "%s %s python %s" % (spec, " ".join(requirements), sys.version.split()[0])
    if os.path.isfile(stamp) and os.access(python, os.X_OK):
        with open(stamp, encoding="utf-8") as handle:
            if handle.read().strip() == wanted:
                return
    start = time.monotonic()
    say("==> creating %s with %s and %s (only once)" % (rel(venv), spec, " ".join(requirements)))
    shutil.rmtree(venv, ignore_errors=True)
    quiet([sys.executable, "-m", "venv", venv], "creating the virtual environment")
    quiet([python, "-m", "pip", "install", "--disable-pip-version-check", spec] + requirements, "pip install")
    with open(stamp, "w", encoding="utf-8") as handle:
        handle.write(wanted + "\n")
    say("    done in %.0f s" % (time.monotonic() - start))


def check_venv(venv):
    """Fail unless venv has ansible-playbook and ansible-galaxy, and its Python imports ansible, requests and yaml."""
    for name in ("python", "ansible-playbook", "ansible-galaxy"):
        if not os.access(os.path.join(venv, "bin", name), os.X_OK):
            raise SetupError("%s has no bin/%s" % (rel(venv), name))
    code = "import ansible.release, requests, yaml; print(ansible.release.__version__)"
    version = quiet([os.path.join(venv, "bin", "python"), "-c", code], "checking %s" % rel(venv)).strip()
    say("==> using %s: ansible-core %s" % (rel(venv), version))


# --------------------------------------------------------------------------- 2. build and install

def build_and_install(venv, work, env):
    """Build the collection tarball, check what it holds, install it; return the tarball's path."""
    dist = os.path.join(work, "dist")
    collections_dir = os.path.join(work, "collections")
    shutil.rmtree(dist, ignore_errors=True)
    galaxy = os.path.join(venv, "bin", "ansible-galaxy")
    quiet([galaxy, "collection", "build", "--force", "--output-path", dist], "ansible-galaxy collection build", env)
    tarballs = sorted(name for name in os.listdir(dist) if name.endswith(".tar.gz"))
    if len(tarballs) != 1:
        raise SetupError("expected one tarball in %s, found %s" % (rel(dist), tarballs or "none"))
    tarball = os.path.join(dist, tarballs[0])
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    leaked = sorted({name for name in names for prefix in NOT_IN_TARBALL if name == prefix or name.startswith(prefix + "/")})
    if leaked:
        raise SetupError("the tarball holds files that galaxy.yml build_ignore should leave out: %s" % ", ".join(leaked[:10]))
    quiet([galaxy, "collection", "install", "--force", "-p", collections_dir, tarball], "ansible-galaxy collection install", env)
    say("==> built %s (%d files) and installed it into %s" % (rel(tarball), len(names), rel(collections_dir)))
    return tarball


# --------------------------------------------------------------------------- 3. simulator

def start_simulator():
    """Start the simulator; return (process, base URL)."""
    cmd = [sys.executable, os.path.join(ROOT, SIMULATOR), "--port", "0", "--seed", os.path.join(ROOT, SEED),
           "--delete-delay", DELETE_DELAY]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)  # pylint: disable=consider-using-with
    ready, _unused, _unused2 = select.select([proc.stdout], [], [], 15)
    url = proc.stdout.readline().strip() if ready else ""
    if not url.startswith("http"):
        stop_simulator(proc)
        raise SetupError("the simulator did not start: %s" % " ".join(cmd))
    say("==> simulator at %s (python3 %s --port 0 --seed %s --delete-delay %s)" % (url, SIMULATOR, SEED, DELETE_DELAY))
    # So that a reader can poke the simulator from another shell while the demo runs. These credentials come from a
    # seed in the repository and guard nothing; it is the playbooks' output that must never show a secret
    # (run_playbook checks that).
    say("    its credentials, while the demo runs: export %s" % " ".join(
        "%s=%s" % pair for pair in (("CONFLUENT_CLOUD_API_ENDPOINT", url), ("CONFLUENT_CLOUD_API_KEY", DEMO_KEY),
                                    ("CONFLUENT_CLOUD_API_SECRET", DEMO_SECRET))))
    say("    what is left: curl -s %s/_sim/state   (to rehearse at your own pace: make rehearse)" % url)
    return proc, url


def stop_simulator(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    proc.stdout.close()


def sim_call(url, path, method="GET"):
    """Call the simulator's control API; return the parsed answer."""
    request = urllib.request.Request(url + path, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None
    except (OSError, ValueError) as exc:
        raise SetupError("the simulator did not answer %s %s: %s" % (method, path, exc)) from exc


# --------------------------------------------------------------------------- 4. the parts and their runs

# A run of a playbook. mode: "preview" (must change nothing; its tasks' changed results are predictions), "apply"
# (deletes) or "again" (after the apply: nothing is left to change). deletes: the DELETE requests it may send, "none",
# "gone only" (each answered 404, already gone) or "any".
Run = collections.namedtuple("Run", "name title mode args deletes")
# A part of the demo: a playbook run several times with common arguments. summary_var names the playbook's variable
# that makes it write its own summary as JSON, which is then checked against the API as well. shows: the kinds of
# resource the part is there to show deleting; a part that deletes none of a kind shows nothing of it and fails.
Part = collections.namedtuple("Part", "name title playbook args runs summary_var shows hint")

PARTS = (
    Part("teardown", "examples/teardown.yml deletes named connectors and environments", "examples/teardown.yml", [], (
        Run("preview", "preview: check mode with diff, only GET requests, nothing is deleted", "preview",
            ["--check", "--diff"], "none"),
        Run("teardown", "teardown: delete for real", "apply", [], "any"),
        Run("re-run", "re-run: everything is already gone, so nothing changes", "again", [], "gone only"),
    ), None, ("environment", "connector"), (
        "# my-teardown.yml sets retired_connectors and retired_environments (see examples/teardown.yml)",
        "ansible-playbook examples/teardown.yml -e @my-teardown.yml --check --diff   # preview first: GET requests only",
        "ansible-playbook examples/teardown.yml -e @my-teardown.yml                  # then delete",
    )),
    Part("cleanup", "the collection's cleanup playbook sweeps ci- environments and service accounts by name and age",
         "kafkaops.confluent_cloud.cleanup", ["-e", "cleanup_display_name_regex=^ci-"], (
             Run("preview", "preview: the default, only GET requests, nothing is deleted", "preview", [], "none"),
             Run("apply", "apply: delete what the preview showed", "apply", ["-e", "cleanup_apply=true"], "any"),
             Run("re-run", "re-run: nothing is left to select, so nothing changes and no DELETE is sent", "again",
                 ["-e", "cleanup_apply=true"], "none"),
         ), "cleanup_summary_file", ("environment", "service account"), (
             "ansible-playbook kafkaops.confluent_cloud.cleanup -e cleanup_display_name_regex='^ci-'   # preview first",
             "ansible-playbook kafkaops.confluent_cloud.cleanup -e cleanup_display_name_regex='^ci-' -e cleanup_apply=true",
         )),
)


def extra_var(name, value):
    """An -e argument setting name to value: name=value when that parses back unchanged, JSON otherwise."""
    if re.match(r"^[^\s'\"\\]+$", value):
        return "%s=%s" % (name, value)
    return json.dumps({name: value})


def show_args(args):
    """The arguments as a shell would need them, quoting only the value of name=value."""
    shown = []
    for arg in args:
        match = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", arg)
        if match and not arg.startswith("{"):
            value = rel(match.group(2)) if os.path.isabs(match.group(2)) else match.group(2)
            shown.append("%s=%s" % (match.group(1), shlex.quote(value)))
        else:
            shown.append(shlex.quote(arg))
    return " ".join(shown)


def run_playbook(venv, playbook, args, env, results_file):
    """Run ansible-playbook, streaming its output; return its exit code, a Counter of the PLAY RECAP totals, the
    results of the collection's tasks (one record per host, task and loop item, from the demo_results callback) and
    whether the demo key's secret showed in the output or the results.

    The Counter also has "items": the number of "changed:" lines, one for each host and loop item that changed
    (PLAY RECAP counts tasks), and "recap": 1 once the PLAY RECAP was seen.
    """
    cmd = [os.path.join(venv, "bin", "ansible-playbook"), playbook] + args
    if os.path.exists(results_file):
        os.unlink(results_file)
    env = dict(env, DEMO_RESULTS=results_file)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,  # pylint: disable=consider-using-with
                            text=True, errors="replace")
    timer = threading.Timer(RUN_TIMEOUT, proc.kill)
    timer.start()
    totals = collections.Counter()
    leaked = False
    try:
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            leaked = leaked or DEMO_SECRET in line
            plain = ANSI_ESCAPE.sub("", line)
            if plain.startswith("changed: ["):
                totals["items"] += 1
            elif plain.startswith("PLAY RECAP"):
                totals["recap"] = 1
            match = RECAP_LINE.match(plain) if totals["recap"] else None
            if match:
                for field, value in zip(("ok", "changed", "unreachable", "failed"), match.groups()[1:]):
                    totals[field] += int(value)
        code = proc.wait()
    finally:
        timer.cancel()
        if proc.poll() is None:
            proc.terminate()
            proc.wait()
        proc.stdout.close()
    if code == -signal.SIGKILL:
        say("!!! ansible-playbook did not finish within %d s and was stopped" % RUN_TIMEOUT)
    records = None
    if os.path.exists(results_file):
        with open(results_file, encoding="utf-8") as handle:
            text = handle.read()
        leaked = leaked or DEMO_SECRET in text
        records = json.loads(text)
    return code, totals, records, leaked


def read_summary(path):
    """The playbook's summary file: (parsed JSON or None, its text or "")."""
    if not os.path.exists(path):
        return None, ""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        return json.loads(text), text
    except ValueError:
        return None, text


def api_summary(log):
    """One phrase about the simulator's request log of a run."""
    methods = collections.Counter(entry["method"] for entry in log)
    parts = ["%d %s" % (methods.pop(method, 0), method) for method in ("GET", "DELETE")]
    parts += ["%d %s" % (count, method) for method, count in sorted(methods.items())]
    errors = collections.Counter(entry["status"] for entry in log if entry["status"] is None or entry["status"] >= 400)
    if errors:
        labels = {None: "no answer", 404: "404 (already gone)"}
        problems = ", ".join("%d x %s" % (count, labels.get(status, status))
                             for status, count in sorted(errors.items(), key=lambda item: item[0] or 0))
    else:
        problems = "none"
    return "API: %s (%s), 4xx/5xx: %s" % (plural(len(log), "request"), ", ".join(parts), problems)


# --------------------------------------------------------------------------- 5. what went, by whose account

# One resource of the organisation. Keys are paths: (environment,), (environment, cluster), (environment, cluster,
# connector name), (service account,), (owner, API key); an API key owned by a service account sits under it.
Resource = collections.namedtuple("Resource", "depth kind label deleting created_at")
KINDS = ("environment", "Kafka cluster", "connector", "service account", "API key")
# What goes with a resource of a kind when it is deleted, as the verdict counts it.
CONTAINS = {"environment": ("Kafka cluster", "connector"), "Kafka cluster": ("connector",),
            "service account": ("API key",)}


def api_key_label(key, owner_shown):
    label = "%s %s" % ("Cloud API key" if key.get("resource") == "cloud" else "API key", key["id"])
    if key.get("resource") not in (None, "cloud"):
        label += " for " + key["resource"]
    if owner_shown:
        label += " of " + str(key.get("owner"))
    if key.get("credential"):
        label += " (a credential in use)"
    return label


def resources(state):
    """Ordered {key: Resource} of a /_sim/state: environments -> clusters -> connectors, then service accounts -> the
    API keys they own, then the API keys of users."""
    found = {}
    for env in state.get("environments") or []:
        env_deleting = bool(env.get("deleting"))
        found[(env["id"],)] = Resource(0, "environment", 'environment %s "%s"' % (env["id"], env.get("display_name")),
                                       env_deleting, env.get("created_at"))
        for cluster in env.get("clusters") or []:
            deleting = env_deleting or bool(cluster.get("deleting"))
            label = "cluster " + cluster["id"]
            if cluster.get("display_name") not in (None, cluster["id"]):
                label += ' "%s"' % cluster["display_name"]
            found[(env["id"], cluster["id"])] = Resource(1, "Kafka cluster", label, deleting, cluster.get("created_at"))
            for connector in cluster.get("connectors") or []:
                found[(env["id"], cluster["id"], connector["name"])] = Resource(
                    2, "connector", "connector " + connector["name"], deleting, None)
    keys = dict((key["id"], key) for key in state.get("api_keys") or [])
    owned = set()
    for account in state.get("service_accounts") or []:
        found[(account["id"],)] = Resource(0, "service account", 'service account %s "%s"' % (
            account["id"], account.get("display_name")), False, account.get("created_at"))
        for key_id in account.get("api_keys") or []:
            owned.add(key_id)
            key = keys.get(key_id) or {"id": key_id}
            found[(account["id"], key_id)] = Resource(1, "API key", api_key_label(key, False), False, key.get("created_at"))
    for key in keys.values():
        if key["id"] not in owned:
            found[(str(key.get("owner")), key["id"])] = Resource(0, "API key", api_key_label(key, True), False,
                                                                 key.get("created_at"))
    return found


def key_owners(state):
    """{API key id: owner} of a /_sim/state."""
    return dict((key["id"], key.get("owner")) for key in state.get("api_keys") or [])


def snapshot(state):
    """What a run may not change in check mode: every resource and whether it is being deleted."""
    return sorted((key, value.deleting) for key, value in resources(state).items())


def result_key(result, owners=None):
    """The key of the resource a task's result names, or None."""
    connector = result.get("connector") or {}
    if connector.get("name") and connector.get("environment_id") and connector.get("kafka_cluster_id"):
        return (connector["environment_id"], connector["kafka_cluster_id"], connector["name"])
    cluster = result.get("kafka_cluster") or {}
    cluster_env = cluster.get("environment_id") or ((cluster.get("spec") or {}).get("environment") or {}).get("id")
    if cluster.get("id") and cluster_env:
        return (cluster_env, cluster["id"])
    for name in ("environment", "service_account"):
        if (result.get(name) or {}).get("id"):
            return (result[name]["id"],)
    key = result.get("api_key") or {}
    owner = ((key.get("spec") or {}).get("owner") or {}).get("id") or (owners or {}).get(key.get("id"))
    if key.get("id") and owner:
        return (owner, key["id"])
    return None


def reported_changed(records, owners=None):
    """Keys of the resources that the collection's tasks reported changed (in check mode: would change).

    Returns (keys, problems): a changed result that names no resource is a problem of its own. owners ({API key id:
    owner}) places an API key that a result names by ID only.
    """
    keys, problems = set(), []
    for record in records:
        if not record["changed"]:
            continue
        key = result_key(record["result"], owners)
        if key:
            keys.add(key)
        else:
            problems.append("task %r reported changed without naming the resource" % record["task"])
    return keys, problems


def predicted_with(records):
    """Keys of what the changed results' ``contents`` say goes with the resource: an environment's clusters and
    connectors, a cluster's connectors, a service account's API keys."""
    keys = set()
    for record in records:
        if not record["changed"]:
            continue
        result = record["result"]
        key = result_key(result)
        contents = result.get("contents") or {}
        if not key:
            continue
        for cluster in contents.get("kafka_clusters") or []:
            keys.add((key[0], cluster["id"]))
        for connector in contents.get("connectors") or []:
            keys.add((key[0], connector.get("kafka_cluster_id") or key[-1], connector["name"]))
        for api_key in contents.get("api_keys") or []:
            keys.add((key[0], api_key["id"]))
    return keys


def api_deletions(log, owners=None):
    """Keys of the resources whose DELETE the simulator carried out, from its request log.

    A DELETE of anything else that was carried out counts too, under its path, so that it can never go unnoticed.
    """
    keys = set()
    for entry in log:
        if entry["method"] != "DELETE" or (entry["status"] or entry.get("effect_status")) not in (200, 202, 204):
            continue
        path, _unused, query = entry["path"].partition("?")
        segments = [unquote(segment) for segment in path.split("/")[1:]]
        environment = dict(parse_qsl(query)).get("environment")
        if segments[:3] == ["org", "v2", "environments"] and len(segments) == 4:
            keys.add((segments[3],))
        elif segments[:3] == ["connect", "v1", "environments"] and len(segments) == 8:
            keys.add((segments[3], segments[5], segments[7]))
        elif segments[:3] == ["cmk", "v2", "clusters"] and len(segments) == 4 and environment:
            keys.add((environment, segments[3]))
        elif segments[:3] == ["iam", "v2", "service-accounts"] and len(segments) == 4:
            keys.add((segments[3],))
        elif segments[:3] == ["iam", "v2", "api-keys"] and len(segments) == 4:
            keys.add((str((owners or {}).get(segments[3])), segments[3]))
        else:
            keys.add(("DELETE " + entry["path"],))
    return keys


def went(before_state, after_state):
    """Keys of the resources present (and not being deleted) before and gone or being deleted after."""
    before, after = resources(before_state), resources(after_state)
    return {key for key, value in before.items() if not value.deleting and (key not in after or after[key].deleting)}


def within(key, parents):
    """Whether key is one of parents, or inside one of them."""
    return any(key[:len(parent)] == parent for parent in parents)


def check_deletions(name, records, log, before_state, after_state):
    """What a run deleted, and the problems when its tasks, the API and the organisation disagree.

    The tasks' changed results, the DELETEs the simulator carried out and the resources that went between the states
    before and after the run must all tell the same story.
    """
    if records is None:
        return set(), ["%s: no task results were recorded" % name]
    owners = key_owners(before_state)
    reported, problems = reported_changed(records, owners)
    problems = ["%s: %s" % (name, problem) for problem in problems]
    deleted = api_deletions(log, owners)
    gone = went(before_state, after_state)
    if reported != deleted:
        problems.append("%s: the tasks reported %s changed, but the API deleted %s" % (
            name, describe_keys(reported), describe_keys(deleted)))
    still_there = sorted(key for key in deleted if key not in gone)
    if still_there:
        problems.append("%s: deleted, yet still there afterwards: %s" % (name, describe_keys(still_there)))
    unasked = sorted(key for key in gone if not within(key, deleted | reported))
    if unasked:
        problems.append("%s: went without any task deleting it: %s" % (name, describe_keys(unasked)))
    return reported & deleted, problems


def check_selection(name, records, log, before_state, after_state):
    """When the playbook finds what to delete first (the info modules' results), each resource it selected must have a
    task that deleted it (or would, or found it already gone), and nothing else may be deleted or go."""
    if not records:
        return []
    found = [record["result"] for record in records if "environments" in record["result"]
             or "service_accounts" in record["result"]]
    if not found:
        return []
    selected = {(item["id"],) for result in found
                for item in (result.get("environments") or []) + (result.get("service_accounts") or [])}
    problems = []
    handled = {result_key(record["result"]) for record in records} - {None}
    unhandled = sorted(selected - handled)
    if unhandled:
        problems.append("%s: selected, but no task deleted it: %s" % (name, describe_keys(unhandled)))
    deleted = api_deletions(log, key_owners(before_state))
    unselected = sorted(key for key in deleted if not within(key, selected))
    if unselected:
        problems.append("%s: deleted what its find tasks did not select: %s" % (name, describe_keys(unselected)))
    strays = sorted(key for key in went(before_state, after_state) if not within(key, selected))
    if strays:
        problems.append("%s: went, although its find tasks did not select it: %s" % (name, describe_keys(strays)))
    return problems


def check_preview(name, preview_records, apply_name, deleted, gone, owners=None):
    """The preview's changed results must name what the apply deleted, and their ``contents`` what went with it."""
    predicted, problems = reported_changed(preview_records, owners)
    problems = ["%s: %s" % (name, problem) for problem in problems]
    if predicted != deleted:
        problems.append("%s predicted %s, %s deleted %s" % (name, describe_keys(predicted), apply_name,
                                                            describe_keys(deleted)))
    shown = predicted | predicted_with(preview_records)
    if shown != gone:
        missing, stayed = sorted(gone - shown), sorted(shown - gone)
        problems.append("%s and %s disagree on what went: %s%s%s" % (
            name, apply_name, "not shown by the preview: %s" % describe_keys(missing) if missing else "",
            "; " if missing and stayed else "", "shown but stayed: %s" % describe_keys(stayed) if stayed else ""))
    return problems


def summary_keys(summary, done):
    """(keys listed as deleted or would-be deleted, keys listed as going with them) of a cleanup summary."""
    direct, with_them = set(), set()
    for env in summary["environments"][done]:
        direct.add((env["id"],))
        with_them |= {(env["id"], cluster["id"]) for cluster in env.get("kafka_clusters") or []}
        with_them |= {(env["id"], connector["kafka_cluster_id"], connector["name"])
                      for connector in env.get("connectors") or []}
    for account in summary["service_accounts"][done]:
        direct.add((account["id"],))
        with_them |= {(account["id"], key["id"]) for key in account.get("api_keys") or []}
    return direct, with_them


def check_summary(name, mode, summary, records, log, before_state, after_state):
    """The playbook's own summary file against the task results (a preview) or the API and the state (otherwise)."""
    if summary is None:
        return ["%s: no summary file was written, or it is not JSON" % name]
    expected_mode = "preview" if mode == "preview" else "apply"
    done = "would_delete" if mode == "preview" else "deleted"
    try:
        if summary["mode"] != expected_mode:
            return ["%s: the summary says mode %r, not %r" % (name, summary["mode"], expected_mode)]
        direct, with_them = summary_keys(summary, done)
        failed = len(summary["environments"]["failed"]) + len(summary["service_accounts"]["failed"])
    except (KeyError, TypeError, AttributeError) as exc:
        return ["%s: the summary file lacks %s" % (name, exc)]
    problems = ["%s: the summary lists %s" % (name, plural(failed, "failure"))] if failed else []
    owners = key_owners(before_state)
    if mode == "preview":
        predicted, _unused = reported_changed(records or [], owners)
        if direct != predicted:
            problems.append("%s: the summary would delete %s, the tasks predicted %s" % (
                name, describe_keys(direct), describe_keys(predicted)))
        if with_them != predicted_with(records or []):
            problems.append("%s: the summary and the tasks' previews disagree on what goes along: %s" % (
                name, difference(with_them, predicted_with(records or []), "the tasks do not")))
        return problems
    deleted, gone = api_deletions(log, owners), went(before_state, after_state)
    if direct != deleted:
        problems.append("%s: the summary says it deleted %s, the API deleted %s" % (
            name, describe_keys(direct), describe_keys(deleted)))
    if direct | with_them != gone:
        problems.append("%s: the summary and the organisation disagree on what went: %s" % (
            name, difference(direct | with_them, gone, "stayed")))
    return problems


def difference(listed, actual, not_actual):
    """What the summary leaves out of actual, and what it lists that is not in it."""
    phrases = []
    if actual - listed:
        phrases.append("the summary leaves out %s" % describe_keys(actual - listed))
    if listed - actual:
        phrases.append("it lists %s, which %s" % (describe_keys(listed - actual), not_actual))
    return "; ".join(phrases)


def describe_keys(keys):
    return "{%s}" % ", ".join(sorted("/".join(key) for key in keys)) if keys else "nothing"


def age(created_at, now):
    """A short age such as "3 d" or "30 h" between two RFC 3339 times; "" when either is unknown."""
    try:
        seconds = (datetime.datetime.fromisoformat(now.replace("Z", "+00:00"))
                   - datetime.datetime.fromisoformat(created_at.replace("Z", "+00:00"))).total_seconds()
    except (AttributeError, TypeError, ValueError):
        return ""
    for unit, size, least in (("d", 86400, 2 * 86400), ("h", 3600, 3600), ("min", 60, 60)):
        if seconds >= least:
            return "%d %s" % (seconds // size, unit)
    return "%d s" % max(seconds, 0)


def organisation_table(before, after, direct, what="the run", now=None):
    """Lines of the before/after table; also the keys left behind and the keys deleted that should not be.

    before and after are resources() maps; direct are the keys the tasks deleted; now (RFC 3339) adds an age column for
    environments and service accounts.
    """
    expected_gone = {key for key in before if within(key, direct)}
    width = max([len("  " * value.depth + value.label) for value in before.values()] + [40]) + 2
    lines = ["  %-*s %-6s %s" % (width, "RESOURCE (before %s)" % what, "AGE", "AFTER")]
    left, lost, left_keys = [], [], set()
    for key, value in before.items():
        present = key in after and not after[key].deleting
        if not present:
            parents = [key[:size] for size in range(len(key) - 1, 0, -1) if key[:size] in direct]
            with_it = " (with its %s)" % before[parents[0]].kind if parents and key not in direct else ""
            status = ("being deleted" if key in after else "deleted") + with_it
        else:
            status = "kept"
        if key in expected_gone and present:
            if not any(key[:size] in left_keys for size in range(1, len(key))):
                left.append(value.label)
            left_keys.add(key)
            status += "   <-- LEFT BEHIND"
        if key not in expected_gone and not present:
            lost.append(value.label)
            status += "   <-- NOT A TARGET"
        shown_age = age(value.created_at, now) if now and value.kind in ("environment", "service account") else ""
        lines.append("  %-*s %-6s %s" % (width, "  " * value.depth + value.label, shown_age, status))
    return lines, left, lost


def describe_deleted(direct, before, after):
    """What a part deleted, e.g. "2 environments (with 2 Kafka clusters and 3 connectors) and 1 connector", and what it
    kept, e.g. "6 environments and 6 service accounts", from resources() maps before and after it."""
    phrases = []
    for kind in KINDS:
        mine = sorted(key for key in direct if key in before and before[key].kind == kind)
        if not mine:
            continue
        phrase = plural(len(mine), kind)
        if kind in CONTAINS:
            inside = [key for key in before if key not in direct and within(key, mine)
                      and (key not in after or after[key].deleting)]
            phrase += " (with %s)" % join_words([plural(sum(1 for key in inside if before[key].kind == part), part)
                                                 for part in CONTAINS[kind]])
        phrases.append(phrase)
    kept = [plural(sum(1 for key, value in before.items() if value.depth == 0 and value.kind == kind and key in after
                       and not after[key].deleting), kind) for kind in ("environment", "service account")]
    return join_words(phrases) or "nothing", join_words(kept)


def join_words(words):
    return " and ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " and " + words[-1]


# --------------------------------------------------------------------------- 6. the demo

def print_header(part, number, run, args, venv, env, work):
    say()
    say("=" * 100)
    say("%s, run %d of %d: %s" % (part.name.capitalize(), number, len(part.runs), run.title))
    say("$ " + " ".join([os.path.join(rel(venv), "bin", "ansible-playbook"), part.playbook] + ([show_args(args)] if args else [])))
    say("  with CONFLUENT_CLOUD_API_ENDPOINT=%s CONFLUENT_CLOUD_API_KEY=%s CONFLUENT_CLOUD_API_SECRET=%s"
        % (env["CONFLUENT_CLOUD_API_ENDPOINT"], env["CONFLUENT_CLOUD_API_KEY"], env["CONFLUENT_CLOUD_API_SECRET"]))
    say("  and ANSIBLE_COLLECTIONS_PATH=%s (the installed tarball)" % rel(os.path.join(work, "collections")))
    say("=" * 100)


def real_cloud_hint():
    say()
    say("To run the same playbooks against Confluent Cloud:")
    say("  ansible-galaxy collection install kafkaops.confluent_cloud   # and: pip install 'requests>=2.25'")
    say("  export CONFLUENT_CLOUD_API_KEY=<Cloud API key> CONFLUENT_CLOUD_API_SECRET=<its secret>")
    say("  unset CONFLUENT_CLOUD_API_ENDPOINT                            # default: https://api.confluent.cloud")
    for part in PARTS:
        for line in part.hint:
            say("  " + line)


def summary_note(summary, mode):
    """What a run's summary file says, in a few words."""
    if summary is None:
        return ""
    done = "would_delete" if mode == "preview" else "deleted"
    try:
        counts = [plural(len(summary[kind][done]), word) for kind, word in
                  (("environments", "environment"), ("service_accounts", "service account"))]
        failed = len(summary["environments"]["failed"]) + len(summary["service_accounts"]["failed"])
    except (KeyError, TypeError):
        return " | summary file: not what the playbook writes"
    return " | summary file: %s %s, %d failed" % (done, join_words(counts), failed)


def run_part(number, part, venv, work, env, url):
    """The runs of one part; return (problems, one summary line per run, evidence by run name).

    The evidence holds, for each run, the simulator's clock, its state before and after, its request log, the task
    results, the playbook's summary file (when it writes one), and what the run deleted or predicted.
    """
    problems, summaries, evidence = [], [], {}
    say()
    say("#" * 100)
    say("Part %d of %d: %s" % (number, len(PARTS), part.title))
    say("#" * 100)
    for index, run in enumerate(part.runs, 1):
        name = "%s (%s)" % (part.playbook, run.name)
        sim_call(url, "/_sim/log", "DELETE")
        clock = sim_call(url, "/_sim/clock")
        before = sim_call(url, "/_sim/state")
        args = part.args + run.args
        summary_file = None
        if part.summary_var:
            summary_file = os.path.join(work, "%s-summary-%s.json" % (part.name, run.name))
            if os.path.exists(summary_file):
                os.unlink(summary_file)
            args = args + ["-e", extra_var(part.summary_var, summary_file)]
        print_header(part, index, run, args, venv, env, work)
        code, recap, records, leaked = run_playbook(venv, part.playbook, args, env,
                                                    os.path.join(work, "results-%s-%s.json" % (part.name, run.name)))
        log = sim_call(url, "/_sim/log")
        after = sim_call(url, "/_sim/state")
        summary, summary_text = read_summary(summary_file) if summary_file else (None, "")
        record = evidence[run.name] = {"clock": clock.get("now"), "before": before, "after": after, "log": log,
                                       "records": records}
        if summary_file:
            record["summary"] = summary
        if code != 0 or recap["failed"] or recap["unreachable"] or not recap["recap"]:
            problems.append("%s failed (exit %d, failed=%d, unreachable=%d%s)" % (
                name, code, recap["failed"], recap["unreachable"], "" if recap["recap"] else ", no PLAY RECAP"))
        if leaked or DEMO_SECRET in summary_text:
            problems.append("%s: the demo key's secret appears in its output, results or summary file" % name)
        deletes = [entry for entry in log if entry["method"] == "DELETE"]
        if run.deletes == "none" and deletes:
            problems.append("%s sent %s" % (name, plural(len(deletes), "DELETE request")))
        elif run.deletes == "gone only" and any(entry["status"] != 404 for entry in deletes):
            problems.append("%s sent a DELETE not answered 404 (already gone): %s" % (
                name, ", ".join("%s -> %s" % (entry["path"], entry["status"]) for entry in deletes if entry["status"] != 404)))
        owners = key_owners(before)
        note = ""
        if run.mode == "preview":
            unchanged = snapshot(before) == snapshot(after)
            note = " | simulator state unchanged" if unchanged else " | SIMULATOR STATE CHANGED"
            if not unchanged:
                problems.append("%s changed the simulator state" % name)
            if records is None:
                problems.append("%s: no task results were recorded" % name)
            else:
                record["predicted"] = reported_changed(records, owners)[0]
                problems += check_selection(name, records, log, before, after)
        else:
            record["deleted"], found = check_deletions(name, records, log, before, after)
            problems += found + check_selection(name, records, log, before, after)
            changed = [item for item in records or [] if item["changed"]]
            if run.mode == "again" and changed:
                problems.append("%s: %s reported changed" % (name, plural(len(changed), "task result")))
            note = " | collection's tasks changed %d" % len(changed) if run.mode == "again" else ""
        if summary_file:
            problems += check_summary(name, run.mode, summary, records, log, before, after)
            note += summary_note(summary, run.mode)
        summaries.append("%-9s exit %d, ok=%d changed=%d (%s) failed=%d | %s%s" % (
            run.name + ":", code, recap["ok"], recap["changed"], plural(recap["items"], "item"), recap["failed"],
            api_summary(log), note))
        say()
        say("--> " + summaries[-1])
    preview = next(run for run in part.runs if run.mode == "preview")
    applied = next(run for run in part.runs if run.mode == "apply")
    if evidence[preview.name]["records"] is not None and evidence[applied.name]["records"] is not None:
        applied_run = evidence[applied.name]
        problems += check_preview("%s (%s)" % (part.playbook, preview.name), evidence[preview.name]["records"],
                                  "the %s" % applied.name, applied_run["deleted"],
                                  went(applied_run["before"], applied_run["after"]), key_owners(applied_run["before"]))
    return problems, summaries, evidence


def report_part(part, runs, summaries):
    """Print a part's summary and its before/after table; return (problems, verdict phrase)."""
    first, last = runs[part.runs[0].name], runs[part.runs[-1].name]
    applied = runs[next(run.name for run in part.runs if run.mode == "apply")]
    direct = applied.get("deleted") or set()
    before, after = resources(first["before"]), resources(last["after"])
    lines, left, lost = organisation_table(before, after, direct, "the " + part.name, first.get("clock"))
    say()
    say("=" * 100)
    say("Summary of the %s, %s (PLAY RECAP and the simulator's request log, GET /_sim/log):" % (part.name, part.playbook))
    for line in summaries:
        say("  " + line)
    say()
    say("Organisation before and after the %s (GET /_sim/state; age from created_at):" % part.name)
    for line in lines:
        say(line)
    problems = []
    if left:
        problems.append("the %s left behind: %s" % (part.name, ", ".join(left)))
    if lost:
        problems.append("the %s removed what no task reported deleting: %s" % (part.name, ", ".join(lost)))
    if not direct:
        problems.append("the %s deleted nothing: %s selects nothing that exists in %s" % (part.name, part.playbook, SEED))
    else:
        for kind in part.shows:
            if not any(before[key].kind == kind for key in direct if key in before):
                problems.append("the %s deleted no %s, which it is there to show" % (part.name, kind))
    deleted, kept = describe_deleted(direct, before, after)
    # The numbers come from what the tasks reported and the API did, which check_deletions found to agree.
    return problems, "%s previewed and deleted %s, kept %s, re-run changed nothing" % (part.name, deleted, kept)


def demo(venv, work, install):
    """Everything after argument parsing; return the exit status."""
    start = time.monotonic()
    if install:
        ensure_venv(venv)
    check_venv(venv)
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("CONFLUENT_CLOUD_") and name not in ("ANSIBLE_CALLBACK_PLUGINS", "ANSIBLE_CALLBACKS_ENABLED")}
    env.update(ANSIBLE_COLLECTIONS_PATH=os.path.join(work, "collections"), ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
               ANSIBLE_STDOUT_CALLBACK="default", ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
               ANSIBLE_CALLBACK_PLUGINS=os.path.join(ROOT, CALLBACKS), ANSIBLE_CALLBACKS_ENABLED="demo_results")
    if sys.stdout.isatty():
        env.update(ANSIBLE_FORCE_COLOR="true")
    else:
        env.update(ANSIBLE_FORCE_COLOR="false", ANSIBLE_NOCOLOR="true")
    build_and_install(venv, work, env)

    problems, summaries, evidence = [], {}, {}
    proc, url = start_simulator()
    try:
        env.update(CONFLUENT_CLOUD_API_ENDPOINT=url, CONFLUENT_CLOUD_API_KEY=DEMO_KEY, CONFLUENT_CLOUD_API_SECRET=DEMO_SECRET)
        for number, part in enumerate(PARTS, 1):
            found, summaries[part.name], evidence[part.name] = run_part(number, part, venv, work, env, url)
            problems += found
    finally:
        stop_simulator(proc)
    with open(os.path.join(work, "demo-evidence.json"), "w", encoding="utf-8") as handle:
        json.dump(dict((part, dict((name, dict(run, **dict((field, sorted(run[field])) for field in ("deleted", "predicted")
                                                           if field in run)))
                                   for name, run in runs.items()))
                       for part, runs in evidence.items()), handle, indent=1)

    verdicts = []
    for part in PARTS:
        found, phrase = report_part(part, evidence[part.name], summaries[part.name])
        problems += found
        verdicts.append(phrase)
    real_cloud_hint()
    say()
    say("Finished in %.0f s." % (time.monotonic() - start))
    if problems:
        say("Demo FAILED: " + "; ".join(problems))
        return 1
    say("Demo OK: %s; the previews sent GET requests only" % "; ".join(verdicts))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--venv", help="use this virtual environment (with ansible-core and requests) as it is, "
                                       "instead of creating .venv/demo")
    parser.add_argument("--work-dir", default=os.path.join(ROOT, "build", "demo"),
                        help="where to build and install the collection (default: build/demo)")
    args = parser.parse_args(argv)
    venv = os.path.abspath(args.venv or os.path.join(ROOT, ".venv", "demo"))
    work = os.path.abspath(args.work_dir)

    def on_sigterm(signum, frame):  # pylint: disable=unused-argument
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        return demo(venv, work, install=args.venv is None)
    except SetupError as exc:
        say("Demo FAILED: %s" % exc)
        return 2
    except KeyboardInterrupt:
        say()
        say("Demo interrupted; the simulator was stopped.")
        return 130


if __name__ == "__main__":
    sys.exit(main())

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run examples/teardown.yml against the local Confluent Cloud simulator (``make demo``).

Steps:
  1. .venv/demo: a virtual environment with ansible-core and requests (a stamp file skips reinstalling)
  2. build the collection and install the tarball into build/demo/collections
  3. start tests/simulator/confluent_sim.py with tests/simulator/seeds/demo.json
  4. run the playbook three times: preview (--check --diff), teardown, re-run (idempotence)
  5. check each run and print a summary, the organisation before and after, and a verdict

What the teardown deleted is taken from what happened, never from the playbook's variables: the resources its tasks
reported changed (recorded by tools/callback_plugins/demo_results.py), the DELETE requests the simulator carried out
(its request log) and the organisation before and after (its state). The demo fails when they disagree, and when the
preview's predictions differ from what the teardown then did. The evidence is kept in WORK_DIR/demo-evidence.json.

Usage: python3 tools/demo.py [--venv DIR] [--work-dir DIR]
Exit status: 0 demo OK, 1 a run or a check failed, 2 setup failed, 130 interrupted.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tarfile
import threading
import time
import urllib.request
from urllib.parse import unquote

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAYBOOK = "examples/teardown.yml"
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


# --------------------------------------------------------------------------- 4. playbook runs

def run_playbook(venv, args, env, results_file):
    """Run ansible-playbook, streaming its output; return its exit code, a Counter of the PLAY RECAP totals and the
    results of the collection's tasks (one record per host, task and loop item, from the demo_results callback).

    The Counter also has "items": the number of "changed:" lines, one for each host and loop item that changed
    (PLAY RECAP counts tasks), and "recap": 1 once the PLAY RECAP was seen.
    """
    cmd = [os.path.join(venv, "bin", "ansible-playbook"), PLAYBOOK] + args
    if os.path.exists(results_file):
        os.unlink(results_file)
    env = dict(env, DEMO_RESULTS=results_file)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,  # pylint: disable=consider-using-with
                            text=True, errors="replace")
    timer = threading.Timer(RUN_TIMEOUT, proc.kill)
    timer.start()
    totals = collections.Counter()
    try:
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
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
            records = json.load(handle)
    return code, totals, records


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


def resources(state):
    """Ordered {key: (depth, label, deleting)} of the environments, clusters and connectors in a /_sim/state."""
    found = {}
    for env in state["environments"]:
        found[(env["id"],)] = (0, 'environment %s "%s"' % (env["id"], env["display_name"]), env["deleting"])
        for cluster in env["clusters"]:
            found[(env["id"], cluster["id"])] = (1, "cluster " + cluster["id"], env["deleting"])
            for connector in cluster["connectors"]:
                found[(env["id"], cluster["id"], connector["name"])] = (2, "connector " + connector["name"], env["deleting"])
    return found


def snapshot(state):
    """What a run may not change in check mode: every resource and whether it is being deleted."""
    return sorted((key, value[2]) for key, value in resources(state).items())


def reported_changed(records):
    """Keys of the resources that the collection's tasks reported changed (in check mode: would change).

    Returns (keys, problems): a changed result that names no resource is a problem of its own.
    """
    keys, problems = set(), []
    for record in records:
        if not record["changed"]:
            continue
        result = record["result"]
        connector, environment = result.get("connector") or {}, result.get("environment") or {}
        if connector.get("name") and connector.get("environment_id") and connector.get("kafka_cluster_id"):
            keys.add((connector["environment_id"], connector["kafka_cluster_id"], connector["name"]))
        elif environment.get("id"):
            keys.add((environment["id"],))
        else:
            problems.append("task %r reported changed without naming the resource" % record["task"])
    return keys, problems


def api_deletions(log):
    """Keys of the resources whose DELETE the simulator carried out, from its request log."""
    keys = set()
    for entry in log:
        if entry["method"] != "DELETE" or (entry["status"] or entry.get("effect_status")) not in (200, 202, 204):
            continue
        segments = [unquote(segment) for segment in entry["path"].split("?", 1)[0].split("/")[1:]]
        if segments[:3] == ["org", "v2", "environments"] and len(segments) == 4:
            keys.add((segments[3],))
        elif segments[:3] == ["connect", "v1", "environments"] and len(segments) == 8:
            keys.add((segments[3], segments[5], segments[7]))
    return keys


def went(before_state, after_state):
    """Keys of the resources present (and not being deleted) before and gone or being deleted after."""
    before, after = resources(before_state), resources(after_state)
    return {key for key, value in before.items() if not value[2] and (key not in after or after[key][2])}


def within(key, parents):
    """Whether key is one of parents, or inside one of them."""
    return any(key[:len(parent)] == parent for parent in parents)


def check_deletions(name, records, log, before_state, after_state):
    """What a run deleted, and the problems when its tasks, the API and the organisation disagree.

    The tasks' changed results, the DELETEs the simulator carried out and the resources that went between the states
    before and after the run must all tell the same story.
    """
    if records is None:
        return set(), ["run %s: no task results were recorded" % name]
    reported, problems = reported_changed(records)
    problems = ["run %s: %s" % (name, problem) for problem in problems]
    deleted = api_deletions(log)
    gone = went(before_state, after_state)
    if reported != deleted:
        problems.append("run %s: the tasks reported %s changed, but the API deleted %s" % (
            name, describe_keys(reported), describe_keys(deleted)))
    still_there = sorted(key for key in deleted if key not in gone)
    if still_there:
        problems.append("run %s: deleted, yet still there afterwards: %s" % (name, describe_keys(still_there)))
    unasked = sorted(key for key in gone if not within(key, deleted | reported))
    if unasked:
        problems.append("run %s: went without any task deleting it: %s" % (name, describe_keys(unasked)))
    return reported & deleted, problems


def describe_keys(keys):
    return "{%s}" % ", ".join(sorted("/".join(key) for key in keys)) if keys else "nothing"


def organisation_table(before, after, direct):
    """Lines of the before/after table; also the keys left behind and the keys deleted that should not be."""
    expected_gone = {key for key in before if within(key, direct)}
    lines = ["  %-50s %s" % ("RESOURCE (before the teardown)", "AFTER")]
    left, lost, left_keys = [], [], set()
    for key, (depth, label, _deleting) in before.items():
        present = key in after and not after[key][2]
        if not present:
            status = "deleted" if key in direct or key not in expected_gone else "deleted (with its environment)"
            if key in after:
                status = "being deleted" if key in direct else "being deleted (with its environment)"
        else:
            status = "kept"
        if key in expected_gone and present:
            if not any(key[:size] in left_keys for size in range(1, len(key))):
                left.append(label)
            left_keys.add(key)
            status += "   <-- LEFT BEHIND"
        if key not in expected_gone and not present:
            lost.append(label)
            status += "   <-- NOT A TARGET"
        lines.append("  %-50s %s" % ("  " * depth + label, status))
    return lines, left, lost


def print_header(number, title, cmd_args, venv, env, work):
    say()
    say("=" * 100)
    say("Run %d of 3: %s" % (number, title))
    say("$ %s %s" % (os.path.join(rel(venv), "bin", "ansible-playbook"), " ".join([PLAYBOOK] + cmd_args)))
    say("  with " + " ".join("%s=%s" % (name, env[name]) for name in
                             ("CONFLUENT_CLOUD_API_ENDPOINT", "CONFLUENT_CLOUD_API_KEY", "CONFLUENT_CLOUD_API_SECRET")))
    say("  and ANSIBLE_COLLECTIONS_PATH=%s (the installed tarball)" % rel(os.path.join(work, "collections")))
    say("=" * 100)


def real_cloud_hint():
    say()
    say("To run the same playbook against Confluent Cloud:")
    say("  ansible-galaxy collection install kafkaops.confluent_cloud   # and: pip install 'requests>=2.25'")
    say("  export CONFLUENT_CLOUD_API_KEY=<Cloud API key> CONFLUENT_CLOUD_API_SECRET=<its secret>")
    say("  unset CONFLUENT_CLOUD_API_ENDPOINT                            # default: https://api.confluent.cloud")
    say("  # my-teardown.yml sets retired_connectors and retired_environments (see %s)" % PLAYBOOK)
    say("  ansible-playbook %s -e @my-teardown.yml --check --diff   # preview first: GET requests only" % PLAYBOOK)
    say("  ansible-playbook %s -e @my-teardown.yml                  # then delete" % PLAYBOOK)


def run_all(venv, work, env, url):
    """The three runs; return (problems, one summary line per run, recap per run, evidence).

    The evidence holds, for each run, the simulator's state before and after, its request log and the task results.
    """
    runs = [("preview", "preview: check mode with diff, only GET requests, nothing is deleted", ["--check", "--diff"]),
            ("teardown", "teardown: delete for real", []),
            ("re-run", "re-run: everything is already gone, so nothing changes", [])]
    problems, summaries, results, evidence = [], [], {}, {}
    for number, (name, title, cmd_args) in enumerate(runs, 1):
        sim_call(url, "/_sim/log", "DELETE")
        before = sim_call(url, "/_sim/state")
        print_header(number, title, cmd_args, venv, env, work)
        code, recap, records = run_playbook(venv, cmd_args, env, os.path.join(work, "results-%s.json" % name))
        log = sim_call(url, "/_sim/log")
        after = sim_call(url, "/_sim/state")
        evidence[name] = {"before": before, "after": after, "log": log, "records": records}
        results[name] = recap
        if code != 0 or recap["failed"] or recap["unreachable"] or not recap["recap"]:
            problems.append("run %d (%s) failed (exit %d, failed=%d, unreachable=%d%s)" % (
                number, name, code, recap["failed"], recap["unreachable"], "" if recap["recap"] else ", no PLAY RECAP"))
        note = ""
        if name == "preview":
            unchanged = snapshot(before) == snapshot(after)
            deletes = sum(1 for entry in log if entry["method"] == "DELETE")
            note = " | simulator state unchanged" if unchanged else " | SIMULATOR STATE CHANGED"
            if not unchanged:
                problems.append("the preview changed the simulator state")
            if deletes:
                problems.append("the preview sent %s" % plural(deletes, "DELETE request"))
        elif name == "re-run" and recap["changed"]:
            problems.append("the re-run reported changed=%d" % recap["changed"])
        if name != "preview":
            evidence[name]["deleted"], found = check_deletions(name, records, log, before, after)
            problems += found
        summaries.append("%-10s exit %d, ok=%d changed=%d (%s) failed=%d | %s%s" % (
            name + ":", code, recap["ok"], recap["changed"], plural(recap["items"], "item"), recap["failed"],
            api_summary(log), note))
        say()
        say("--> " + summaries[-1])
    if evidence["preview"]["records"] is not None and "deleted" in evidence["teardown"]:
        predicted, found = reported_changed(evidence["preview"]["records"])
        problems += ["run preview: %s" % problem for problem in found]
        if predicted != evidence["teardown"]["deleted"]:
            problems.append("the preview predicted %s, the teardown deleted %s" % (
                describe_keys(predicted), describe_keys(evidence["teardown"]["deleted"])))
    return problems, summaries, results, evidence


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

    proc, url = start_simulator()
    try:
        env.update(CONFLUENT_CLOUD_API_ENDPOINT=url, CONFLUENT_CLOUD_API_KEY=DEMO_KEY, CONFLUENT_CLOUD_API_SECRET=DEMO_SECRET)
        problems, summaries, results, evidence = run_all(venv, work, env, url)
    finally:
        stop_simulator(proc)
    with open(os.path.join(work, "demo-evidence.json"), "w", encoding="utf-8") as handle:
        json.dump(dict((name, dict(run, deleted=sorted(run.get("deleted") or ()))) for name, run in evidence.items()),
                  handle, indent=1)

    direct = evidence["teardown"].get("deleted") or set()
    before, after = resources(evidence["teardown"]["before"]), resources(evidence["teardown"]["after"])
    lines, left, lost = organisation_table(before, after, direct)
    say()
    say("=" * 100)
    say("Summary (PLAY RECAP and the simulator's request log, GET /_sim/log):")
    for line in summaries:
        say("  " + line)
    say()
    say("Organisation before and after the teardown (GET /_sim/state):")
    for line in lines:
        say(line)
    if left:
        problems.append("the teardown left behind: " + ", ".join(left))
    if lost:
        problems.append("the teardown removed what no task reported deleting: " + ", ".join(lost))
    if not direct:
        problems.append("the teardown deleted nothing: %s targets nothing that exists in %s" % (PLAYBOOK, SEED))
    real_cloud_hint()
    say()
    say("Finished in %.0f s." % (time.monotonic() - start))
    if problems:
        say("Demo FAILED: " + "; ".join(problems))
        return 1
    envs = sum(1 for key in direct if len(key) == 1)
    # The number comes from what the tasks reported and the API did, which check_deletions found to agree.
    say("Demo OK: preview changed nothing (GET requests only), teardown deleted %s (%s with everything in %s, %s), "
        "re-run changed nothing" % (plural(len(direct), "resource"), plural(envs, "environment"), "it" if envs == 1 else "them",
                                    plural(len(direct) - envs, "connector")))
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

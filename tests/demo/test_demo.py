# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""End to end: tools/demo.py (make demo) builds the collection, runs examples/teardown.yml three times and says OK.

The demo needs a virtual environment with ansible-core and requests. The first of these is used:
DEMO_VENV, .venv/demo (made by make demo), .venv/core-* (made by make test), the one holding ansible-playbook on PATH.
Without one the test fails: a demo that was never run proves nothing.

What the verdict says the teardown deleted is checked against the demo's evidence (the simulator's states before and
after the run, its request log and the tasks' results), never against the playbook's variables.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMO = os.path.join(ROOT, "tools", "demo.py")
VERDICT = re.compile(r"^Demo OK: preview changed nothing \(GET requests only\), teardown deleted (\d+) resources? "
                     r"\((\d+) environments? with everything in (?:it|them), (\d+) connectors?\), re-run changed nothing$")


def candidate_venvs():
    if os.environ.get("DEMO_VENV"):
        yield os.environ["DEMO_VENV"]
    yield os.path.join(ROOT, ".venv", "demo")
    venvs = os.path.join(ROOT, ".venv")
    if os.path.isdir(venvs):
        cores = [name for name in os.listdir(venvs) if name.startswith("core-")]
        for name in sorted(cores, key=lambda name: [int(part) for part in name[5:].split(".") if part.isdigit()], reverse=True):
            yield os.path.join(venvs, name)
    playbook = shutil.which("ansible-playbook")
    if playbook:
        yield os.path.dirname(os.path.dirname(playbook))


def usable(venv):
    """Whether venv has ansible-playbook, ansible-galaxy and a Python that imports ansible, requests and yaml."""
    python = os.path.join(venv, "bin", "python")
    if not all(os.access(os.path.join(venv, "bin", name), os.X_OK) for name in ("python", "ansible-playbook", "ansible-galaxy")):
        return False
    result = subprocess.run([python, "-c", "import ansible, requests, yaml"], capture_output=True, check=False)
    return result.returncode == 0


@pytest.fixture(name="venv")
def fixture_venv():
    for venv in candidate_venvs():
        if usable(venv):
            return venv
    pytest.fail("no ansible-playbook with requests found: run make demo first, or set DEMO_VENV to a venv with "
                "ansible-core and requests")
    return None


@pytest.fixture(name="demo")
def fixture_demo():
    """tools/demo.py as a module, for its checks (it runs nothing when imported)."""
    spec = importlib.util.spec_from_file_location("demo_under_test", DEMO)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def top_level_gone(before, after):
    """Environments and connectors (outside a deleted environment) present before and gone or deleting after."""
    def inventory(state):
        found = {}
        for env in state["environments"]:
            found[(env["id"],)] = env["deleting"]
            for cluster in env["clusters"]:
                for connector in cluster["connectors"]:
                    found[(env["id"], cluster["id"], connector["name"])] = env["deleting"]
        return found

    old, new = inventory(before), inventory(after)
    gone = {key for key, deleting in old.items() if not deleting and (key not in new or new[key])}
    return {key for key in gone if len(key) == 1 or (key[0],) not in gone}


def test_demo_end_to_end(venv, tmp_path):
    result = subprocess.run([sys.executable, DEMO, "--venv", venv, "--work-dir", str(tmp_path)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=180, check=False)
    lines = result.stdout.rstrip().splitlines()
    verdict = lines[-1] if lines else ""
    assert result.returncode == 0, result.stdout[-6000:]
    match = VERDICT.match(verdict)
    assert match, verdict
    for run in ("Run 1 of 3", "Run 2 of 3", "Run 3 of 3"):
        assert run in result.stdout
    assert re.search(r"^  preview: +exit 0, .*\| simulator state unchanged$", result.stdout, re.MULTILINE)
    assert os.listdir(os.path.join(str(tmp_path), "collections", "ansible_collections", "kafkaops")) == ["confluent_cloud"]

    # The numbers of the verdict, against what the simulator shows and what the tasks reported.
    with open(os.path.join(str(tmp_path), "demo-evidence.json"), encoding="utf-8") as handle:
        evidence = json.load(handle)
    teardown = evidence["teardown"]
    gone = top_level_gone(teardown["before"], teardown["after"])
    changed = [record for record in teardown["records"] if record["changed"]]
    deleted, environments, connectors = (int(group) for group in match.groups())
    assert deleted == len(gone) == len(changed) > 0, (verdict, sorted(gone), [r["result"] for r in changed])
    assert environments == sum(1 for key in gone if len(key) == 1)
    assert connectors == deleted - environments
    assert not [record for record in evidence["re-run"]["records"] if record["changed"]]
    assert top_level_gone(evidence["re-run"]["before"], evidence["re-run"]["after"]) == set()
    preview = [record for record in evidence["preview"]["records"] if record["changed"]]
    assert len(preview) == deleted, "the preview predicted %d changes, the teardown made %d" % (len(preview), deleted)


def records(*changed):
    """Task results as the demo_results callback records them, for the keys given (changed)."""
    out = []
    for key in changed:
        if len(key) == 1:
            result = {"changed": True, "environment": {"id": key[0]}}
        else:
            result = {"changed": True, "connector": {"environment_id": key[0], "kafka_cluster_id": key[1], "name": key[2]}}
        out.append({"task": "delete", "changed": True, "result": result})
    return out


def state(*environments):
    """A /_sim/state answer: environments as (id, deleting, {cluster: [connector names]})."""
    def environment(env_id, deleting, clusters):
        return {"id": env_id, "display_name": env_id, "deleting": deleting,
                "clusters": [{"id": cluster, "connectors": [{"name": name} for name in names]}
                             for cluster, names in clusters.items()]}

    return {"environments": [environment(*spec) for spec in environments]}


def delete(path, status):
    return {"method": "DELETE", "path": path, "status": status}


BEFORE = state(("env-a", False, {"lkc-a": ["keep", "go"]}), ("env-b", False, {"lkc-b": ["inside"]}), ("env-c", False, {}))
AFTER = state(("env-a", False, {"lkc-a": ["keep"]}), ("env-c", False, {}))
LOG = [delete("/connect/v1/environments/env-a/clusters/lkc-a/connectors/go", 200),
       delete("/org/v2/environments/env-b", 204)]


def test_demo_checks_agree_when_results_api_and_state_agree(demo):
    deleted, problems = demo.check_deletions("teardown", records(("env-a", "lkc-a", "go"), ("env-b",)), LOG, BEFORE,
                                             AFTER)
    assert problems == []
    assert deleted == {("env-a", "lkc-a", "go"), ("env-b",)}


@pytest.mark.parametrize("changed, log, after, expected", [
    pytest.param([("env-a", "lkc-a", "go")], LOG, AFTER, "the tasks reported", id="a-deletion-not-reported"),
    pytest.param([("env-a", "lkc-a", "go"), ("env-b",), ("env-c",)], LOG, AFTER, "the tasks reported",
                 id="reported-but-not-deleted"),
    pytest.param([("env-a", "lkc-a", "go"), ("env-b",)], LOG,
                 state(("env-a", False, {"lkc-a": ["keep", "go"]}), ("env-c", False, {})), "still there",
                 id="deleted-but-still-there"),
    pytest.param([("env-a", "lkc-a", "go"), ("env-b",)], LOG, state(("env-a", False, {"lkc-a": ["keep"]})),
                 "went without any task deleting it", id="gone-without-a-task"),
])
def test_demo_fails_when_results_api_and_state_disagree(demo, changed, log, after, expected):
    dummy, problems = demo.check_deletions("teardown", records(*changed), log, BEFORE, after)
    assert [problem for problem in problems if expected in problem], problems


def test_demo_fails_without_task_results(demo):
    dummy, problems = demo.check_deletions("teardown", None, LOG, BEFORE, AFTER)
    assert problems == ["run teardown: no task results were recorded"]

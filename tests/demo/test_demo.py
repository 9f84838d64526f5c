# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""End to end: tools/demo.py (make demo) builds the collection, runs examples/teardown.yml and the cleanup playbook
three times each and says OK. make test runs this file as the step demo-test of tests/utils/ansible_test.sh
(`tests/utils/ansible_test.sh 2.21 demo-test`); make demo is the demo itself, for a user to watch.

The demo needs a virtual environment with ansible-core and requests. The first of these is used:
DEMO_VENV, .venv/demo (made by make demo), .venv/core-* (made by make test), the one holding ansible-playbook on PATH.
Without one the test fails: a demo that was never run proves nothing.

Every number of the verdict is checked against the demo's evidence (the simulator's states before and after each
run, its request log, the tasks' results and the cleanup's summary files), never against the playbooks' variables or
the seed.
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
VERDICT = re.compile(
    r"^Demo OK: teardown previewed and deleted (?P<t_envs>\d+) environments? \(with (?P<t_clusters>\d+) Kafka clusters? "
    r"and (?P<t_env_connectors>\d+) connectors?\) and (?P<t_connectors>\d+) connectors?, kept (?P<t_kept_envs>\d+) "
    r"environments? and (?P<t_kept_accounts>\d+) service accounts?, re-run changed nothing; "
    r"cleanup previewed and deleted (?P<c_envs>\d+) environments? \(with (?P<c_clusters>\d+) Kafka clusters? and "
    r"(?P<c_env_connectors>\d+) connectors?\) and (?P<c_accounts>\d+) service accounts? \(with (?P<c_keys>\d+) API "
    r"keys?\), kept (?P<c_kept_envs>\d+) environments? and (?P<c_kept_accounts>\d+) service accounts?, re-run changed "
    r"nothing; the previews sent GET requests only$")


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


def inventory(state):
    """{key: (kind, deleting)}: environments -> clusters -> connectors, service accounts -> the API keys they own."""
    found = {}
    for env in state["environments"]:
        found[(env["id"],)] = ("environment", env["deleting"])
        for cluster in env["clusters"]:
            deleting = env["deleting"] or cluster.get("deleting", False)
            found[(env["id"], cluster["id"])] = ("cluster", deleting)
            for connector in cluster["connectors"]:
                found[(env["id"], cluster["id"], connector["name"])] = ("connector", deleting)
    for account in state["service_accounts"]:
        found[(account["id"],)] = ("service account", False)
        for key_id in account["api_keys"]:
            found[(account["id"], key_id)] = ("API key", False)
    return found


def gone(run):
    """{key: kind} of what was there (and not being deleted) before a run and gone or being deleted after it."""
    old, new = inventory(run["before"]), inventory(run["after"])
    return {key: kind for key, (kind, deleting) in old.items() if not deleting and (key not in new or new[key][1])}


def top_level(went):
    """The keys of went that are not inside another key of went."""
    return {key for key in went if not any(key[:size] in went for size in range(1, len(key)))}


def count(keys, went, kind):
    return sum(1 for key in keys if went[key] == kind)


def kept(before, after, kind):
    """How many top-level resources of a kind were there before and still are after."""
    old, new = inventory(before), inventory(after)
    return sum(1 for key, (found, deleting) in old.items()
               if found == kind and len(key) == 1 and not deleting and key in new and not new[key][1])


def changed(run):
    return [record for record in run["records"] if record["changed"]]


def deletes(run, carried_out=True):
    return [entry for entry in run["log"] if entry["method"] == "DELETE"
            and (not carried_out or entry["status"] in (200, 202, 204))]


def check_part(runs, preview, applied, again, numbers, prefix):
    """The checks both parts share; return (top-level keys that went, {key: kind} of what went, keys inside them)."""
    went = gone(runs[applied])
    top = top_level(went)
    inside = set(went) - top
    assert top and len(changed(runs[applied])) == len(top) == len(deletes(runs[applied])), (
        sorted(top), [record["result"] for record in changed(runs[applied])], deletes(runs[applied]))
    assert numbers[prefix + "clusters"] == count(inside, went, "cluster")
    assert numbers[prefix + "env_connectors"] == count(inside, went, "connector")
    assert numbers[prefix + "kept_envs"] == kept(runs[preview]["before"], runs[again]["after"], "environment")
    assert numbers[prefix + "kept_accounts"] == kept(runs[preview]["before"], runs[again]["after"], "service account")
    # The preview predicted as many changes as the apply made, and sent no DELETE; the re-run changed nothing.
    assert len(changed(runs[preview])) == len(top), "the preview predicted %d changes, the apply made %d" % (
        len(changed(runs[preview])), len(top))
    assert not deletes(runs[preview], carried_out=False) and not gone(runs[preview])
    assert not changed(runs[again]) and not deletes(runs[again]) and not gone(runs[again])
    return top, went, inside


def test_demo_end_to_end(venv, demo, tmp_path):
    result = subprocess.run([sys.executable, DEMO, "--venv", venv, "--work-dir", str(tmp_path)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300, check=False)
    lines = result.stdout.rstrip().splitlines()
    verdict = lines[-1] if lines else ""
    assert result.returncode == 0, result.stdout[-6000:]
    match = VERDICT.match(verdict)
    assert match, verdict
    for part in ("Teardown", "Cleanup"):
        for number in (1, 2, 3):
            assert "%s, run %d of 3" % (part, number) in result.stdout
    assert "$ %s kafkaops.confluent_cloud.cleanup " % os.path.join(os.path.relpath(venv, ROOT) if venv.startswith(ROOT)
                                                                   else venv, "bin", "ansible-playbook") in result.stdout
    assert len(re.findall(r"^  preview: +exit 0, .*\| simulator state unchanged( \||$)", result.stdout, re.MULTILINE)) == 2
    assert demo.DEMO_SECRET not in result.stdout
    assert os.listdir(os.path.join(str(tmp_path), "collections", "ansible_collections", "kafkaops")) == ["confluent_cloud"]

    # The numbers of the verdict, against what the simulator shows and what the tasks reported.
    with open(os.path.join(str(tmp_path), "demo-evidence.json"), encoding="utf-8") as handle:
        evidence = json.load(handle)
    numbers = dict((name, int(value)) for name, value in match.groupdict().items())

    teardown = evidence["teardown"]
    top, went, dummy = check_part(teardown, "preview", "teardown", "re-run", numbers, "t_")
    assert numbers["t_envs"] == count(top, went, "environment")
    assert numbers["t_connectors"] == count(top, went, "connector")
    assert len(top) == numbers["t_envs"] + numbers["t_connectors"], sorted(top)
    assert len(went) == len(top) + numbers["t_clusters"] + numbers["t_env_connectors"], sorted(went)

    cleanup = evidence["cleanup"]
    top, went, inside = check_part(cleanup, "preview", "apply", "re-run", numbers, "c_")
    assert numbers["c_envs"] == count(top, went, "environment")
    assert numbers["c_accounts"] == count(top, went, "service account")
    assert numbers["c_keys"] == count(inside, went, "API key")
    assert len(top) == numbers["c_envs"] + numbers["c_accounts"], sorted(top)
    assert len(went) == len(top) + numbers["c_clusters"] + numbers["c_env_connectors"] + numbers["c_keys"], sorted(went)
    # What the cleanup's summary files say, against the API and the state.
    for run, mode, done in (("preview", "preview", "would_delete"), ("apply", "apply", "deleted")):
        summary = cleanup[run]["summary"]
        assert summary["mode"] == mode
        listed = summary["environments"][done] + summary["service_accounts"][done]
        assert sorted(item["id"] for item in listed) == sorted(key[0] for key in top), (run, listed)
        along = [(env["id"], cluster["id"]) for env in summary["environments"][done] for cluster in env["kafka_clusters"]]
        along += [(env["id"], connector["kafka_cluster_id"], connector["name"])
                  for env in summary["environments"][done] for connector in env["connectors"]]
        along += [(account["id"], key["id"]) for account in summary["service_accounts"][done] for key in account["api_keys"]]
        assert sorted(along) == sorted(inside), (run, along)
        assert not summary["environments"]["failed"] and not summary["service_accounts"]["failed"]
    assert not cleanup["re-run"]["summary"]["environments"]["deleted"]
    assert not cleanup["re-run"]["summary"]["service_accounts"]["deleted"]
    # Only what the find tasks selected went.
    selected = {item["id"] for record in cleanup["apply"]["records"]
                for item in record["result"].get("environments", []) + record["result"].get("service_accounts", [])}
    assert {key[0] for key in went} <= selected, (sorted(went), sorted(selected))


# --------------------------------------------------------------------------- the checks, fed disagreeing cases

def records(*changed_keys):
    """Task results as the demo_results callback records them, for the keys given (changed)."""
    out = []
    for key in changed_keys:
        if len(key) == 1 and key[0].startswith("sa-"):
            result = {"changed": True, "service_account": {"id": key[0]}}
        elif len(key) == 1:
            result = {"changed": True, "environment": {"id": key[0]}}
        else:
            result = {"changed": True, "connector": {"environment_id": key[0], "kafka_cluster_id": key[1], "name": key[2]}}
        out.append({"task": "delete", "changed": True, "result": result})
    return out


def state(*environments, **accounts):
    """A /_sim/state answer: environments as (id, deleting, {cluster: [connector names]}); service accounts as
    keyword arguments (sa_id=[API key ids])."""
    def environment(env_id, deleting, clusters):
        return {"id": env_id, "display_name": env_id, "deleting": deleting,
                "clusters": [{"id": cluster, "connectors": [{"name": name} for name in names]}
                             for cluster, names in clusters.items()]}

    return {"environments": [environment(*spec) for spec in environments],
            "service_accounts": [{"id": account.replace("_", "-"), "display_name": account, "api_keys": keys}
                                 for account, keys in accounts.items()],
            "api_keys": [{"id": key, "owner": account.replace("_", "-"), "resource": "cloud"}
                         for account, keys in accounts.items() for key in keys]}


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


@pytest.mark.parametrize("changed_keys, log, after, expected", [
    pytest.param([("env-a", "lkc-a", "go")], LOG, AFTER, "the tasks reported", id="a-deletion-not-reported"),
    pytest.param([("env-a", "lkc-a", "go"), ("env-b",), ("env-c",)], LOG, AFTER, "the tasks reported",
                 id="reported-but-not-deleted"),
    pytest.param([("env-a", "lkc-a", "go"), ("env-b",)], LOG,
                 state(("env-a", False, {"lkc-a": ["keep", "go"]}), ("env-c", False, {})), "still there",
                 id="deleted-but-still-there"),
    pytest.param([("env-a", "lkc-a", "go"), ("env-b",)], LOG, state(("env-a", False, {"lkc-a": ["keep"]})),
                 "went without any task deleting it", id="gone-without-a-task"),
])
def test_demo_fails_when_results_api_and_state_disagree(demo, changed_keys, log, after, expected):
    dummy, problems = demo.check_deletions("teardown", records(*changed_keys), log, BEFORE, after)
    assert [problem for problem in problems if expected in problem], problems


def test_demo_fails_without_task_results(demo):
    dummy, problems = demo.check_deletions("teardown", None, LOG, BEFORE, AFTER)
    assert problems == ["teardown: no task results were recorded"]


# A cleanup: env-old (with a cluster and a connector) and sa-old (with two API keys) go; the rest stays.
C_BEFORE = state(("env-old", False, {"lkc-o": ["sink"]}), ("env-young", False, {}),
                 sa_old=["KEY1", "KEY2"], sa_young=["KEY3"], sa_keep=["KEY4"])
C_AFTER = state(("env-young", False, {}), sa_young=["KEY3"], sa_keep=["KEY4"])
C_LOG = [delete("/org/v2/environments/env-old", 204), delete("/iam/v2/service-accounts/sa-old", 204)]
C_GONE = {("env-old",), ("env-old", "lkc-o"), ("env-old", "lkc-o", "sink"), ("sa-old",), ("sa-old", "KEY1"),
          ("sa-old", "KEY2")}


def found(*ids):
    """The find tasks' results selecting ids."""
    return [{"task": "find", "changed": False, "result": {
        "environments": [{"id": item} for item in ids if item.startswith("env-")],
        "service_accounts": [{"id": item} for item in ids if item.startswith("sa-")]}}]


def previewed(env_contents=None, keys=("KEY1", "KEY2"), extra=()):
    """The preview's results: env-old with its contents, sa-old with its API keys, and extra keys."""
    env = records(("env-old",))[0]
    env["result"]["contents"] = env_contents or {"kafka_clusters": [{"id": "lkc-o"}],
                                                 "connectors": [{"name": "sink", "kafka_cluster_id": "lkc-o"}]}
    account = records(("sa-old",))[0]
    account["result"]["contents"] = {"api_keys": [{"id": key} for key in keys]}
    return [env, account] + records(*extra)


def summary(mode="apply", environments=None, accounts=None):
    """A cleanup summary file; by default the one of C_BEFORE -> C_AFTER."""
    done = "would_delete" if mode == "preview" else "deleted"
    environments = environments if environments is not None else [
        {"id": "env-old", "kafka_clusters": [{"id": "lkc-o"}], "connectors": [{"name": "sink", "kafka_cluster_id": "lkc-o"}]}]
    accounts = accounts if accounts is not None else [{"id": "sa-old", "api_keys": [{"id": "KEY1"}, {"id": "KEY2"}]}]
    return {"mode": mode, "environments": {done: environments, "already_gone": [], "failed": []},
            "service_accounts": {done: accounts, "already_gone": [], "failed": []}}


def test_cleanup_checks_agree_and_keys_go_with_their_service_account(demo):
    results = found("env-old", "sa-old") + records(("env-old",), ("sa-old",))
    deleted, problems = demo.check_deletions("cleanup", results, C_LOG, C_BEFORE, C_AFTER)
    assert problems == []
    assert deleted == {("env-old",), ("sa-old",)}
    assert demo.went(C_BEFORE, C_AFTER) == C_GONE
    assert demo.check_selection("cleanup", results, C_LOG, C_BEFORE, C_AFTER) == []
    assert demo.check_preview("preview", previewed(), "the apply", deleted, C_GONE) == []
    assert demo.check_summary("cleanup", "apply", summary(), results, C_LOG, C_BEFORE, C_AFTER) == []
    assert demo.check_summary("preview", "preview", summary("preview"), previewed(), [], C_BEFORE, C_BEFORE) == []
    lines, left, lost = demo.organisation_table(demo.resources(C_BEFORE), demo.resources(C_AFTER), deleted)
    assert not left and not lost
    assert [line.endswith(" deleted (with its service account)") for line in lines if "KEY" in line] == [
        True, True, False, False]
    assert demo.describe_deleted(deleted, demo.resources(C_BEFORE), demo.resources(C_AFTER)) == (
        "1 environment (with 1 Kafka cluster and 1 connector) and 1 service account (with 2 API keys)",
        "1 environment and 2 service accounts")


@pytest.mark.parametrize("changed_keys, log, after, expected", [
    pytest.param([("env-old",), ("sa-old",)], C_LOG, state(("env-young", False, {}), sa_keep=["KEY4"]),
                 "went without any task deleting it: {sa-young, sa-young/KEY3}", id="account-gone-without-a-task"),
    pytest.param([("env-old",), ("sa-old",)], C_LOG[:1],
                 state(("env-young", False, {}), sa_old=["KEY1", "KEY2"], sa_young=["KEY3"], sa_keep=["KEY4"]),
                 "the tasks reported", id="account-reported-changed-but-not-deleted"),
    pytest.param([("env-old",), ("sa-old",)], C_LOG + [delete("/iam/v2/api-keys/KEY4", 204)],
                 state(("env-young", False, {}), sa_young=["KEY3"], sa_keep=[]), "the tasks reported",
                 id="a-key-deleted-without-a-task"),
    pytest.param([("env-old",), ("sa-old",)], C_LOG + [delete("/iam/v2/identity-providers/op-1", 204)], C_AFTER,
                 "DELETE /iam/v2/identity-providers/op-1", id="an-unknown-delete"),
])
def test_cleanup_checks_fail_when_results_api_and_state_disagree(demo, changed_keys, log, after, expected):
    dummy, problems = demo.check_deletions("cleanup", records(*changed_keys), log, C_BEFORE, after)
    assert [problem for problem in problems if expected in problem], problems


def test_cleanup_fails_when_something_not_selected_goes(demo):
    results = found("env-old") + records(("env-old",), ("sa-old",))
    problems = demo.check_selection("cleanup", results, C_LOG, C_BEFORE, C_AFTER)
    assert problems == ["cleanup: deleted what its find tasks did not select: {sa-old}",
                        "cleanup: went, although its find tasks did not select it: {sa-old, sa-old/KEY1, sa-old/KEY2}"]


def test_cleanup_fails_when_a_selected_resource_has_no_task(demo):
    results = found("env-old", "sa-old") + records(("env-old",))
    problems = demo.check_selection("cleanup", results, C_LOG[:1], C_BEFORE, state(
        ("env-young", False, {}), sa_old=["KEY1", "KEY2"], sa_young=["KEY3"], sa_keep=["KEY4"]))
    assert problems == ["cleanup: selected, but no task deleted it: {sa-old}"]


@pytest.mark.parametrize("preview, expected", [
    pytest.param(previewed(extra=[("sa-young",)]), "predicted {env-old, sa-old, sa-young}", id="predicted-more"),
    pytest.param(previewed(keys=["KEY1"]), "not shown by the preview: {sa-old/KEY2}", id="a-key-not-previewed"),
    pytest.param(previewed(env_contents={"kafka_clusters": [{"id": "lkc-o"}], "connectors": []}),
                 "not shown by the preview: {env-old/lkc-o/sink}", id="a-connector-not-previewed"),
    pytest.param(previewed(keys=["KEY1", "KEY2", "KEY4"]), "shown but stayed: {sa-old/KEY4}", id="a-key-previewed-stayed"),
])
def test_cleanup_fails_when_the_preview_differs_from_the_apply(demo, preview, expected):
    problems = demo.check_preview("preview", preview, "the apply", {("env-old",), ("sa-old",)}, C_GONE)
    assert [problem for problem in problems if expected in problem], problems


@pytest.mark.parametrize("mode, written, expected", [
    pytest.param("apply", summary(accounts=[{"id": "sa-old", "api_keys": []}, {"id": "sa-young", "api_keys": []}]),
                 "the summary says it deleted {env-old, sa-old, sa-young}, the API deleted {env-old, sa-old}",
                 id="summary-lists-more-than-the-api-deleted"),
    pytest.param("apply", summary(accounts=[]), "the summary says it deleted {env-old}, the API deleted",
                 id="summary-misses-a-deletion"),
    pytest.param("apply", summary(accounts=[{"id": "sa-old", "api_keys": [{"id": "KEY1"}]}]),
                 "disagree on what went: the summary leaves out {sa-old/KEY2}", id="summary-misses-a-key"),
    pytest.param("preview", summary("preview", accounts=[{"id": "sa-old", "api_keys": [{"id": "KEY1"}, {"id": "KEY4"}]}]),
                 "the summary leaves out {sa-old/KEY2}; it lists {sa-old/KEY4}, which the tasks do not",
                 id="preview-summary-lists-another-key"),
    pytest.param("apply", summary("preview"), "the summary says mode 'preview', not 'apply'", id="summary-wrong-mode"),
    pytest.param("apply", None, "no summary file was written", id="no-summary-file"),
    pytest.param("apply", {"mode": "apply"}, "the summary file lacks", id="summary-without-lists"),
    pytest.param("preview", summary("preview", accounts=[]), "the summary would delete {env-old}, the tasks predicted",
                 id="preview-summary-differs-from-the-predictions"),
])
def test_cleanup_fails_when_its_summary_differs(demo, mode, written, expected):
    results = previewed() if mode == "preview" else records(("env-old",), ("sa-old",))
    log, after = ([], C_BEFORE) if mode == "preview" else (C_LOG, C_AFTER)
    problems = demo.check_summary("cleanup", mode, written, results, log, C_BEFORE, after)
    assert [problem for problem in problems if expected in problem], problems


def test_a_part_fails_when_it_deletes_none_of_a_kind_it_is_there_to_show(demo, capsys):
    cleanup = [part for part in demo.PARTS if part.name == "cleanup"][0]
    after = state(("env-young", False, {}), sa_old=["KEY1", "KEY2"], sa_young=["KEY3"], sa_keep=["KEY4"])
    runs = {"preview": {"before": C_BEFORE, "clock": None}, "apply": {"deleted": {("env-old",)}},
            "re-run": {"after": after}}
    problems, phrase = demo.report_part(cleanup, runs, [])
    assert problems == ["the cleanup deleted no service account, which it is there to show"]
    assert phrase == ("cleanup previewed and deleted 1 environment (with 1 Kafka cluster and 1 connector), kept "
                      "1 environment and 3 service accounts, re-run changed nothing")
    assert "environment env-old \"env-old\"" in capsys.readouterr().out

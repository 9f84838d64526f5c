# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""End to end: tools/demo.py (make demo) builds the collection, runs examples/teardown.yml and the cleanup playbook
three times each and says OK. make test runs this file as the step demo-test of tests/utils/ansible_test.sh
(`tests/utils/ansible_test.sh 2.21 demo-test`); make demo is the demo itself, for a user to watch.

The demo needs a virtual environment with ansible-core and requests. The first of these is used:
DEMO_VENV, .venv/demo (made by make demo), .venv/core-* (made by make test), the one holding ansible-playbook on PATH.
Without one the test fails: a demo that was never run proves nothing.

The test reads what the demo found in demo-evidence.json, which it writes: each tally (what went, what stayed) is
checked against the raw evidence kept beside it (the simulator's states before and after each run, its request log,
the tasks' results and the cleanup's summary files), never against the playbooks' variables or the seed. The
evidence checker itself is tested case by case in test_evidence.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from urllib.parse import unquote

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMO = os.path.join(ROOT, "tools", "demo.py")
DEMO_SECRET = "demo-secret"
MAX_LINES = 250


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


def inventory(state):
    """{key: (kind, deleting)}: environments -> clusters -> connectors and the ksqlDB clusters on each cluster, service
    accounts -> the API keys they own."""
    found = {}
    for env in state["environments"]:
        found[(env["id"],)] = ("environment", env["deleting"])
        for cluster in env["clusters"]:
            deleting = env["deleting"] or cluster.get("deleting", False)
            found[(env["id"], cluster["id"])] = ("cluster", deleting)
            for connector in cluster["connectors"]:
                found[(env["id"], cluster["id"], connector["name"])] = ("connector", deleting)
        for ksqldb in env["ksqldb_clusters"]:
            deleting = env["deleting"] or ksqldb["deleting"]
            found[(env["id"], ksqldb["kafka_cluster"], ksqldb["id"])] = ("ksqlDB cluster", deleting)
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


def changed_resources(run):
    """What the changed results name, each resource once (the cleanup previews what it deletes in the same run)."""
    return {json.dumps(record["result"].get(kind, {}).get("id") or record["result"].get(kind, {}).get("name"))
            for record in changed(run) for kind in ("environment", "service_account", "connector", "kafka_cluster")
            if kind in record["result"]}


def deletes(run, carried_out=True):
    return [entry for entry in run["log"] if entry["method"] == "DELETE"
            and (not carried_out or entry["status"] in (200, 202, 204))]


def topic_deletes(run):
    """The DELETEs of topics (Kafka REST), which the connectors deleted with delete_topics sent."""
    return [entry for entry in deletes(run) if entry["path"].startswith("/kafka/v3/")]


def topics_of(state):
    """{(cluster, topic name)} of a /_sim/state."""
    return {(cluster["id"], topic["name"]) for env in state["environments"] for cluster in env["clusters"]
            for topic in cluster.get("topics") or []}


def cascaded(run):
    """The DELETEs a cascade sent before its Kafka cluster's: of what the changed cluster results' contents list."""
    listed = {item.get("name") or item["id"] for record in changed(run) if "kafka_cluster" in record["result"]
              for kind in ("connectors", "ksqldb_clusters") for item in record["result"]["contents"][kind]}
    return [entry for entry in deletes(run) if unquote(entry["path"].partition("?")[0].rsplit("/", 1)[1]) in listed]


def check_part(part, preview, applied, again):
    """The checks both parts share, of a part of demo-evidence.json; return (top-level keys that went, {key: kind} of
    what went, keys inside them)."""
    runs, tally = part["runs"], part["tally"]
    assert part["problems"] == []
    went = gone(runs[applied])
    top = top_level(went)
    inside = set(went) - top
    assert top and len(changed_resources(runs[applied])) == len(top) == len(deletes(runs[applied])) - len(
        cascaded(runs[applied])) - len(topic_deletes(runs[applied])), (
        sorted(top), [record["result"] for record in changed(runs[applied])], deletes(runs[applied]))
    assert sorted(tuple(key) for key in runs[applied]["deleted"]) == sorted(top)
    assert sorted(tuple(key) for key in runs[preview]["predicted"]) == sorted(top)
    assert sum(tally["deleted"].values()) == len(top), (tally, sorted(top))
    in_environments = {key for key in inside if key[:1] in top}
    assert tally["along"]["environment"] == {"Kafka cluster": count(in_environments, went, "cluster"),
                                             "connector": count(in_environments, went, "connector"),
                                             "ksqlDB cluster": count(in_environments, went, "ksqlDB cluster")}
    assert tally["kept"] == {kind: kept(runs[preview]["before"], runs[again]["after"], kind)
                             for kind in ("environment", "service account")}
    # The preview predicted as many changes as the apply made, and sent no DELETE; the re-run changed nothing.
    assert len(changed_resources(runs[preview])) == len(top), "the preview predicted %d changes, the apply made %d" % (
        len(changed_resources(runs[preview])), len(top))
    assert not deletes(runs[preview], carried_out=False) and not gone(runs[preview])
    assert not changed(runs[again]) and not deletes(runs[again]) and not gone(runs[again])
    return top, went, inside


def test_demo_end_to_end(venv, tmp_path):
    result = subprocess.run([sys.executable, DEMO, "--venv", venv, "--work-dir", str(tmp_path)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300, check=False,
                            env=dict(os.environ, V=""))
    assert result.returncode == 0, result.stdout[-6000:]
    with open(os.path.join(str(tmp_path), "demo-evidence.json"), encoding="utf-8") as handle:
        evidence = json.load(handle)
    assert evidence["ok"] is True and evidence["problems"] == [], evidence["problems"]

    # What the demo prints: short, a verdict wrapped at 100 columns, no colour when not on a terminal, no secret.
    lines = result.stdout.rstrip().splitlines()
    assert len(lines) <= MAX_LINES, "make demo printed %d lines" % len(lines)
    verdict = lines[next(index for index, line in enumerate(lines) if line.startswith("Demo OK")):]
    assert verdict[0] == "Demo OK:" and all(len(line) <= 100 for line in verdict), verdict
    assert "\x1b[" not in result.stdout
    for part in ("Teardown", "Cleanup"):
        for number in (1, 2, 3):
            assert "%s, run %d of 3" % (part, number) in result.stdout
    assert "$ %s kafkaops.confluent_cloud.cleanup " % os.path.join(os.path.relpath(venv, ROOT) if venv.startswith(ROOT)
                                                                   else venv, "bin", "ansible-playbook") in result.stdout
    assert len(re.findall(r"^--> preview: +exit 0, .*\| simulator state unchanged( \||$)", result.stdout, re.MULTILINE)) == 2
    # The seed's credentials are shown once, for the reader to poke the simulator with; nowhere else (the demo itself
    # fails when a playbook's output, results or summary show the secret).
    assert [line for line in lines if DEMO_SECRET in line] == [
        line for line in lines if line.startswith("    the playbooks run with: export ")], result.stdout
    assert os.listdir(os.path.join(str(tmp_path), "collections", "ansible_collections", "kafkaops")) == ["confluent_cloud"]

    # What the demo found, against what the simulator shows and what the tasks reported.
    teardown = evidence["parts"]["teardown"]
    top, went, inside = check_part(teardown, "preview", "teardown", "re-run")
    assert teardown["tally"]["deleted"] == {"environment": count(top, went, "environment"),
                                            "Kafka cluster": count(top, went, "cluster"),
                                            "connector": count(top, went, "connector")}
    assert count(top, went, "environment") and count(top, went, "connector") and count(top, went, "cluster")
    # The cascade: the Kafka cluster's connectors, then its ksqlDB cluster, then the cluster went, in that order in
    # the simulator's log; its preview listed them.
    clusters = [key for key in top if went[key] == "cluster"]
    along = {key for key in inside if key[:2] in clusters}
    assert teardown["tally"]["along"]["Kafka cluster"] == {"connector": count(along, went, "connector"),
                                                           "ksqlDB cluster": count(along, went, "ksqlDB cluster")}
    assert count(along, went, "connector") >= 2 and count(along, went, "ksqlDB cluster") >= 1, sorted(along)
    order = [entry["path"].split("/")[1] for entry in deletes(teardown["runs"]["teardown"])
             if entry in cascaded(teardown["runs"]["teardown"]) or entry["path"].startswith("/cmk/")]
    assert order == ["connect"] * count(along, went, "connector") + ["ksqldbcm"] * count(
        along, went, "ksqlDB cluster") + ["cmk"] * len(clusters), order
    previewed = [record["result"]["contents"] for record in changed(teardown["runs"]["preview"])
                 if "kafka_cluster" in record["result"]]
    assert {(env, cluster, item.get("name") or item["id"]) for (env, cluster) in clusters for contents in previewed
            for kind in ("connectors", "ksqldb_clusters") for item in contents[kind]} == along

    # The connector deleted with delete_topics: the topics named after its ID went, each with one DELETE, as its preview
    # listed them and its result names them; every other topic of its cluster stayed.
    run = teardown["runs"]["teardown"]
    ids = {(cluster["id"], connector["id"]) for env in run["before"]["environments"] for cluster in env["clusters"]
           for connector in cluster["connectors"] if (env["id"], cluster["id"], connector["name"]) in top}
    named = {(cluster, name) for cluster, name in topics_of(run["before"])
             if any(name.endswith("-" + connector) and cluster == host for host, connector in ids)}
    assert named and not named & topics_of(run["after"]), (sorted(named), sorted(topics_of(run["after"])))
    assert topics_of(run["before"]) - named == topics_of(run["after"]) - named and topics_of(run["after"])
    assert sorted(entry["path"] for entry in topic_deletes(run)) == sorted(
        "/kafka/v3/clusters/%s/topics/%s" % key for key in named)
    reported = [name for record in changed(run) for name in record["result"].get("deleted_topics") or []]
    previewed = [name for record in changed(teardown["runs"]["preview"])
                 for name in (record["result"].get("contents") or {}).get("topics") or []]
    assert sorted(reported) == sorted(previewed) == sorted(name for _cluster, name in named)
    assert teardown["tally"]["along"]["connector"] == {"topic": len(named)}

    cleanup = evidence["parts"]["cleanup"]
    top, went, inside = check_part(cleanup, "preview", "apply", "re-run")
    # Inside an environment that it kept: a ci- Kafka cluster went with cascade, a FAILED ci- connector went, and a
    # RUNNING ci- connector stayed, by the simulator's states before and after the cycle.
    old, new = inventory(cleanup["runs"]["preview"]["before"]), inventory(cleanup["runs"]["re-run"]["after"])
    states = {(env["id"], cluster["id"], connector["name"]): connector.get("state")
              for env in cleanup["runs"]["preview"]["before"]["environments"] for cluster in env["clusters"]
              for connector in cluster["connectors"]}
    swept = {key for key in top if len(key) > 1}
    assert swept and all(key[:1] in new and not new[key[:1]][1] for key in swept), sorted(swept)
    assert {went[key] for key in swept} == {"cluster", "connector"}, sorted(swept)
    assert all(states[key] == "FAILED" for key in swept if went[key] == "connector")
    running = [key for key in old if old[key][0] == "connector" and key[:1] in {key[:1] for key in swept}
               and key[2].startswith("ci-") and states[key] == "RUNNING" and key[:2] not in swept]
    assert running and all(key in new for key in running), running
    assert cleanup["swept_inside"]
    assert cleanup["tally"]["deleted"] == {"environment": count(top, went, "environment"),
                                           "Kafka cluster": count(top, went, "cluster"),
                                           "connector": count(top, went, "connector"),
                                           "service account": count(top, went, "service account")}
    assert cleanup["tally"]["along"]["service account"] == {"API key": count(inside, went, "API key")}
    assert count(top, went, "service account") and count(inside, went, "API key")
    cleanup = cleanup["runs"]
    # What the cleanup's summary files say, against the API and the state.
    for run, mode, done in (("preview", "preview", "would_delete"), ("apply", "apply", "deleted")):
        summary = cleanup[run]["summary"]
        assert summary["mode"] == mode
        listed = [(item["id"],) for item in summary["environments"][done] + summary["service_accounts"][done]]
        listed += [(item["environment_id"], item["id"]) for item in summary["kafka_clusters"][done]]
        listed += [(item["environment_id"], item["kafka_cluster_id"], item["name"]) for item in summary["connectors"][done]]
        assert sorted(listed) == sorted(top), (run, listed)
        along = [(env["id"], cluster["id"]) for env in summary["environments"][done] for cluster in env["kafka_clusters"]]
        along += [(env["id"], connector["kafka_cluster_id"], connector["name"])
                  for env in summary["environments"][done] for connector in env["connectors"]]
        along += [(account["id"], key["id"]) for account in summary["service_accounts"][done] for key in account["api_keys"]]
        along += [(cluster["environment_id"], cluster["id"], item.get("name") or item["id"])
                  for cluster in summary["kafka_clusters"][done]
                  for item in cluster["connectors"] + cluster["ksqldb_clusters"]]
        assert sorted(along) == sorted(inside), (run, along)
        assert not any(summary[kind]["failed"] for kind in ("environments", "service_accounts", "kafka_clusters",
                                                            "connectors"))
    assert not cleanup["re-run"]["summary"]["environments"]["deleted"]
    assert not cleanup["re-run"]["summary"]["service_accounts"]["deleted"]
    assert not cleanup["re-run"]["summary"]["kafka_clusters"]["deleted"] and not cleanup["re-run"]["summary"]["connectors"]["deleted"]
    # Only what the find tasks selected went.
    selected = {item["id"] for record in cleanup["apply"]["records"]
                for item in record["result"].get("environments", []) + record["result"].get("service_accounts", [])}
    assert {key[0] for key in went} <= selected, (sorted(went), sorted(selected))
    assert all(key[-1].startswith(("ci-", "lksqlc-")) or went[key] != "connector" for key in went)


def test_demo_fails_when_it_cannot_set_up(tmp_path):
    """A venv without ansible-playbook: exit status 2 and a FAILED verdict, without colour off a terminal."""
    result = subprocess.run([sys.executable, DEMO, "--venv", str(tmp_path), "--work-dir", str(tmp_path)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60, check=False)
    assert result.returncode == 2, result.stdout
    assert result.stdout.startswith("Demo FAILED: ") and "has no bin/python" in " ".join(result.stdout.split()), result.stdout
    assert not os.path.exists(os.path.join(str(tmp_path), "demo-evidence.json"))

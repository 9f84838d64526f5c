# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secret hygiene: the API secret and the access token, given as options, through module_defaults and as
environment variables, in successful and failing tasks, at -vvvv and under ansible-runner, appear nowhere."""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

import rel_harness as h

ENV = "env-sec"
CLUSTER = "lkc-sec"
WRONG_SECRET = "rel-wrong-secret-Zk3pV7"
WRONG_TOKEN = "rel-wrong-token-Qm8sD2"
SECRETS = (h.API_SECRET, h.TOKEN, WRONG_SECRET, WRONG_TOKEN)
CONNECTORS = ["opt-secret", "opt-token", "md-secret", "md-token", "env-both", "wrong-secret", "wrong-token",
              "endless-500", "refused", "mixed", "exclusive", "check-diff", "retry", "env-secret", "env-fail",
              "env-wrong-token", "env-token", "env-token-fail", "newline"]


def connector(name, expect, **options):
    args = {"name": name, "environment_id": ENV, "kafka_cluster_id": CLUSTER, "state": "absent"}
    args.update(options)
    return {"name": "%s (expect %s)" % (name, expect), "kafkaops.confluent_cloud.confluent_connector": args,
            "ignore_errors": True, "register": "result_" + re.sub(r"\W", "_", name)}


# An API key of the cluster, for Kafka REST (its topics): its secret must stay as hidden as the Cloud API key's.
CLUSTER_KEY = "RELCLUSTERKEY"
CLUSTER_SECRET = "rel-cluster-secret-Wq4zX8"
WRONG_CLUSTER_SECRET = "rel-wrong-cluster-secret-Jm2cV5"
TOPIC_CONNECTOR = {"name": "with-topics", "id": "lcc-sectop"}
TOPICS = ["dlq-lcc-sectop", "error-lcc-sectop", "dlq-lcc-secgone", "orders"]


def seed():
    connectors = [{"name": n} for n in CONNECTORS] + [TOPIC_CONNECTOR]
    return {"credentials": h.CREDENTIALS + [{"api_key": CLUSTER_KEY, "api_secret": CLUSTER_SECRET}],
            "api_keys": [{"id": CLUSTER_KEY, "owner": "u-rel", "resource": CLUSTER}], "delete_delay": 0.5,
            "environments": [{"id": ENV, "clusters": [{"id": CLUSTER, "connectors": connectors, "topics": TOPICS}]},
                             {"id": "env-sec-named", "display_name": "secret hygiene"}]}


def faults():
    path = "^/connect/v1/environments/%s/clusters/%s/connectors/%%s$" % (ENV, CLUSTER)
    return [{"action": "respond", "status": 500, "count": -1, "path": path % "endless-500"},
            {"action": "respond", "status": 503, "count": -1, "path": path % "env-fail"},
            {"action": "respond", "status": 403, "path": path % "env-token-fail",
             "body": {"error": {"code": 403, "message": "Forbidden"}}},
            {"action": "respond", "status": 429, "path": path % "retry", "headers": {"Retry-After": "1"}}]


def main_playbook(endpoint, refused):
    """Credentials from options, module_defaults and (for env-both) the environment; successes and failures."""
    secret = {"api_key": h.API_KEY, "api_secret": h.API_SECRET}
    tasks = [
        connector("opt-secret", "changed", api_endpoint=endpoint, **secret),
        connector("opt-token", "changed", api_endpoint=endpoint, access_token=h.TOKEN),
        {"name": "credentials from module_defaults", "block": [
            connector("md-secret", "changed"),
        ], "module_defaults": {"group/kafkaops.confluent_cloud.all": dict(secret, api_endpoint=endpoint)}},
        {"name": "token from module_defaults", "block": [
            connector("md-token", "changed"),
            {"name": "environment by display name, waiting (expect changed)",
             "kafkaops.confluent_cloud.confluent_environment": {"display_name": "secret hygiene", "state": "absent",
                                                                "wait": True, "wait_timeout": 30},
             "register": "result_environment"},
        ], "module_defaults": {"group/kafkaops.confluent_cloud.all": {"access_token": h.TOKEN,
                                                                      "api_endpoint": endpoint}}},
        connector("env-both", "failed", api_endpoint=endpoint),
        connector("wrong-secret", "failed", api_endpoint=endpoint, api_key=h.API_KEY, api_secret=WRONG_SECRET),
        connector("wrong-token", "failed", api_endpoint=endpoint, access_token=WRONG_TOKEN),
        connector("endless-500", "failed", api_endpoint=endpoint, api_retries=1, **secret),
        connector("refused", "failed", api_endpoint=refused, api_retries=0, access_token=h.TOKEN),
        connector("..", "failed", api_endpoint=endpoint, **secret),
        connector("mixed", "changed", api_endpoint=endpoint, api_secret=h.API_SECRET),
        connector("exclusive", "failed", api_endpoint=endpoint, access_token=h.TOKEN, api_key=h.API_KEY),
        dict(connector("check-diff", "changed", api_endpoint=endpoint, **secret), check_mode=True, diff=True),
        connector("retry", "changed", api_endpoint=endpoint, **secret),
        {"name": "print every registered result", "ansible.builtin.debug": {"msg": "{{ lookup('ansible.builtin.vars', "
                                                                                   "*query('ansible.builtin.varnames', '^result_')) }}"}},
    ]
    return [{"name": "secret hygiene", "hosts": "localhost", "gather_facts": False, "tasks": tasks}]


def cluster_key_playbook(endpoint):
    """The cluster's credential as options, through module_defaults and from the environment; successes and a 401."""
    key = {"kafka_api_key": CLUSTER_KEY, "kafka_api_secret": CLUSTER_SECRET}
    cloud = {"api_key": h.API_KEY, "api_secret": h.API_SECRET, "api_endpoint": endpoint}
    topic = {"kafka_cluster_id": CLUSTER, "rest_endpoint": endpoint}
    tasks = [
        {"name": "connector with its topics, cluster key as options (expect changed)",
         "kafkaops.confluent_cloud.confluent_connector": dict(
             cloud, name=TOPIC_CONNECTOR["name"], environment_id=ENV, kafka_cluster_id=CLUSTER, delete_topics=True,
             state="absent", **key),
         "check_mode": True, "diff": True, "register": "result_connector_topics"},
        {"name": "cluster key from module_defaults", "block": [
            {"name": "orphans (expect ok)", "kafkaops.confluent_cloud.confluent_kafka_topic_info": dict(
                topic, environment_id=ENV, orphaned_connector_topics=True), "register": "result_orphans"},
        ], "module_defaults": {"group/kafkaops.confluent_cloud.all": dict(cloud, **key)}},
        {"name": "topic, cluster key from the environment (expect changed)",
         "kafkaops.confluent_cloud.confluent_kafka_topic": dict(topic, name="dlq-lcc-secgone", state="absent"),
         "environment": {"CONFLUENT_KAFKA_API_KEY": CLUSTER_KEY, "CONFLUENT_KAFKA_API_SECRET": CLUSTER_SECRET},
         "register": "result_topic"},
        {"name": "topic, wrong cluster secret (expect failed)",
         "kafkaops.confluent_cloud.confluent_kafka_topic": dict(
             topic, name="orders", state="absent", kafka_api_key=CLUSTER_KEY, kafka_api_secret=WRONG_CLUSTER_SECRET),
         "ignore_errors": True, "register": "result_wrong_cluster_secret"},
        {"name": "print every registered result", "ansible.builtin.debug": {"msg": "{{ lookup('ansible.builtin.vars', "
                                                                                   "*query('ansible.builtin.varnames', '^result_')) }}"}},
    ]
    return [{"name": "cluster key hygiene", "hosts": "localhost", "gather_facts": False, "tasks": tasks}]


def runner_playbook(names_expect):
    return [{"name": "AWX job template", "hosts": "localhost", "gather_facts": False,
             "tasks": [connector(name, expect, **options) for name, expect, options in names_expect]}]


EXPECTED_MAIN = {"opt-secret": "changed", "opt-token": "changed", "md-secret": "changed", "md-token": "changed",
                 "env-both": "failed", "wrong-secret": "failed", "wrong-token": "failed", "endless-500": "failed",
                 "refused": "failed", "..": "failed", "mixed": "changed", "exclusive": "failed",
                 "check-diff": "changed", "retry": "changed"}


def statuses(records):
    out = {}
    for record in records:
        if record["action"].endswith("confluent_connector"):
            out[record["task"].split(" (expect", 1)[0]] = record["status"]
    return out


def scan(paths_or_texts, forms):
    """Secrets found in each text: {label: [forms]} for the ones where something was found; and how many were searched."""
    found = {}
    for label, text in paths_or_texts:
        hits = h.find_secrets(text, forms)
        if hits:
            found[label] = hits
    return found, len(paths_or_texts)


@pytest.fixture(scope="module")
def secret_sim(collection):  # pylint: disable=unused-argument
    sim = h.Simulator(seed(), os.path.join(h.BUILD, "sim-secrets"))
    sim.add_faults(faults())
    yield sim
    sim.stop()


def test_secrets_playbook_vvvv(secret_sim, report, nodeid):
    env = {"CONFLUENT_CLOUD_API_KEY": h.API_KEY, "CONFLUENT_CLOUD_API_SECRET": h.API_SECRET,
           "CONFLUENT_CLOUD_ACCESS_TOKEN": h.TOKEN}
    refused = "http://127.0.0.1:%d" % h.free_port()
    run = h.run_playbook("secrets-vvvv", main_playbook(secret_sim.url, refused), h.local_inventory({"localhost": {}}),
                         forks=1, extra_env=env, args=["-vvvv"])
    texts = [("stdout", run.stdout), ("stderr", run.stderr)]
    texts += [("result of %s" % r["task"], json.dumps(r["result"])) for r in run.records]
    found, searched = scan(texts, h.secret_forms(*SECRETS))
    got = statuses(run.records)
    environment = [r for r in run.records if r["action"].endswith("confluent_environment")]
    failures = sum(1 for status in got.values() if status == "failed")
    report.add("secrets", nodeid, ["ansible-playbook -vvvv", "options, module_defaults, environment variables",
                                   "%d (%d)" % (len(got) + len(environment), failures), searched,
                                   sum(len(v) for v in found.values())],
               secrets=sum(len(v) for v in found.values()), searched=searched, module_runs=len(got) + 1,
               tracebacks=sum(1 for r in run.module_records() if h.traceback_signs(r["result"])))
    assert not found, found
    assert got == EXPECTED_MAIN
    assert [r["status"] for r in environment] == ["changed"]
    assert not [r["task"] for r in run.module_records() if h.traceback_signs(r["result"])]
    assert "Both CONFLUENT_CLOUD_ACCESS_TOKEN and" in [r for r in run.records if r["task"].startswith("env-both")][0][
        "result"]["msg"]


def runner_job(name, envvars, names_expect, sim):
    """An AWX-style job: ansible-runner with the credential injected as env/envvars."""
    work = os.path.join(h.BUILD, "runner", name)
    shutil.rmtree(work, ignore_errors=True)
    for sub in ("project", "env", "inventory", "tmp"):
        os.makedirs(os.path.join(work, sub))
    h.write_json(os.path.join(work, "project", "job.yml"), runner_playbook(names_expect))
    h.write_json(os.path.join(work, "env", "envvars"), dict(envvars, CONFLUENT_CLOUD_API_ENDPOINT=sim.url))
    with open(os.path.join(work, "inventory", "hosts"), "w", encoding="utf-8") as handle:
        handle.write("localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable)
    env = h.clean_environment({"ANSIBLE_COLLECTIONS_PATH": h.COLLECTIONS, "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
                               "ANSIBLE_LOCALHOST_WARNING": "false", "ANSIBLE_NOCOLOR": "true",
                               "ANSIBLE_LOCAL_TEMP": os.path.join(work, "tmp"),
                               "ANSIBLE_REMOTE_TEMP": os.path.join(work, "tmp"),
                               "TMPDIR": os.path.join(work, "tmp")})
    env["PATH"] = h.BIN + os.pathsep + env.get("PATH", "")
    proc = subprocess.run([os.path.join(h.BIN, "ansible-runner"), "run", work, "-p", "job.yml", "--ident", "job",
                           "-vvvv"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=300, check=False)
    artifacts = os.path.join(work, "artifacts", "job")
    events = []
    for path in sorted(glob.glob(os.path.join(artifacts, "job_events", "*.json"))):
        with open(path, encoding="utf-8") as handle:
            events.append((os.path.relpath(path, work), handle.read()))
    files = []
    for path in ("stdout", "stderr", "status", "rc"):
        full = os.path.join(artifacts, path)
        if os.path.exists(full):
            with open(full, encoding="utf-8") as handle:
                files.append(("artifacts/job/" + path, handle.read()))
    return proc, events, files


RUNNER_JOBS = {
    "runner-api-key": ({"CONFLUENT_CLOUD_API_KEY": h.API_KEY, "CONFLUENT_CLOUD_API_SECRET": h.API_SECRET}, [
        ("env-secret", "changed", {}),
        ("env-fail", "failed", {"api_retries": 1}),
        ("env-wrong-token", "failed", {"access_token": WRONG_TOKEN}),
    ]),
    "runner-token": ({"CONFLUENT_CLOUD_ACCESS_TOKEN": h.TOKEN}, [
        ("env-token", "changed", {}),
        ("env-token-fail", "failed", {}),
    ]),
}


@pytest.mark.parametrize("job", list(RUNNER_JOBS))
def test_secrets_ansible_runner(job, secret_sim, report, nodeid):
    envvars, names_expect = RUNNER_JOBS[job]
    proc, events, files = runner_job(job, envvars, names_expect, secret_sim)
    found, searched = scan(events + files + [("ansible-runner output", proc.stdout)], h.secret_forms(*SECRETS))
    got = {}
    for label, text in events:
        event = json.loads(text)
        if event.get("event") in ("runner_on_ok", "runner_on_failed"):
            task = event["event_data"].get("task", "").split(" (expect", 1)[0]
            res = event["event_data"].get("res") or {}
            got[task] = "failed" if event["event"] == "runner_on_failed" else (
                "changed" if res.get("changed") else "ok")
    report.add("secrets", nodeid, ["ansible-runner -vvvv (%s)" % job, "env/envvars: " + ", ".join(sorted(envvars)),
                                   "%d (%d)" % (len(got), sum(1 for s in got.values() if s == "failed")),
                                   "%d job events + stdout, stderr, status, rc" % len(events), sum(map(len, found.values()))],
               secrets=sum(len(v) for v in found.values()), searched=searched, module_runs=len(got))
    assert not found, found
    assert events, proc.stdout[-2000:]
    assert got == {name: expect for name, expect, options in names_expect}, (got, proc.stdout[-2000:])


def test_cluster_secret_never_printed_vvvv(secret_sim, report, nodeid):
    run = h.run_playbook("secrets-cluster-vvvv", cluster_key_playbook(secret_sim.url),
                         h.local_inventory({"localhost": {}}), forks=1, args=["-vvvv"])
    texts = [("stdout", run.stdout), ("stderr", run.stderr)]
    texts += [("result of %s" % r["task"], json.dumps(r["result"])) for r in run.records]
    found, searched = scan(texts, h.secret_forms(CLUSTER_SECRET, WRONG_CLUSTER_SECRET, h.API_SECRET))
    got = {r["task"]: r["status"] for r in run.module_records()}
    report.add("secrets", nodeid, ["ansible-playbook -vvvv", "cluster API key: options, module_defaults, environment",
                                   "%d (1)" % len(got), searched, sum(len(v) for v in found.values())],
               secrets=sum(len(v) for v in found.values()), searched=searched, module_runs=len(got),
               tracebacks=sum(1 for r in run.module_records() if h.traceback_signs(r["result"])))
    assert not found, found
    assert sorted(got.values()) == ["changed", "changed", "failed", "ok"], got


def test_token_with_trailing_newline_is_never_printed(secret_sim, report, nodeid):
    """A token read from a file or a vault often ends with a newline; it must neither break the task nor show."""
    plays = [{"name": "token read from a file", "hosts": "localhost", "gather_facts": False, "tasks": [
        connector("newline", "changed", api_endpoint=secret_sim.url, access_token=h.TOKEN + "\n")]}]
    run = h.run_playbook("secrets-newline", plays, h.local_inventory({"localhost": {}}), forks=1, args=["-vvvv"])
    texts = [("stdout", run.stdout), ("stderr", run.stderr)]
    texts += [("result", json.dumps(r["result"])) for r in run.records]
    found, searched = scan(texts, h.secret_forms(h.TOKEN, h.TOKEN + "\n"))
    records = run.module_records()
    signs = h.traceback_signs(records[0]["result"]) if records else ["no result"]
    report.add("secrets", nodeid, ["ansible-playbook -vvvv, access_token with a trailing newline", "options",
                                   "1 (%d)" % sum(1 for r in records if r["status"] == "failed"), searched,
                                   sum(map(len, found.values()))],
               secrets=sum(len(v) for v in found.values()), searched=searched, module_runs=1,
               tracebacks=1 if signs else 0)
    assert not signs, signs
    assert not found, found
    assert [r["status"] for r in records] == ["changed"], records

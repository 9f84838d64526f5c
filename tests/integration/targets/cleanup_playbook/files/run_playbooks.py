"""Runs the cleanup playbook and the guide's playbook against the simulator and checks its state and request log.

Each check compares what a run reports with what the simulator held before and holds after, never with the seed. The
preview, apply and re-run of the cleanup, and the guide's check-mode run and apply, are also judged by the evidence
checker of make demo (tests/support/evidence.py): the preview predicted what was then deleted, the tasks' reported
changes match the DELETEs the API carried out and what left the organisation, the re-run changes nothing.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

COLLECTION = os.path.join(os.environ["ANSIBLE_COLLECTIONS_PATH"].split(os.pathsep)[0], "ansible_collections",
                          "kafkaops", "confluent_cloud")
sys.path[:0] = [os.path.join(COLLECTION, "tests", "simulator"), os.path.join(COLLECTION, "tests")]

# pylint: disable=wrong-import-position
from confluent_sim import Simulator  # noqa: E402
from support import evidence  # noqa: E402
from support.playbook import collection_results, run_playbook  # noqa: E402

API_KEY = "CLEANKEY"
API_SECRET = "clean-secret-Mf7xQ2vL"
HOUR = 3600
WORK = tempfile.mkdtemp(prefix="cleanup-playbook-")


def seed():
    def connectors(prefix, count):
        return [{"name": "%s-%d" % (prefix, n), "state": "RUNNING" if n else "FAILED"} for n in range(count)]

    return {
        "credentials": [{"api_key": API_KEY, "api_secret": API_SECRET}],
        "delete_delay": 1.5,
        "environments": [
            {"id": "env-ci-1", "display_name": "ci-build-1", "age": 30 * HOUR, "clusters": [
                {"id": "lkc-ci-1", "display_name": "ci-kafka", "connectors": connectors("ci-conn", 2)},
                {"id": "lkc-ci-2", "display_name": "ci-kafka-2"}]},
            {"id": "env-ci-2", "display_name": "ci-build-2", "age": 26 * HOUR},
            {"id": "env-ci-young", "display_name": "ci-build-3", "age": 2 * HOUR},
            {"id": "env-ci-mid", "display_name": "ci-build-4", "age": 8 * HOUR},
            {"id": "env-prod", "display_name": "production", "age": 100 * HOUR,
             "clusters": [{"id": "lkc-prod", "display_name": "orders", "connectors": connectors("orders", 1)}]},
            {"id": "env-not-ci", "display_name": "my-ci-env", "age": 40 * HOUR},
        ],
        "service_accounts": [
            {"id": "sa-ci-old", "display_name": "ci-runner-1", "age": 48 * HOUR},
            {"id": "sa-ci-young", "display_name": "ci-runner-2", "age": 1 * HOUR},
            {"id": "sa-orders", "display_name": "orders-app", "age": 100 * HOUR},
            {"id": "sa-ops", "display_name": "ops-cleanup", "age": 100 * HOUR},
        ],
        "api_keys": [
            {"id": "CIKEY1", "owner": "sa-ci-old", "resource": "lkc-ci-1"},
            {"id": "CIKEY2", "owner": "sa-ci-old", "resource": "cloud"},
            {"id": "ORDERSKEY", "owner": "sa-orders", "resource": "lkc-prod"},
            {"id": API_KEY, "owner": "sa-ops", "resource": "cloud"},
        ],
    }


class Run:
    def __init__(self, completed, summary):
        self.rc = completed.returncode
        self.output = completed.stdout
        self.summary = summary
        # The results of the collection's tasks (the task_results callback of tests/support), None if none were written.
        self.records = collection_results(completed.records)


def playbook(sim, target, *extra, **variables):
    """ansible-playbook TARGET with -e for each variable; the summary file's content, if written."""
    stamp = time.monotonic_ns()
    summary_file = os.path.join(WORK, "summary-%d.json" % stamp)
    variables.setdefault("cleanup_summary_file", summary_file)
    command = ["ansible-playbook", target, "-e", json.dumps(variables)] + list(extra)
    env = dict(os.environ, CONFLUENT_CLOUD_API_KEY=API_KEY, CONFLUENT_CLOUD_API_SECRET=API_SECRET,
               CONFLUENT_CLOUD_API_ENDPOINT=sim.url, ANSIBLE_NOCOLOR="1")
    completed = run_playbook(command, env, os.path.join(WORK, "results-%d.json" % stamp))
    summary = None
    if os.path.exists(summary_file):
        with open(summary_file, encoding="utf-8") as handle:
            summary = json.load(handle)
    print("$ %s -> %d" % (" ".join(command), completed.returncode))
    return Run(completed, summary)


def judged(sim, name, mode, before, run, deletes, summary=True):
    """The run's evidence (evidence.capture), after the evidence checker found no problem with it."""
    captured = evidence.capture(before, sim.state(), sim.log(), run.records,
                                run.summary if summary else evidence.NO_SUMMARY)
    problems = evidence.check_run(name, mode, captured, deletes)
    expect(not problems, "; ".join(problems), run)
    return captured


def judged_cycle(name, preview, applied, last):
    problems = evidence.check_cycle(name, preview, applied, last)
    expect(not problems, "; ".join(problems))
    print("evidence: %s previewed and deleted %s, nothing else went" % (name, evidence.describe_keys(applied["deleted"])))


def expect(condition, message, run=None):
    if not condition:
        if run is not None:
            print(run.output[-6000:])
        raise AssertionError(message)


def held(sim):
    """What the simulator holds, leaving out what it is already deleting."""
    state = sim.state()
    environments = {env["id"]: env for env in state["environments"] if not env["deleting"]}
    return environments, {sa["id"]: sa for sa in state["service_accounts"]}, {k["id"]: k for k in state["api_keys"]}


def selected(sim, pattern, older_than_seconds):
    """The IDs the playbook should select, from the simulator's own names and creation times."""
    environments, accounts, dummy = held(sim)

    def old(resource):
        created = time.mktime(time.strptime(resource["created_at"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
        return time.time() - created > older_than_seconds

    return (sorted(i for i, env in environments.items() if re.search(pattern, env["display_name"]) and old(env)),
            sorted(i for i, sa in accounts.items() if re.search(pattern, sa["display_name"]) and old(sa)))


def deletes(sim):
    return [entry["path"] for entry in sim.log() if entry["method"] == "DELETE"]


def ids(entries):
    return sorted(entry["id"] for entry in entries)


def check_bad_input(sim):
    """Each bad variable is refused before any request, in a message that names the variable the user set."""
    cases = [
        ({}, "cleanup_display_name_regex is required"),
        ({"cleanup_display_name_regex": "  "}, "cleanup_display_name_regex is required"),
        ({"cleanup_display_name_regex": "^ci-", "cleanup_max": 0}, "cleanup_max must be a whole number of at least 1"),
        ({"cleanup_display_name_regex": "^ci-", "cleanup_max": "lots"}, "cleanup_max must be a whole number"),
        ({"cleanup_display_name_regex": "ci-[("}, "cleanup_display_name_regex is not a valid regular expression"),
        ({"cleanup_display_name_regex": "^ci-", "cleanup_exclude_regex": "[("},
         "cleanup_exclude_regex is not a valid regular expression"),
        ({"cleanup_display_name_regex": "^ci-", "cleanup_older_than": "2 weeks"}, "cleanup_older_than must be a number"),
        ({"cleanup_display_name_regex": "^ci-", "cleanup_apply": "ture"},
         "cleanup_apply must be true or false, got 'ture'"),
        ({"cleanup_display_name_regex": ["^ci-"]}, "cleanup_display_name_regex must be a string, got a list"),
        ({"cleanup_display_name_regex": "^ci-", "cleanup_aply": True},
         "cleanup_aply is not a variable of the cleanup (did you mean cleanup_apply?)"),
        ({"cleanup_display_name_regex": "^ci-", "cleanup_connectors": True, "cleanup_connector_states": ["FIALED"]},
         "cleanup_connector_states must list connector states, each one of NONE, PROVISIONING, RUNNING"),
        ({"cleanup_display_name_regex": "^ci-", "cleanup_connectors": True, "cleanup_connector_states": "FAILED,BROKEN"},
         "got 'BROKEN', which it does not know"),
        ({"cleanup_display_name_regex": "^ci-", "cleanup_kafka_clusters": "ture"},
         "cleanup_kafka_clusters must be true or false, got 'ture'"),
        ({"cleanup_display_name_regex": "^ci-", "cleanup_conectors": True},
         "cleanup_conectors is not a variable of the cleanup (did you mean cleanup_connectors?)"),
    ] + [({"cleanup_display_name_regex": pattern, "cleanup_apply": True},
          "cleanup_display_name_regex %r matches every display name" % pattern)
         for pattern in (".*", "^", "x*", "(?:)", ".")]
    for variables, message in cases:
        sim.clear_log()
        run = playbook(sim, "kafkaops.confluent_cloud.cleanup", **variables)
        expect(run.rc != 0, "bad input %r was accepted" % variables, run)
        expect(message in run.output, "bad input %r: no message %r" % (variables, message), run)
        expect("Nothing was deleted." in run.output,
               "bad input %r: the message does not say that nothing was deleted" % variables, run)
        expect(sim.log() == [], "bad input %r sent requests: %r" % (variables, sim.log()), run)
        expect("Traceback" not in run.output, "traceback for %r" % variables, run)
    print("bad input: %d cases refused before any request" % len(cases))


def check_preview(sim, expected):
    """The preview; its evidence."""
    before, state = held(sim), sim.state()
    sim.clear_log()
    run = playbook(sim, "kafkaops.confluent_cloud.cleanup", "-vvvv", cleanup_display_name_regex="^ci-")
    expect(run.rc == 0, "the preview failed", run)
    expect(API_SECRET not in run.output, "the API secret appears in the -vvvv output", run)
    summary = run.summary
    expect(summary["mode"] == "preview", "mode %r" % summary["mode"], run)
    expect(ids(summary["environments"]["would_delete"]) == expected[0], "environments %r" % summary, run)
    expect(ids(summary["service_accounts"]["would_delete"]) == expected[1], "service accounts %r" % summary, run)
    expect(deletes(sim) == [], "the preview sent DELETE requests: %r" % deletes(sim), run)
    expect(held(sim) == before, "the preview changed the simulator's state", run)
    environments, accounts, dummy = before
    for entry in summary["environments"]["would_delete"]:
        clusters = environments[entry["id"]]["clusters"]
        expect(ids(entry["kafka_clusters"]) == ids(clusters), "clusters of %s: %r" % (entry["id"], entry), run)
        names = sorted(c["name"] for cluster in clusters for c in cluster["connectors"])
        expect(sorted(c["name"] for c in entry["connectors"]) == names, "connectors of %s" % entry["id"], run)
    for entry in summary["service_accounts"]["would_delete"]:
        expect(ids(entry["api_keys"]) == sorted(accounts[entry["id"]]["api_keys"]), "keys of %s" % entry["id"], run)
    captured = judged(sim, "cleanup (preview)", "preview", state, run, "none")
    print("preview: %s and %s would go, nothing deleted" % expected)
    return captured


def check_preview_output(sim):
    """A 5-resource preview stays readable: one line per resource, a count line, how to delete."""
    five = selected(sim, "^ci-", 90 * 60)
    expect(len(five[0]) + len(five[1]) == 5, "the seed should hold 5 resources older than 90m: %r" % (five,))
    sim.clear_log()
    run = playbook(sim, "kafkaops.confluent_cloud.cleanup", cleanup_display_name_regex="^ci-",
                   cleanup_older_than="90m")
    lines = run.output.splitlines()
    expect(run.rc == 0 and len(lines) <= 80, "the 5-resource preview printed %d lines" % len(lines), run)
    for resource_id in five[0] + five[1]:
        expect(sum(1 for line in lines if resource_id + " (" in line) == 1, "%s is not one line" % resource_id, run)
    expect("would delete 4 environments, 1 service account; 0 failed; 0 kept" in run.output, "no count line", run)
    expect("Nothing was deleted; add -e cleanup_apply=true to delete these 5 resources." in run.output,
           "the preview does not say how to delete", run)
    expect(deletes(sim) == [], "the preview deleted %r" % deletes(sim), run)
    print("preview output: 5 resources in %d lines" % len(lines))
    run = playbook(sim, "kafkaops.confluent_cloud.cleanup", cleanup_display_name_regex="^ci-",
                   cleanup_older_than="90m", cleanup_kafka_clusters=True, cleanup_connectors=True)
    inside = run.output.splitlines()
    expect(run.rc == 0 and len(inside) <= 80, "with the sweeps inside, the preview printed %d lines" % len(inside), run)
    expect(deletes(sim) == [], "the preview deleted %r" % deletes(sim), run)
    print("preview output, with the sweeps inside on: %d lines" % len(inside))


def check_cap(sim, expected):
    sim.clear_log()
    count = len(expected[0]) + len(expected[1])
    run = playbook(sim, "kafkaops.confluent_cloud.cleanup", cleanup_display_name_regex="^ci-", cleanup_max=count)
    expect(run.rc == 0, "a selection of exactly cleanup_max was refused", run)
    run = playbook(sim, "kafkaops.confluent_cloud.cleanup", cleanup_display_name_regex="^ci-", cleanup_apply=True,
                   cleanup_max=count - 1)
    expect(run.rc != 0, "a selection above cleanup_max was not refused", run)
    expect("The selection holds %d resources" % count in run.output, "the refusal does not name the count", run)
    expect(deletes(sim) == [], "the refused run deleted something", run)
    print("cap: %d resources accepted at cleanup_max %d and refused at %d, nothing deleted" % (count, count, count - 1))


def check_apply(sim, expected):
    """The apply, under a rate limit; its evidence."""
    environments, accounts, keys = held(sim)
    state = sim.state()
    doomed_keys = sorted(k for k, key in keys.items() if key["owner"] in expected[1])
    sim.configure({"rate_limit": {"limit": 3, "window": 1}})
    sim.clear_log()
    run = playbook(sim, "kafkaops.confluent_cloud.cleanup", cleanup_display_name_regex="^ci-", cleanup_apply=True)
    sim.configure({"rate_limit": {"limit": 0, "window": 1}})
    expect(run.rc == 0, "the cleanup failed under 3 requests/s", run)
    after = held(sim)
    expect(sorted(after[0]) == sorted(set(environments) - set(expected[0])), "environments left: %r" % sorted(after[0]), run)
    expect(sim.environment_ids() == sorted(after[0], key=sim.environment_ids().index),
           "deleted environments are still being deleted after the wait", run)
    expect(sorted(after[1]) == sorted(set(accounts) - set(expected[1])), "accounts left: %r" % sorted(after[1]), run)
    expect(sorted(after[2]) == sorted(set(keys) - set(doomed_keys)), "keys left: %r" % sorted(after[2]), run)
    summary = run.summary
    expect(summary["mode"] == "apply", "mode %r" % summary["mode"], run)
    expect(ids(summary["environments"]["deleted"]) == expected[0], "summary %r" % summary, run)
    expect(ids(summary["service_accounts"]["deleted"]) == expected[1], "summary %r" % summary, run)
    expect(summary["environments"]["failed"] == [] and summary["service_accounts"]["failed"] == [], "failures", run)
    targets = sorted(path.split("?")[0].rsplit("/", 1)[1] for path in deletes(sim))
    expect(targets == sorted(expected[0] + expected[1]), "DELETE requests for %r" % targets, run)
    throttled = sum(1 for entry in sim.log() if entry["status"] == 429)
    captured = judged(sim, "cleanup (apply)", "apply", state, run, "any")
    print("apply: deleted %s and %s under 3 requests/s (%d answers of 429)" % (expected[0], expected[1], throttled))
    return captured


def check_again(sim):
    """The re-run; its evidence."""
    state = sim.state()
    sim.clear_log()
    run = playbook(sim, "kafkaops.confluent_cloud.cleanup", cleanup_display_name_regex="^ci-", cleanup_apply=True)
    expect(run.rc == 0, "the second run failed", run)
    expect(deletes(sim) == [], "the second run deleted %r" % deletes(sim), run)
    expect(run.summary["environments"]["deleted"] == [] and run.summary["service_accounts"]["deleted"] == [],
           "the second run reports deletions", run)
    expect(re.search(r"localhost +: ok=\d+ +changed=0 ", run.output), "the second run reports a change", run)
    captured = judged(sim, "cleanup (re-run)", "again", state, run, "none")
    print("again: nothing left to delete")
    return captured


def categorized_once(summary, selection_ids, run):
    """Every selected or kept resource is in exactly one category of the summary."""
    for kind in ("environments", "service_accounts"):
        listed = [entry["id"] for entries in summary[kind].values() for entry in entries]
        expect(sorted(listed) == sorted(set(listed)), "%s listed twice in %s" % (listed, kind), run)
    listed = [entry["id"] for kind in ("environments", "service_accounts") for entries in summary[kind].values()
              for entry in entries]
    expect(sorted(listed) == sorted(selection_ids), "summary lists %r, selection %r" % (listed, selection_ids), run)


def check_own_credential_and_exclude(sim):
    """The account that owns the run's own key matches the pattern: it is kept, the rest goes, no 401 is answered."""
    sim.load_seed(seed())
    environments, accounts, keys = held(sim)
    own_owner = keys[API_KEY]["owner"]
    pattern = "^(ci|ops)-"
    chosen = selected(sim, pattern, 24 * HOUR)
    expect(own_owner in chosen[1], "the pattern should match the owner of the run's key")
    excluded = [env for env in chosen[0] if environments[env]["display_name"] == "ci-build-2"]
    run = playbook(sim, "kafkaops.confluent_cloud.cleanup", cleanup_display_name_regex=pattern,
                   cleanup_exclude_regex="^ci-build-2$")
    expect(run.rc == 0 and "kept service account %s" % own_owner in run.output, "the preview does not keep it", run)
    expect("owns the API key %s that this run authenticates with" % API_KEY in run.output, "no reason given", run)
    sim.clear_log()
    run = playbook(sim, "kafkaops.confluent_cloud.cleanup", cleanup_display_name_regex=pattern,
                   cleanup_exclude_regex="^ci-build-2$", cleanup_apply=True)
    expect(run.rc == 0, "the cleanup failed", run)
    summary = run.summary
    expect(ids(summary["service_accounts"]["kept"]) == [own_owner], "kept: %r" % summary["service_accounts"], run)
    expect(ids(summary["environments"]["kept"]) == excluded, "kept: %r" % summary["environments"], run)
    expect(ids(summary["service_accounts"]["deleted"]) == sorted(set(chosen[1]) - {own_owner}), "deleted", run)
    expect(ids(summary["environments"]["deleted"]) == sorted(set(chosen[0]) - set(excluded)), "deleted", run)
    categorized_once(summary, chosen[0] + chosen[1], run)
    after = held(sim)
    expect(own_owner in after[1] and API_KEY in after[2], "the run's own key or its owner is gone", run)
    expect(all(env in after[0] for env in excluded), "an excluded environment is gone", run)
    expect(not any(entry["status"] == 401 for entry in sim.log()), "a request was answered 401", run)
    went = (len(chosen[0]) - len(excluded), len(chosen[1]) - 1)
    count_line = "deleted %d environment%s, %d service account%s; 0 failed; 2 kept" % (
        went[0], "" if went[0] == 1 else "s", went[1], "" if went[1] == 1 else "s")
    expect(summary["message"] == count_line and count_line in run.output, "no count line %r" % count_line, run)
    print("own credential: %s kept with its key, %s kept by cleanup_exclude_regex, the rest deleted, no 401"
          % (own_owner, excluded))


def check_wait_runs_out(sim):
    """An accepted deletion whose wait runs out is still being deleted, not failed, and listed once."""
    sim.load_seed(seed())
    # The simulator's clock decides when a deletion ends: it stays pending until the clock passes an hour.
    sim.configure({"delete_delay": 3600})
    chosen = selected(sim, "^ci-", 24 * HOUR)
    run = playbook(sim, "kafkaops.confluent_cloud.cleanup", cleanup_display_name_regex="^ci-", cleanup_apply=True,
                   cleanup_wait_timeout=1)
    sim.configure({"delete_delay": 1.5})
    expect(run.rc == 0, "an accepted deletion whose wait ran out failed the run", run)
    summary = run.summary
    expect(ids(summary["environments"]["still_deleting"]) == chosen[0], "still deleting: %r" % summary, run)
    expect(all("wait_timeout" in entry["msg"] for entry in summary["environments"]["still_deleting"]), "msg", run)
    expect(summary["environments"]["failed"] == [] and summary["environments"]["deleted"] == [], "categories", run)
    categorized_once(summary, chosen[0] + chosen[1], run)
    deleting = [env["id"] for env in sim.state()["environments"] if env["deleting"]]
    expect(all(env in deleting for env in chosen[0]), "the environments are not being deleted", run)
    print("wait ran out: %s still being deleted, not failed" % chosen[0])


def check_failure_is_summarized(sim):
    sim.load_seed(seed())
    expected = selected(sim, "^ci-", 24 * HOUR)
    sim.add_faults({"action": "respond", "method": "DELETE", "path": "^/iam/v2/service-accounts/sa-ci-old$",
                    "status": 403, "body": {"errors": [{"status": "403", "title": "Forbidden",
                                                        "detail": "Not allowed to delete this service account"}]}})
    run = playbook(sim, "kafkaops.confluent_cloud.cleanup", cleanup_display_name_regex="^ci-", cleanup_apply=True)
    expect(run.rc != 0, "a failed deletion did not fail the play", run)
    failed = run.summary["service_accounts"]["failed"]
    expect(ids(failed) == ["sa-ci-old"] and "Not allowed to delete" in failed[0]["msg"], "failed: %r" % failed, run)
    expect(ids(run.summary["environments"]["deleted"]) == expected[0], "the environments were not all deleted", run)
    expect("sa-ci-old" in held(sim)[1], "the refused service account is gone", run)
    print("failure: one refused deletion is summarized, the rest went on, the play failed")


def inside_seed():
    """A kept environment (staging) with CI leftovers inside, and a CI environment that goes whole."""
    return {
        "credentials": [{"api_key": API_KEY, "api_secret": API_SECRET}],
        "delete_delay": 1.5,
        "environments": [
            {"id": "env-staging", "display_name": "staging", "age": 100 * HOUR, "clusters": [
                {"id": "lkc-ci-old", "display_name": "ci-old-kafka", "age": 30 * HOUR,
                 "connectors": [{"name": "ci-old-sink", "id": "lcc-c10001", "state": "RUNNING"}]},
                {"id": "lkc-ci-young", "display_name": "ci-young-kafka", "age": 2 * HOUR},
                {"id": "lkc-orders", "display_name": "orders", "age": 100 * HOUR, "connectors": [
                    {"name": "ci-failed-sink", "id": "lcc-f00001", "state": "FAILED"},
                    {"name": "ci-running-sink", "id": "lcc-a00001", "state": "RUNNING"},
                    {"name": "orders-sink", "id": "lcc-b00001", "state": "FAILED"}]}],
             "ksqldb_clusters": [{"id": "lksqlc-ci0001", "display_name": "ci-old-ksql", "kafka_cluster": "lkc-ci-old"}]},
            {"id": "env-ci-whole", "display_name": "ci-whole", "age": 30 * HOUR, "clusters": [
                {"id": "lkc-in-ci", "display_name": "ci-inner", "age": 30 * HOUR,
                 "connectors": [{"name": "ci-inner-sink", "id": "lcc-d00001", "state": "FAILED"}]}]},
        ],
        "service_accounts": [{"id": "sa-ops", "display_name": "ops-cleanup", "age": 100 * HOUR}],
        "api_keys": [{"id": API_KEY, "owner": "sa-ops", "resource": "cloud"}],
    }


def check_inside_kept_environment(sim):
    """Inside an environment that stays: the old ci- cluster goes with cascade, the FAILED ci- connector goes, and
    nothing else; the environment selected whole takes its cluster and connector along."""
    sim.load_seed(inside_seed())
    inside = dict(cleanup_display_name_regex="^ci-", cleanup_kafka_clusters=True, cleanup_connectors=True,
                  cleanup_connector_states=["FAILED"])
    state = sim.state()
    sim.clear_log()
    run = playbook(sim, "kafkaops.confluent_cloud.cleanup", **inside)
    lines = run.output.splitlines()
    expect(run.rc == 0 and deletes(sim) == [] and sim.state()["environments"] == state["environments"],
           "the preview inside a kept environment failed or deleted %r" % deletes(sim), run)
    for line in ("would delete environment env-ci-whole (ci-whole) with 1 Kafka cluster (lkc-in-ci) and "
                 "1 connector (ci-inner-sink)",
                 "would delete Kafka cluster lkc-ci-old (ci-old-kafka) in env-staging with 1 connector (ci-old-sink) "
                 "and 1 ksqlDB cluster (lksqlc-ci0001)",
                 "would delete connector lcc-f00001 (ci-failed-sink) FAILED in lkc-orders of env-staging",
                 "would delete 1 environment, 0 service accounts, 1 Kafka cluster, 1 connector; 0 failed; 0 kept",
                 "Nothing was deleted; add -e cleanup_apply=true to delete these 3 resources."):
        expect(line in run.output, "the preview lacks %r" % line, run)
    expect(len(lines) <= 80, "the preview inside printed %d lines" % len(lines), run)
    summary = run.summary
    expect(ids(summary["kafka_clusters"]["would_delete"]) == ["lkc-ci-old"], "clusters %r" % summary, run)
    expect(ids(summary["connectors"]["would_delete"]) == ["lcc-f00001"], "connectors %r" % summary, run)
    print("inside, preview: 3 resources in %d lines, nothing deleted" % len(lines))

    sim.clear_log()
    run = playbook(sim, "kafkaops.confluent_cloud.cleanup", cleanup_apply=True, **inside)
    expect(run.rc == 0, "the sweep inside a kept environment failed", run)
    targets = [path.split("?")[0] for path in deletes(sim)]
    expect(targets == [
        "/connect/v1/environments/env-staging/clusters/lkc-orders/connectors/ci-failed-sink",
        "/connect/v1/environments/env-staging/clusters/lkc-ci-old/connectors/ci-old-sink",
        "/ksqldbcm/v2/clusters/lksqlc-ci0001",
        "/cmk/v2/clusters/lkc-ci-old",
        "/org/v2/environments/env-ci-whole",
    ], "DELETE requests, in order: %r" % targets, run)
    expect(sim.environment_ids(include_deleting=False) == ["env-staging"], "environments left", run)
    expect(sim.cluster_ids("env-staging", include_deleting=False) == ["lkc-ci-young", "lkc-orders"],
           "clusters left: %r" % sim.cluster_ids("env-staging", include_deleting=False), run)
    expect(sorted(sim.connector_names("env-staging", "lkc-orders")) == ["ci-running-sink", "orders-sink"],
           "connectors left: %r" % sim.connector_names("env-staging", "lkc-orders"), run)
    staging = [env for env in sim.state()["environments"] if env["id"] == "env-staging"][0]
    expect([k["id"] for k in staging["ksqldb_clusters"] if not k["deleting"]] == [], "the ksqlDB cluster stays", run)
    summary = run.summary
    expect(ids(summary["kafka_clusters"]["deleted"]) == ["lkc-ci-old"] and
           ids(summary["connectors"]["deleted"]) == ["lcc-f00001"] and
           ids(summary["environments"]["deleted"]) == ["env-ci-whole"], "summary %r" % summary, run)
    count_line = "deleted 1 environment, 0 service accounts, 1 Kafka cluster, 1 connector; 0 failed; 0 kept"
    expect(summary["message"] == count_line and count_line in run.output, "no count line %r" % count_line, run)

    sim.clear_log()
    run = playbook(sim, "kafkaops.confluent_cloud.cleanup", cleanup_apply=True, **inside)
    expect(run.rc == 0 and deletes(sim) == [], "the second sweep inside deleted %r" % deletes(sim), run)
    expect(re.search(r"localhost +: ok=\d+ +changed=0 ", run.output), "the second sweep inside reports a change", run)
    expect(run.summary["message"] == "deleted 0 environments, 0 service accounts, 0 Kafka clusters, 0 connectors; "
                                     "0 failed; 0 kept", "second summary %r" % run.summary, run)
    print("inside: connector, then cluster with cascade, then environment deleted; the second run changes nothing")


def check_import_playbook(sim):
    sim.load_seed(seed())
    sim.clear_log()
    run = playbook(sim, os.path.join(COLLECTION, "docs", "awx", "project", "cleanup.yml"),
                   cleanup_display_name_regex="^ci-")
    expect(run.rc == 0 and run.summary["mode"] == "preview", "the AWX project's playbook failed", run)
    expect(deletes(sim) == [], "the AWX project's preview deleted something", run)
    print("import_playbook: the AWX project's playbook previews")


def check_role(sim):
    """ansible-doc shows every variable of the role; a play that uses the role itself previews the same way."""
    sim.load_seed(seed())
    documented = subprocess.run(["ansible-doc", "-t", "role", "kafkaops.confluent_cloud.cleanup"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False).stdout
    variables = re.findall(r"^(cleanup_\w+):", read_collection_file("roles", "cleanup", "defaults", "main.yml"), re.M)
    for variable in variables + ["cleanup_display_name_regex", "cleanup_summary_file"]:
        expect(variable in documented, "ansible-doc -t role does not show %s:\n%s" % (variable, documented))
    path = os.path.join(WORK, "uses_the_role.yml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("- hosts: localhost\n  gather_facts: false\n  roles:\n"
                     "    - role: kafkaops.confluent_cloud.cleanup\n      vars:\n"
                     "        cleanup_display_name_regex: '^ci-'\n")
    sim.clear_log()
    run = playbook(sim, path)
    expected = selected(sim, "^ci-", 24 * HOUR)
    expect(run.rc == 0 and run.summary["mode"] == "preview", "the role, used in a play, failed", run)
    expect(ids(run.summary["environments"]["would_delete"]) == expected[0], "the role previews %r" % run.summary, run)
    expect(deletes(sim) == [], "the role's preview deleted something", run)
    sim.clear_log()
    run = playbook(sim, path, cleanup_apply="ture")
    expect(run.rc != 0 and "cleanup_apply" in run.output, "the role accepted cleanup_apply=ture", run)
    expect(sim.log() == [], "the role sent requests with cleanup_apply=ture: %r" % sim.log(), run)
    print("role: ansible-doc shows its %d variables; used in a play it previews, and refuses 'ture'"
          % (len(variables) + 2))


def read_collection_file(*parts):
    with open(os.path.join(COLLECTION, *parts), encoding="utf-8") as handle:
        return handle.read()


def guide_playbook():
    """The playbook of the guide 'Find, preview, then delete', as it stands in the guide."""
    with open(os.path.join(COLLECTION, "docs", "docsite", "rst", "find_preview_delete.rst"), encoding="utf-8") as handle:
        guide = handle.read()
    blocks = re.findall(r"^\.\. code-block:: yaml\+jinja\n\n((?:(?: {4}.*)?\n)+)", guide, re.M)
    plays = [block for block in blocks if block.startswith("    ---\n")]
    expect(len(plays) == 1, "the guide should hold one whole playbook, found %d" % len(plays))
    path = os.path.join(WORK, "delete_stale_ci_environments.yml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(line[4:] for line in plays[0].splitlines()) + "\n")
    return path


def check_guide(sim):
    sim.load_seed(seed())
    path = guide_playbook()
    environments = held(sim)[0]
    stale = selected(sim, "^ci-", 6 * HOUR)[0]
    state = sim.state()
    sim.clear_log()
    run = playbook(sim, path, "--check")
    expect(run.rc == 0 and deletes(sim) == [], "the guide's playbook in check mode failed or deleted", run)
    for environment_id in stale:
        expect(environment_id in run.output, "the preview does not show %s" % environment_id, run)
    expect("Kafka cluster(s)" in run.output, "the preview shows no clusters", run)
    preview = judged(sim, "guide (check mode)", "preview", state, run, "none", summary=False)
    state = sim.state()
    sim.clear_log()
    run = playbook(sim, path)
    expect(run.rc == 0, "the guide's playbook failed", run)
    expect(sorted(sim.environment_ids()) == sorted(set(environments) - set(stale)), "left: %r" % sim.environment_ids(),
           run)
    applied = judged(sim, "guide", "apply", state, run, "any", summary=False)
    judged_cycle("the guide's playbook", preview, applied, applied)
    print("guide: %s deleted after the preview, the rest kept" % stale)


def main():
    sim = Simulator(seed()).start()
    try:
        expected = selected(sim, "^ci-", 24 * HOUR)
        assert expected[0] and expected[1], "the organisation should hold something to clean up"
        check_bad_input(sim)
        preview = check_preview(sim, expected)
        check_preview_output(sim)
        check_cap(sim, expected)
        applied = check_apply(sim, expected)
        judged_cycle("the cleanup", preview, applied, check_again(sim))
        check_own_credential_and_exclude(sim)
        check_wait_runs_out(sim)
        check_failure_is_summarized(sim)
        check_inside_kept_environment(sim)
        check_import_playbook(sim)
        check_role(sim)
        check_guide(sim)
    finally:
        sim.stop()
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The evidence checker (tests/support/evidence.py) and what the demo prints of it (tools/demo_report.py), fed cases
where the tasks' results, the API's request log, the organisation and the cleanup's summary agree and disagree."""

from __future__ import annotations

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path[:0] = [os.path.join(ROOT, "tools"), os.path.join(ROOT, "tests")]

# pylint: disable=wrong-import-position
import demo  # noqa: E402
import demo_report  # noqa: E402
from support import evidence  # noqa: E402


# --------------------------------------------------------------------------- the checks, fed disagreeing cases

def records(*changed_keys):
    """Task results as support.playbook.collection_results gives them, for the keys given (changed)."""
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


def test_demo_checks_agree_when_results_api_and_state_agree():
    deleted, problems = evidence.check_deletions("teardown", records(("env-a", "lkc-a", "go"), ("env-b",)), LOG,
                                                 BEFORE, AFTER)
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
def test_demo_fails_when_results_api_and_state_disagree(changed_keys, log, after, expected):
    dummy, problems = evidence.check_deletions("teardown", records(*changed_keys), log, BEFORE, after)
    assert [problem for problem in problems if expected in problem], problems


def test_demo_fails_without_task_results():
    dummy, problems = evidence.check_deletions("teardown", None, LOG, BEFORE, AFTER)
    assert problems == ["teardown: no task results were recorded"]


# A connector deleted with delete_topics: Kafka REST deleted the topic named after it; another topic stays.
T_BEFORE = state(("env-a", False, {"lkc-a": ["go"]}))
T_BEFORE["environments"][0]["clusters"][0]["topics"] = [{"name": "dlq-lcc-go1"}, {"name": "orders"}]
T_AFTER = state(("env-a", False, {"lkc-a": []}))
T_AFTER["environments"][0]["clusters"][0]["topics"] = [{"name": "orders"}]
T_LOG = [delete("/connect/v1/environments/env-a/clusters/lkc-a/connectors/go", 200),
         delete("/kafka/v3/clusters/lkc-a/topics/dlq-lcc-go1", 204)]


def connector_records(deleted_topics):
    out = records(("env-a", "lkc-a", "go"))
    out[0]["result"]["deleted_topics"] = deleted_topics
    return out


def test_a_connectors_topics_went_along_when_its_result_names_them():
    deleted, problems = evidence.check_deletions("teardown", connector_records(["dlq-lcc-go1"]), T_LOG, T_BEFORE,
                                                 T_AFTER)
    assert problems == [] and deleted == {("env-a", "lkc-a", "go")}
    assert evidence.deleted_along(connector_records(["dlq-lcc-go1"]), T_LOG, T_BEFORE) == {
        ("env-a", "lkc-a", "topic dlq-lcc-go1")}
    tally = evidence.tally(deleted | {("env-a", "lkc-a", "topic dlq-lcc-go1")}, T_BEFORE, T_AFTER)
    assert tally["deleted"] == {"connector": 1} and tally["along"] == {"connector": {"topic": 1}}


def test_a_topic_deleted_that_no_result_names_is_found():
    dummy, problems = evidence.check_deletions("teardown", connector_records([]), T_LOG, T_BEFORE, T_AFTER)
    assert [problem for problem in problems if "the API deleted" in problem and "topic dlq-lcc-go1" in problem], problems


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


def test_cleanup_checks_agree_and_keys_go_with_their_service_account():
    results = found("env-old", "sa-old") + records(("env-old",), ("sa-old",))
    deleted, problems = evidence.check_deletions("cleanup", results, C_LOG, C_BEFORE, C_AFTER)
    assert problems == []
    assert deleted == {("env-old",), ("sa-old",)}
    assert evidence.went(C_BEFORE, C_AFTER) == C_GONE
    assert evidence.check_selection("cleanup", results, C_LOG, C_BEFORE, C_AFTER) == []
    assert evidence.check_preview("preview", previewed(), "the apply", deleted, C_GONE) == []
    assert evidence.check_summary("cleanup", "apply", summary(), results, C_LOG, C_BEFORE, C_AFTER) == []
    assert evidence.check_summary("preview", "preview", summary("preview"), previewed(), [], C_BEFORE, C_BEFORE) == []
    lines = demo_report.organisation_table(C_BEFORE, C_AFTER, deleted)
    assert evidence.left_and_lost(evidence.resources(C_BEFORE), evidence.resources(C_AFTER), deleted) == ([], [])
    assert [line.endswith(" deleted (with its service account)") for line in lines if "KEY" in line] == [
        True, True, False, False]
    tally = evidence.tally(deleted, C_BEFORE, C_AFTER)
    assert tally == {"deleted": {"environment": 1, "service account": 1},
                     "along": {"environment": {"Kafka cluster": 1, "connector": 1, "ksqlDB cluster": 0},
                               "service account": {"API key": 2}},
                     "kept": {"environment": 1, "service account": 2}}
    assert demo_report.tally_phrase(tally) == (
        "deleted 1 environment (with 1 Kafka cluster and 1 connector) and 1 service account (with 2 API keys), "
        "kept 1 environment and 2 service accounts")


def cascade_state(cluster_deleting, connectors, ksqldb_deleting):
    """env-k, kept, with lkc-k (its connectors) and the ksqlDB cluster lksqlc-k on it."""
    document = state(("env-k", False, {"lkc-k": connectors}))
    document["environments"][0]["clusters"][0]["deleting"] = cluster_deleting
    document["environments"][0]["ksqldb_clusters"] = [{"id": "lksqlc-k", "display_name": "k-ksql",
                                                       "kafka_cluster": "lkc-k", "deleting": ksqldb_deleting}]
    return document


def cascade_records(connectors=("c1", "c2"), ksqldb=("lksqlc-k",)):
    """The changed result of confluent_kafka_cluster with cascade: the cluster, and what went before it."""
    return [{"task": "cascade", "changed": True, "result": {
        "changed": True, "kafka_cluster": {"id": "lkc-k", "spec": {"environment": {"id": "env-k"}}},
        "contents": {"connectors": [{"name": name, "id": "lcc-" + name, "state": "RUNNING"} for name in connectors],
                     "ksqldb_clusters": [{"id": ksql_id, "display_name": "k-ksql", "kafka_cluster_id": "lkc-k"}
                                         for ksql_id in ksqldb]}}}]


CASCADE_BEFORE = cascade_state(False, ["c1", "c2"], False)
CASCADE_AFTER = cascade_state(True, [], True)
CASCADE_LOG = [delete("/connect/v1/environments/env-k/clusters/lkc-k/connectors/c1", 200),
               delete("/connect/v1/environments/env-k/clusters/lkc-k/connectors/c2", 200),
               delete("/ksqldbcm/v2/clusters/lksqlc-k?environment=env-k", 204),
               delete("/cmk/v2/clusters/lkc-k?environment=env-k", 204)]


def test_a_cascade_accounts_for_the_connectors_and_ksqldb_clusters_it_deletes():
    run = evidence.capture(CASCADE_BEFORE, CASCADE_AFTER, CASCADE_LOG, cascade_records())
    assert evidence.check_run("cascade", "apply", run) == []
    assert run["deleted"] == {("env-k", "lkc-k")}
    assert evidence.check_preview("preview", cascade_records(), "the apply", run["deleted"],
                                  evidence.went(CASCADE_BEFORE, CASCADE_AFTER)) == []
    tally = evidence.tally(run["deleted"], CASCADE_BEFORE, CASCADE_AFTER)
    assert tally["deleted"] == {"Kafka cluster": 1}
    assert tally["along"] == {"Kafka cluster": {"connector": 2, "ksqlDB cluster": 1}}
    assert demo_report.tally_phrase(tally).startswith(
        "deleted 1 Kafka cluster (with 2 connectors and 1 ksqlDB cluster), kept 1 environment")
    lines = demo_report.organisation_table(CASCADE_BEFORE, CASCADE_AFTER, run["deleted"])
    assert any('ksqlDB cluster lksqlc-k "k-ksql"' in line and line.endswith("being deleted (with its Kafka cluster)")
               for line in lines), lines


def test_a_cascade_whose_contents_leave_out_what_the_api_deleted_fails():
    run = evidence.capture(CASCADE_BEFORE, CASCADE_AFTER, CASCADE_LOG, cascade_records(ksqldb=()))
    assert evidence.check_run("cascade", "apply", run) == [
        "cascade: the tasks reported {env-k/lkc-k} changed, but the API deleted {env-k/lkc-k, env-k/lkc-k/lksqlc-k}"]
    left = cascade_state(True, [], False)
    run = evidence.capture(CASCADE_BEFORE, left, CASCADE_LOG[:2] + CASCADE_LOG[3:], cascade_records(ksqldb=()))
    assert evidence.check_cycle("teardown", evidence.capture(CASCADE_BEFORE, CASCADE_BEFORE, [], cascade_records()),
                                dict(run, deleted={("env-k", "lkc-k")}), run) == [
        "teardown (preview) and the apply disagree on what went: shown but stayed: {env-k/lkc-k/lksqlc-k}",
        'teardown left behind: ksqlDB cluster lksqlc-k "k-ksql"']


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
def test_cleanup_checks_fail_when_results_api_and_state_disagree(changed_keys, log, after, expected):
    dummy, problems = evidence.check_deletions("cleanup", records(*changed_keys), log, C_BEFORE, after)
    assert [problem for problem in problems if expected in problem], problems


def test_cleanup_fails_when_something_not_selected_goes():
    results = found("env-old") + records(("env-old",), ("sa-old",))
    problems = evidence.check_selection("cleanup", results, C_LOG, C_BEFORE, C_AFTER)
    assert problems == ["cleanup: deleted what its find tasks did not select: {sa-old}",
                        "cleanup: went, although its find tasks did not select it: {sa-old, sa-old/KEY1, sa-old/KEY2}"]


def test_cleanup_fails_when_a_selected_resource_has_no_task():
    results = found("env-old", "sa-old") + records(("env-old",))
    problems = evidence.check_selection("cleanup", results, C_LOG[:1], C_BEFORE, state(
        ("env-young", False, {}), sa_old=["KEY1", "KEY2"], sa_young=["KEY3"], sa_keep=["KEY4"]))
    assert problems == ["cleanup: selected, but no task deleted it: {sa-old}"]


@pytest.mark.parametrize("preview, expected", [
    pytest.param(previewed(extra=[("sa-young",)]), "predicted {env-old, sa-old, sa-young}", id="predicted-more"),
    pytest.param(previewed(keys=["KEY1"]), "not shown by the preview: {sa-old/KEY2}", id="a-key-not-previewed"),
    pytest.param(previewed(env_contents={"kafka_clusters": [{"id": "lkc-o"}], "connectors": []}),
                 "not shown by the preview: {env-old/lkc-o/sink}", id="a-connector-not-previewed"),
    pytest.param(previewed(keys=["KEY1", "KEY2", "KEY4"]), "shown but stayed: {sa-old/KEY4}", id="a-key-previewed-stayed"),
])
def test_cleanup_fails_when_the_preview_differs_from_the_apply(preview, expected):
    problems = evidence.check_preview("preview", preview, "the apply", {("env-old",), ("sa-old",)}, C_GONE)
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
def test_cleanup_fails_when_its_summary_differs(mode, written, expected):
    results = previewed() if mode == "preview" else records(("env-old",), ("sa-old",))
    log, after = ([], C_BEFORE) if mode == "preview" else (C_LOG, C_AFTER)
    problems = evidence.check_summary("cleanup", mode, written, results, log, C_BEFORE, after)
    assert [problem for problem in problems if expected in problem], problems


def cycle(preview_records=None, apply_records=None, apply_log=None, after=None, again_records=None, again_log=()):
    """A preview, an apply and a re-run of the cleanup case, as evidence.capture() keeps them, checked by check_run;
    (problems of the runs, problems of the cycle)."""
    after = C_AFTER if after is None else after
    runs = (
        ("preview", evidence.capture(C_BEFORE, C_BEFORE, [], previewed() if preview_records is None else preview_records,
                                     summary("preview")), "none"),
        ("apply", evidence.capture(C_BEFORE, after, C_LOG if apply_log is None else apply_log, found("env-old", "sa-old")
                                   + (records(("env-old",), ("sa-old",)) if apply_records is None else apply_records),
                                   summary()), "any"),
        ("again", evidence.capture(after, after, list(again_log), again_records or []), "none"),
    )
    problems = [problem for mode, run, deletes in runs for problem in evidence.check_run(mode, mode, run, deletes)]
    return problems, evidence.check_cycle("cleanup", runs[0][1], runs[1][1], runs[2][1])


def test_a_cycle_whose_accounts_agree_has_no_problem():
    assert cycle() == ([], [])


@pytest.mark.parametrize("changes, expected", [
    pytest.param({"again_records": records(("env-young",))}, "again: 1 task result reported changed",
                 id="a-re-run-reports-a-change"),
    pytest.param({"again_log": [delete("/org/v2/environments/env-young", 404)]}, "again sent 1 DELETE request",
                 id="a-re-run-sends-a-delete"),
    pytest.param({"preview_records": previewed() + records(("env-young",))},
                 "preview: the summary would delete {env-old, sa-old}, the tasks predicted {env-old, sa-old, env-young}"
                 .replace("sa-old, env-young", "env-young, sa-old"), id="a-preview-predicts-more-than-its-summary"),
])
def test_a_run_of_a_cycle_fails_when_it_changes_what_it_must_not(changes, expected):
    problems, dummy = cycle(**changes)
    assert [problem for problem in problems if expected in problem], problems


def test_a_preview_fails_when_it_changes_the_state_or_sends_other_requests_than_get():
    run = evidence.capture(C_BEFORE, C_AFTER, [{"method": "POST", "path": "/x", "status": 201}], previewed())
    assert evidence.check_run("preview", "preview", run, "none")[:2] == [
        "preview sent other requests than GET: POST", "preview changed the simulator state"]


def test_a_cycle_fails_when_the_apply_leaves_behind_what_the_preview_showed():
    left = state(("env-young", False, {}), sa_old=["KEY1"], sa_young=["KEY3"], sa_keep=["KEY4"])
    problems, found_in_cycle = cycle(after=left)
    assert [problem for problem in problems if "deleted, yet still there afterwards: {sa-old}" in problem], problems
    assert 'cleanup left behind: service account sa-old "sa_old"' in found_in_cycle, found_in_cycle
    assert "cleanup (preview) and the apply disagree on what went: shown but stayed: {sa-old, sa-old/KEY1}" in (
        found_in_cycle)


def test_a_cycle_fails_when_something_else_goes():
    problems, found_in_cycle = cycle(after=state(("env-young", False, {}), sa_young=["KEY3"], sa_keep=[]))
    assert [problem for problem in problems if "went without any task deleting it: {sa-keep/KEY4}" in problem]
    assert "cleanup removed what no task reported deleting: Cloud API key KEY4" in found_in_cycle, found_in_cycle
    assert "cleanup (preview) and the apply disagree on what went: not shown by the preview: {sa-keep/KEY4}" in (
        found_in_cycle)


def test_a_cycle_fails_when_it_deletes_nothing():
    dummy, found_in_cycle = cycle(preview_records=[], apply_records=[], apply_log=[], after=C_BEFORE)
    assert "cleanup deleted nothing" in found_in_cycle


def test_a_part_fails_when_it_deletes_none_of_a_kind_it_is_there_to_show():
    cleanup = [part for part in demo.PARTS if part.name == "cleanup"][0]
    after = state(("env-young", False, {}), sa_old=["KEY1", "KEY2"], sa_young=["KEY3"], sa_keep=["KEY4"])
    tally = evidence.tally({("env-old",)}, C_BEFORE, after)
    assert demo.shown_problems(cleanup, tally) == ["the cleanup deleted no %s, which it is there to show" % kind
                                                   for kind in ("service account", "Kafka cluster", "connector")]
    assert demo_report.tally_phrase(tally) == (
        "deleted 1 environment (with 1 Kafka cluster and 1 connector), kept 1 environment and 3 service accounts")
    assert any('environment env-old "env-old"' in line and line.endswith(" deleted")
               for line in demo_report.organisation_table(C_BEFORE, after, {("env-old",)}))


class Terminal:
    """A stream that says it is a terminal."""

    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass

    @staticmethod
    def isatty():
        return True


@pytest.mark.parametrize("no_color, coloured", [("", True), ("1", False)])
def test_headings_are_coloured_on_a_terminal_unless_no_color(monkeypatch, no_color, coloured):
    monkeypatch.setenv("NO_COLOR", no_color)
    stream = Terminal()
    printer = demo_report.Printer(stream)
    printer.heading("Part 1 of 2", "#")
    printer.verdict(True, ["Demo OK:", "  teardown: " + "word " * 20])
    assert ("\x1b[" in stream.text) is coloured, stream.text
    assert "Part 1 of 2" in stream.text and "#" * 100 not in stream.text
    lines = stream.text.splitlines()[1:]  # after the blank line before the heading
    assert len(lines) == 4 and lines[3].startswith("    word") and all(len(line) <= 100 for line in lines[2:]), lines


# The sweep inside a kept environment: the find tasks list every environment (no name filter), look inside env-young,
# which stays, and list its clusters and their connectors; lkc-ci (with its connector) and the connector "failed" go.
I_BEFORE = state(("env-old", False, {}), ("env-young", False, {"lkc-ci": ["load"], "lkc-k": ["failed", "running"]}))
I_AFTER = state(("env-young", False, {"lkc-k": ["running"]}))
I_LOG = [delete("/connect/v1/environments/env-young/clusters/lkc-k/connectors/failed", 200),
         delete("/connect/v1/environments/env-young/clusters/lkc-ci/connectors/load", 200),
         delete("/cmk/v2/clusters/lkc-ci?environment=env-young", 202), delete("/org/v2/environments/env-old", 204)]


def found_inside(listing_filtered=False):
    """The find tasks of a cleanup that sweeps inside the environments it keeps."""
    args = {"display_name_regex": "^env-old" if listing_filtered else None}
    return [
        {"task": "find", "action": "kafkaops.confluent_cloud.confluent_environment_info", "changed": False,
         "result": {"environments": [{"id": "env-old"}, {"id": "env-young"}], "invocation": {"module_args": args}}},
        {"task": "clusters", "action": "kafkaops.confluent_cloud.confluent_kafka_cluster_info", "changed": False,
         "result": {"clusters": [{"id": "lkc-ci"}, {"id": "lkc-k"}], "item": {"id": "env-young"}}},
        {"task": "connectors", "action": "kafkaops.confluent_cloud.confluent_connector_info", "changed": False,
         "result": {"connectors": [{"name": "failed"}, {"name": "running"}],
                    "item": {"id": "lkc-k", "environment_id": "env-young"}}}]


def swept_inside():
    """The deleting tasks' results: env-old, the connector "failed", lkc-ci with cascade."""
    return records(("env-old",), ("env-young", "lkc-k", "failed")) + [{"task": "delete", "changed": True, "result": {
        "changed": True, "kafka_cluster": {"id": "lkc-ci", "environment_id": "env-young"},
        "contents": {"connectors": [{"name": "load"}], "ksqldb_clusters": []}}}]


def test_cleanup_sweeping_inside_a_kept_environment_agrees():
    assert evidence.find_tasks(found_inside()) == ({("env-old",)}, {
        ("env-young", "lkc-ci"), ("env-young", "lkc-k"), ("env-young", "lkc-k", "failed"),
        ("env-young", "lkc-k", "running")})
    results = found_inside() + swept_inside()
    assert evidence.check_selection("cleanup", results, I_LOG, I_BEFORE, I_AFTER) == []
    deleted, problems = evidence.check_deletions("cleanup", results, I_LOG, I_BEFORE, I_AFTER)
    assert problems == [] and deleted == {("env-old",), ("env-young", "lkc-ci"), ("env-young", "lkc-k", "failed")}
    summary = {"mode": "apply", "environments": {"deleted": [{"id": "env-old"}], "failed": []},
               "service_accounts": {"deleted": [], "failed": []},
               "kafka_clusters": {"deleted": [{"id": "lkc-ci", "environment_id": "env-young", "ksqldb_clusters": None,
                                               "connectors": [{"name": "load", "kafka_cluster_id": "lkc-ci"}]}],
                                  "failed": []},
               "connectors": {"deleted": [{"name": "failed", "kafka_cluster_id": "lkc-k", "environment_id": "env-young"}],
                              "failed": []}}
    assert evidence.check_summary("cleanup", "apply", summary, results, I_LOG, I_BEFORE, I_AFTER) == []
    summary["connectors"]["failed"].append({"name": "other"})
    assert evidence.check_summary("cleanup", "apply", summary, results, I_LOG, I_BEFORE, I_AFTER) == [
        "cleanup: the summary lists 1 failure"]


def test_cleanup_fails_when_a_kept_environment_itself_goes():
    log = I_LOG + [delete("/org/v2/environments/env-young", 204)]
    problems = evidence.check_selection("cleanup", found_inside() + swept_inside(), log, I_BEFORE, state())
    assert problems[0] == "cleanup: deleted what its find tasks did not select: {env-young}", problems


def test_cleanup_fails_when_an_unlisted_connector_of_a_kept_environment_goes():
    log = I_LOG + [delete("/connect/v1/environments/env-young/clusters/lkc-x/connectors/other", 200)]
    problems = evidence.check_selection("cleanup", found_inside() + swept_inside(), log, I_BEFORE, I_AFTER)
    assert problems == ["cleanup: deleted what its find tasks did not select: {env-young/lkc-x/other}"], problems

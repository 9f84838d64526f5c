# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What went, by whose account: the evidence checker of make demo and of the cleanup_playbook integration target.

A run of a playbook leaves four accounts of what it deleted: the results of the collection's tasks (the task_results
callback), the DELETE requests the simulator carried out (GET /_sim/log), the organisation before and after it
(GET /_sim/state) and, for the cleanup, its own summary file. This module checks that they agree, never against a
playbook's variables or a seed:

- ``capture(before, after, log, records, summary=NO_SUMMARY)``: one run's evidence, a dict that JSON keeps
- ``check_run(name, mode, run, deletes)``: the checks of one run (mode preview, apply or again); sets
  ``run["predicted"]`` (a preview) or ``run["deleted"]`` (otherwise)
- ``check_cycle(name, preview, apply, last)``: the preview predicted what the apply deleted and what went with it,
  nothing went that no task deleted, nothing that should have gone is left (``last`` is the run after which to look)
- ``tally(direct, before_state, after_state)``: what went and what stayed, counted by kind, for a verdict

Keys name resources as paths: (environment,), (environment, cluster), (environment, cluster, connector name),
(environment, cluster, ksqlDB cluster) for a ksqlDB cluster under the Kafka cluster it runs on, (environment, cluster,
"topic NAME") for a topic, (service account,), (owner, API key). A Kafka cluster deleted with cascade takes its
connectors and ksqlDB clusters along: the API deletes each of them, and the task's ``contents`` lists them. A connector
deleted with delete_topics takes the topics named after it along: Kafka REST deletes each, and the task's
``deleted_topics`` (``contents.topics`` in a preview) names them.
"""

from __future__ import annotations

import collections
from urllib.parse import parse_qsl, unquote

# One resource of the organisation; depth is its depth in the key path (an API key of a user has depth 0).
Resource = collections.namedtuple("Resource", "depth kind label deleting created_at")
KINDS = ("environment", "Kafka cluster", "connector", "ksqlDB cluster", "service account", "API key")
# What goes with a resource of a kind when it is deleted (a Kafka cluster: with cascade).
CONTAINS = {"environment": ("Kafka cluster", "connector", "ksqlDB cluster"),
            "Kafka cluster": ("connector", "ksqlDB cluster"), "service account": ("API key",)}
TOP_KINDS = ("environment", "service account")
NO_SUMMARY = object()
# The kinds of a cleanup summary; the first two are always there.
TOP_SUMMARY = ("environments", "service_accounts")
SUMMARY_KINDS = TOP_SUMMARY + ("kafka_clusters", "connectors")
# What a run may send: no DELETE, only DELETEs answered 404 (already gone), or any.
DELETES = ("none", "gone only", "any")


def plural(count, word):
    return "%d %s%s" % (count, word, "" if count == 1 else "s")


def describe_keys(keys):
    return "{%s}" % ", ".join(sorted("/".join(key) for key in keys)) if keys else "nothing"


# --------------------------------------------------------------------------- the organisation

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
    """Ordered {key: Resource} of a /_sim/state: environments -> clusters -> connectors and the ksqlDB clusters on
    each cluster, then service accounts -> the API keys they own, then the API keys of users."""
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
            for topic in cluster.get("topics") or []:
                found[topic_key(env["id"], cluster["id"], topic["name"])] = Resource(
                    2, "topic", "topic " + topic["name"], deleting, None)
            for ksqldb in env.get("ksqldb_clusters") or []:
                if ksqldb.get("kafka_cluster") == cluster["id"]:
                    found[(env["id"], cluster["id"], ksqldb["id"])] = Resource(
                        2, "ksqlDB cluster", 'ksqlDB cluster %s "%s"' % (ksqldb["id"], ksqldb.get("display_name")),
                        env_deleting or bool(ksqldb.get("deleting")), ksqldb.get("created_at"))
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


def topic_key(environment_id, cluster_id, name):
    return (environment_id, cluster_id, "topic " + name)


def cluster_environments(state):
    """{Kafka cluster id: its environment} of a /_sim/state, to place the topics that Kafka REST paths name."""
    return dict((cluster["id"], env["id"]) for env in state.get("environments") or []
                for cluster in env.get("clusters") or [])


def ksqldb_hosts(state):
    """{ksqlDB cluster id: (environment, the Kafka cluster it runs on)} of a /_sim/state."""
    return dict((ksqldb["id"], (env["id"], ksqldb.get("kafka_cluster"))) for env in state.get("environments") or []
                for ksqldb in env.get("ksqldb_clusters") or [])


def key_owners(state):
    """{API key id: owner} of a /_sim/state."""
    return dict((key["id"], key.get("owner")) for key in state.get("api_keys") or [])


def snapshot(state):
    """What a run may not change in check mode: every resource and whether it is being deleted."""
    return sorted((key, value.deleting) for key, value in resources(state).items())


def went(before_state, after_state):
    """Keys of the resources present (and not being deleted) before and gone or being deleted after."""
    before, after = resources(before_state), resources(after_state)
    return {key for key, value in before.items() if not value.deleting and (key not in after or after[key].deleting)}


def within(key, parents):
    """Whether key is one of parents, or inside one of them."""
    return any(key[:len(parent)] == parent for parent in parents)


# --------------------------------------------------------------------------- the tasks' and the API's accounts

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
    """Keys of what the changed results' ``contents`` say goes with the resource: an environment's clusters,
    connectors and ksqlDB clusters, a cluster's connectors and ksqlDB clusters (cascade), a service account's API
    keys."""
    keys = set()
    for record in records:
        key = result_key(record["result"]) if record["changed"] else None
        if not key:
            continue
        contents = record["result"].get("contents") or {}
        for cluster in contents.get("kafka_clusters") or []:
            keys.add((key[0], cluster["id"]))
        for connector in contents.get("connectors") or []:
            keys.add((key[0], connector.get("kafka_cluster_id") or key[-1], connector["name"]))
        for ksqldb in contents.get("ksqldb_clusters") or []:
            keys.add((key[0], ksqldb.get("kafka_cluster_id") or key[-1], ksqldb["id"]))
        for api_key in contents.get("api_keys") or []:
            keys.add((key[0], api_key["id"]))
        for name in set(contents.get("topics") or []) | set(record["result"].get("deleted_topics") or []):
            keys.add(topic_key(key[0], key[1], name))
    return keys


def carried_out(entry):
    """Whether a request of the log is a DELETE that the simulator carried out."""
    return entry["method"] == "DELETE" and (entry["status"] or entry.get("effect_status")) in (200, 202, 204)


def api_deletions(log, owners=None, ksqldb=None, cluster_envs=None):
    """Keys of the resources whose DELETE the simulator carried out, from its request log. owners ({API key id:
    owner}), ksqldb (ksqldb_hosts()) and cluster_envs (cluster_environments()) place API keys, ksqlDB clusters and
    topics, whose paths do not say where they are.

    A DELETE of anything else that was carried out counts too, under its path, so that it can never go unnoticed.
    """
    keys = set()
    for entry in log:
        if not carried_out(entry):
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
        elif segments[:3] == ["ksqldbcm", "v2", "clusters"] and len(segments) == 4 and environment:
            keys.add((environment, str(((ksqldb or {}).get(segments[3]) or (None, None))[1]), segments[3]))
        elif segments[:3] == ["kafka", "v3", "clusters"] and len(segments) == 6 and segments[4] == "topics":
            keys.add(topic_key(str((cluster_envs or {}).get(segments[3])), segments[3], segments[5]))
        elif segments[:3] == ["iam", "v2", "service-accounts"] and len(segments) == 4:
            keys.add((segments[3],))
        elif segments[:3] == ["iam", "v2", "api-keys"] and len(segments) == 4:
            keys.add((str((owners or {}).get(segments[3])), segments[3]))
        else:
            keys.add(("DELETE " + entry["path"],))
    return keys


# --------------------------------------------------------------------------- the checks

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
    deleted = api_deletions(log, owners, ksqldb_hosts(before_state), cluster_environments(before_state))
    gone = went(before_state, after_state)
    # What a cascade deleted before its Kafka cluster: the API deleted it, and the cluster's contents list it.
    cascaded = (deleted & predicted_with(records)) - reported
    deleted -= cascaded
    if reported != deleted:
        problems.append("%s: the tasks reported %s changed, but the API deleted %s" % (
            name, describe_keys(reported), describe_keys(deleted)))
    still_there = sorted(key for key in deleted | cascaded if key not in gone)
    if still_there:
        problems.append("%s: deleted, yet still there afterwards: %s" % (name, describe_keys(still_there)))
    # What the tasks' results list as deleted along (a cascade's connectors, a connector's topics) was asked for too.
    unasked = sorted(key for key in gone if not within(key, deleted | cascaded | reported))
    if unasked:
        problems.append("%s: went without any task deleting it: %s" % (name, describe_keys(unasked)))
    return reported & deleted, problems


def deleted_along(records, log, before_state):
    """What the API deleted along with what the tasks deleted, as their results list it, outside the resources the
    tasks deleted: a connector's topics (delete_topics), which sit in its cluster. (A cascade's connectors and ksqlDB
    clusters are inside the Kafka cluster deleted.)"""
    deleted = api_deletions(log, key_owners(before_state), ksqldb_hosts(before_state), cluster_environments(before_state))
    reported = reported_changed(records or [], key_owners(before_state))[0]
    return set(key for key in deleted & predicted_with(records or []) if not within(key, reported))


def find_tasks(records):
    """(selected, inside) from the find tasks (the info modules' results), or None when there are none. selected: the
    keys of the environments and service accounts they selected. inside: the keys of the Kafka clusters and
    connectors they listed inside the environments they looked into, which stay (the cleanup's sweeps inside the
    environments it keeps choose from these). An environment listing without a name filter lists every environment,
    for those sweeps: the environments it selects are then those that no task looked inside."""
    selected, listed, searched, inside, found = set(), set(), set(), set(), False
    for record in records or []:
        result, action = record["result"], str(record.get("action")).rsplit(".", 1)[-1]
        item = result.get("item") if isinstance(result.get("item"), dict) else {}
        if "environments" in result or "service_accounts" in result:
            args = (result.get("invocation") or {}).get("module_args")
            unfiltered = "environments" in result and args is not None and not args.get("display_name_regex")
            (listed if unfiltered else selected).update((env["id"],) for env in result.get("environments") or [])
            selected.update((account["id"],) for account in result.get("service_accounts") or [])
        elif action == "confluent_kafka_cluster_info" and item.get("id"):
            searched.add((item["id"],))
            inside.update((item["id"], cluster["id"]) for cluster in result.get("clusters") or [])
        elif action == "confluent_connector_info" and item.get("id") and item.get("environment_id"):
            inside.update((item["environment_id"], item["id"], connector["name"])
                          for connector in result.get("connectors") or [])
        else:
            continue
        found = True
    return (selected | (listed - searched), inside) if found else None


def check_selection(name, records, log, before_state, after_state):
    """When the playbook finds what to delete first (the info modules' results), each environment and service account
    it selected must have a task that deleted it (or would, or found it already gone), and nothing may be deleted or
    go but what it selected and, inside the environments it keeps, the Kafka clusters and connectors it listed."""
    found = find_tasks(records)
    if found is None:
        return []
    selected, inside = found[0], found[1]
    problems = []
    handled = {result_key(record["result"]) for record in records} - {None}
    unhandled = sorted(selected - handled)
    if unhandled:
        problems.append("%s: selected, but no task deleted it: %s" % (name, describe_keys(unhandled)))
    deleted = api_deletions(log, key_owners(before_state), ksqldb_hosts(before_state), cluster_environments(before_state))
    unselected = sorted(key for key in deleted if not within(key, selected | inside))
    if unselected:
        problems.append("%s: deleted what its find tasks did not select: %s" % (name, describe_keys(unselected)))
    strays = sorted(key for key in went(before_state, after_state) if not within(key, selected | inside))
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
    """(keys listed as deleted or would-be deleted, keys listed as going with them) of a cleanup summary; the kinds
    kafka_clusters and connectors (the sweeps inside the environments kept) only when it has them."""
    direct, with_them = set(), set()
    for env in summary["environments"][done]:
        direct.add((env["id"],))
        with_them |= {(env["id"], cluster["id"]) for cluster in env.get("kafka_clusters") or []}
        with_them |= {(env["id"], connector["kafka_cluster_id"], connector["name"])
                      for connector in env.get("connectors") or []}
        with_them |= {(env["id"], ksqldb["kafka_cluster_id"], ksqldb["id"])
                      for ksqldb in env.get("ksqldb_clusters") or []}
    for account in summary["service_accounts"][done]:
        direct.add((account["id"],))
        with_them |= {(account["id"], key["id"]) for key in account.get("api_keys") or []}
    for cluster in (summary.get("kafka_clusters") or {}).get(done) or []:
        direct.add((cluster["environment_id"], cluster["id"]))
        with_them |= {(cluster["environment_id"], connector.get("kafka_cluster_id") or cluster["id"], connector["name"])
                      for connector in cluster.get("connectors") or []}
        with_them |= {(cluster["environment_id"], ksqldb.get("kafka_cluster_id") or cluster["id"], ksqldb["id"])
                      for ksqldb in cluster.get("ksqldb_clusters") or []}
    for connector in (summary.get("connectors") or {}).get(done) or []:
        direct.add((connector["environment_id"], connector["kafka_cluster_id"], connector["name"]))
    return direct, with_them


def summary_failed(summary):
    """How many resources a cleanup summary lists as failed, of every kind it has."""
    return sum(len(summary[kind]["failed"]) for kind in SUMMARY_KINDS if kind in summary or kind in TOP_SUMMARY)


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
        failed = summary_failed(summary)
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
    deleted = api_deletions(log, owners, ksqldb_hosts(before_state), cluster_environments(before_state))
    gone = went(before_state, after_state)
    # A Kafka cluster deleted with cascade: the API deleted its connectors and ksqlDB clusters first, one by one.
    if direct != deleted - with_them:
        problems.append("%s: the summary says it deleted %s, the API deleted %s" % (
            name, describe_keys(direct), describe_keys(deleted - with_them)))
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


def left_and_lost(before, after, direct):
    """(what should have gone with direct and is still there, what went that is not direct or inside it): keys of the
    resources() maps before and after, in before's order."""
    left, lost = [], []
    for key in before:
        present = key in after and not after[key].deleting
        if within(key, direct) and present:
            left.append(key)
        if not within(key, direct) and not present:
            lost.append(key)
    return left, lost


# --------------------------------------------------------------------------- runs and cycles

def capture(before, after, log, records, summary=NO_SUMMARY):
    """One run's evidence: the states before and after it, the simulator's request log, the collection's task results
    (None when none were recorded) and, when the playbook writes one, its summary (None when it wrote none)."""
    run = {"before": before, "after": after, "log": log, "records": records}
    if summary is not NO_SUMMARY:
        run["summary"] = summary
    return run


def check_run(name, mode, run, deletes="any"):
    """The problems of one run, a capture(): mode "preview" (changes nothing; its changed results are predictions),
    "apply" (deletes) or "again" (after the apply: changes nothing). deletes: one of DELETES."""
    problems = []
    log, records, before, after = run["log"], run["records"], run["before"], run["after"]
    sent = [entry for entry in log if entry["method"] == "DELETE"]
    if deletes == "none" and sent:
        problems.append("%s sent %s" % (name, plural(len(sent), "DELETE request")))
    elif deletes == "gone only" and any(entry["status"] != 404 for entry in sent):
        problems.append("%s sent a DELETE not answered 404 (already gone): %s" % (
            name, ", ".join("%s -> %s" % (entry["path"], entry["status"]) for entry in sent if entry["status"] != 404)))
    if mode == "preview":
        other = sorted({entry["method"] for entry in log} - {"GET"})
        if other:
            problems.append("%s sent other requests than GET: %s" % (name, ", ".join(other)))
        if snapshot(before) != snapshot(after):
            problems.append("%s changed the simulator state" % name)
        if records is None:
            problems.append("%s: no task results were recorded" % name)
        else:
            run["predicted"] = reported_changed(records, key_owners(before))[0]
            problems += check_selection(name, records, log, before, after)
    else:
        run["deleted"], found = check_deletions(name, records, log, before, after)
        run["along"] = deleted_along(records, log, before)
        problems += found + check_selection(name, records, log, before, after)
        changed = [record for record in records or [] if record["changed"]]
        if mode == "again" and changed:
            problems.append("%s: %s reported changed" % (name, plural(len(changed), "task result")))
    if "summary" in run:
        problems += check_summary(name, mode, run["summary"], records, log, before, after)
    return problems


def check_cycle(name, preview, apply, last):
    """The problems of a preview, its apply and the last run after them (each a capture() that check_run saw): what
    the preview predicted is what the apply deleted, and what it showed going along is what went; from before the
    preview to after the last run, nothing is left of what the apply deleted and nothing else went."""
    problems = []
    if preview["records"] is not None and apply["records"] is not None:
        problems += check_preview("%s (preview)" % name, preview["records"], "the apply", apply["deleted"],
                                  went(apply["before"], apply["after"]), key_owners(apply["before"]))
    before, after = resources(preview["before"]), resources(last["after"])
    left, lost = left_and_lost(before, after, (apply.get("deleted") or set()) | (apply.get("along") or set()))
    if left:
        # Each resource once: not what is inside another one left behind.
        outermost = [key for key in left if not within(key, set(left) - {key})]
        problems.append("%s left behind: %s" % (name, ", ".join(before[key].label for key in outermost)))
    if lost:
        problems.append("%s removed what no task reported deleting: %s" % (
            name, ", ".join(before[key].label for key in lost)))
    if not apply.get("deleted"):
        problems.append("%s deleted nothing" % name)
    return problems


def tally(direct, before_state, after_state):
    """What a cycle deleted and kept, by kind: {"deleted": {kind: n}, "along": {kind: {kind inside: n}},
    "kept": {kind: n}}, from the keys the tasks deleted (with the topics their connectors took along, which no task
    deletes on its own here) and the states before the preview and after the last run."""
    before, after = resources(before_state), resources(after_state)
    deleted, along = {}, {}
    for kind in KINDS:
        mine = [key for key in direct if key in before and before[key].kind == kind]
        if not mine:
            continue
        deleted[kind] = len(mine)
        if kind in CONTAINS:
            inside = [key for key in before if key not in direct and within(key, mine)
                      and (key not in after or after[key].deleting)]
            along[kind] = dict((part, sum(1 for key in inside if before[key].kind == part)) for part in CONTAINS[kind])
    topics = [key for key in direct if key in before and before[key].kind == "topic"]
    if topics:
        along.setdefault("connector", {})["topic"] = len(topics)
    kept = dict((kind, sum(1 for key, value in before.items() if value.depth == 0 and value.kind == kind
                           and key in after and not after[key].deleting)) for kind in TOP_KINDS)
    return {"deleted": deleted, "along": along, "kept": kept}

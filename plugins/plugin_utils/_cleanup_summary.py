# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the cleanup role selected, and what became of each selected resource, from its tasks' results.

Every selected resource ends in exactly one category; an accepted deletion is never a failure.
"""

from __future__ import annotations

import re

from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._selectors import Selection

# The kinds in the order the report lists them; the role deletes connectors, then Kafka clusters (with what uses them),
# then environments, then service accounts.
KINDS = ("environments", "service_accounts", "kafka_clusters", "connectors")
NOUNS = dict(environments=("environment", "environments"), service_accounts=("service account", "service accounts"),
             kafka_clusters=("Kafka cluster", "Kafka clusters"), connectors=("connector", "connectors"))
# Names listed in full on a report line before "and N more".
NAMES_SHOWN = 5


def cleanup_selection(settings, found_environments=None, found_service_accounts=None, found_clusters=None,
                      found_connectors=None):
    """The resources to sweep from the info modules' results, and those kept with the reason.

    A display name that cleanup_exclude_regex matches is kept; so is the service account the info module left out
    because it owns the run's API key (its ``excluded``).

    The environments are chosen here by display name and age, so that the role may list them all (without the info
    module's selectors) when it sweeps inside those it keeps: the others are ``staying_environments``, whose Kafka
    clusters it lists. The role calls this again as it learns more: ``found_clusters`` (the registered loop of the
    clusters' info task over those) gives the Kafka clusters to sweep and ``staying_clusters``, whose connectors it
    lists; ``found_connectors`` (the registered loop of the connectors' info task over those) gives the connectors to
    sweep.
    """
    exclude = re.compile(settings["exclude_regex"]) if settings.get("exclude_regex") else None
    pick = Selection(dict(display_name_regex=settings.get("display_name_regex"), older_than=settings.get("older_than")))
    selection = dict(kept={})
    listed = found_environments.get("environments") if isinstance(found_environments, dict) else None
    for kind, found, key in (("environments", found_environments, "environments"),
                             ("service_accounts", found_service_accounts, "service_accounts")):
        found = found if isinstance(found, dict) else {}
        chosen, kept = [], []
        resources = found.get(key) or []
        if kind == "environments":
            resources = pick.select(resources) if settings.get("environments", True) else []
        for resource in resources:
            entry = _identity(resource)
            if _excluded(exclude, entry["display_name"]):
                kept.append(dict(entry, reason=_exclude_reason(settings)))
            else:
                chosen.append(entry)
        for resource in found.get("excluded") or []:
            kept.append(dict(_identity(resource), reason=resource.get("reason")))
        selection[kind] = chosen
        selection["kept"][kind] = kept
    _select_inside(selection, settings, exclude, pick, listed, found_clusters, found_connectors)
    selection["count"] = sum(len(selection[kind]) for kind in KINDS)
    return selection


def _select_inside(selection, settings, exclude, pick, listed, found_clusters, found_connectors):
    """The Kafka clusters and connectors to sweep inside the environments that stay."""
    gone = set(entry["id"] for entry in selection["environments"])
    selection["staying_environments"] = [dict(id=env.get("id"), display_name=env.get("display_name"))
                                         for env in listed or [] if env.get("id") not in gone]
    clusters, kept_clusters, staying = [], [], []
    for environment_id, found in _looped(found_clusters, gone):
        found = found.get("clusters") or []
        chosen = set(cluster.get("id") for cluster in pick.select(found)) if settings.get("kafka_clusters") else set()
        for cluster in pick.select(found) if chosen else []:
            entry = dict(_identity(cluster), environment_id=environment_id)
            if _excluded(exclude, entry["display_name"]):
                kept_clusters.append(dict(entry, reason=_exclude_reason(settings)))
                chosen.discard(entry["id"])
            else:
                clusters.append(entry)
        staying.extend(dict(id=cluster.get("id"), display_name=cluster.get("display_name"),
                            environment_id=environment_id) for cluster in found if cluster.get("id") not in chosen)
    selection["kafka_clusters"] = clusters
    selection["kept"]["kafka_clusters"] = kept_clusters
    selection["staying_clusters"] = staying
    connectors, kept_connectors = [], []
    pattern = re.compile(settings["display_name_regex"]) if settings.get("display_name_regex") else None
    states = settings.get("connector_states") or []
    swept_clusters = set(entry["id"] for entry in clusters)
    for cluster_id, found in _looped(found_connectors, swept_clusters) if settings.get("connectors") else []:
        if (found.get("item") or {}).get("environment_id") in gone:
            continue
        for connector in found.get("connectors") or []:
            name = connector.get("name")
            if pattern is None or not (isinstance(name, str) and pattern.search(name)):
                continue
            if states and connector.get("state") not in states:
                continue
            entry = dict(id=connector.get("id") or "%s/%s" % (cluster_id, name), display_name=name,
                         name=name, state=connector.get("state"), kafka_cluster_id=cluster_id,
                         environment_id=(found.get("item") or {}).get("environment_id"))
            if _excluded(exclude, name):
                kept_connectors.append(dict(entry, reason=_exclude_reason(settings)))
            else:
                connectors.append(entry)
    selection["connectors"] = connectors
    selection["kept"]["connectors"] = kept_connectors


def _looped(registered, left_out):
    """(item ID, result) of each result of a registered loop, leaving out skipped ones and the IDs ``left_out``."""
    results = registered.get("results") if isinstance(registered, dict) else None
    for result in results or []:
        item_id = (result.get("item") or {}).get("id")
        if not result.get("skipped") and item_id not in left_out:
            yield item_id, result


def _excluded(exclude, name):
    return exclude is not None and isinstance(name, str) and exclude.search(name) is not None


def _exclude_reason(settings):
    return "its display name matches cleanup_exclude_regex %r" % settings["exclude_regex"]


def cleanup_summary(selection, settings, applied, previews=None, deletions=None, waits=None):
    """The summary of a run: per kind, each selected resource in exactly one category.

    ``previews`` and ``deletions`` map a kind to the registered result of its check-mode and real loop (None for a
    loop that did not run); ``waits`` is
    the registered result of the loop that waited for the deleted environments. In a preview (``applied`` false) the
    resources that would go are under ``would_delete``, otherwise under ``deleted``.
    """
    done = "deleted" if applied else "would_delete"
    summary = dict(
        mode="apply" if applied else "preview",
        display_name_regex=settings.get("display_name_regex"),
        exclude_regex=settings.get("exclude_regex"),
        older_than=settings.get("older_than"),
    )
    for kind in KINDS:
        previewed = _by_id((previews or {}).get(kind))
        deleted = _by_id((deletions or {}).get(kind))
        # Only environments are waited for: the API's acceptance of a cluster's or connector's deletion is enough.
        waited = _by_id(waits) if kind == "environments" else {}
        categories = {done: [], "already_gone": [], "still_deleting": [], "failed": [],
                      "kept": list(selection["kept"].get(kind, []))}
        for resource in selection.get(kind, []):
            category, entry = _outcome(kind, resource, previewed.get(resource["id"]), applied,
                                       deleted.get(resource["id"]), waited.get(resource["id"]))
            categories[category].append(entry)
        if done == "would_delete":
            categories.pop("still_deleting")
        summary[kind] = categories
    summary["message"] = _count_line(summary, done, [kind for kind in KINDS if settings.get(kind, True)])
    return summary


def _outcome(kind, resource, preview, applied, deletion, wait):
    """(category, entry) of one selected resource."""
    if preview is None:
        return "failed", dict(resource, msg="not previewed: the run ended before it")
    if preview.get("failed"):
        return "failed", dict(resource, msg=preview.get("msg"))
    if not preview.get("changed"):
        return "already_gone", resource
    entry = dict(resource, **_contents(kind, preview))
    if not applied:
        return "would_delete", entry
    if deletion is None:
        return "failed", dict(entry, msg="not deleted: the run ended before it")
    if not deletion.get("changed"):
        if deletion.get("failed"):
            return "failed", dict(entry, msg=deletion.get("msg"))
        return "already_gone", resource
    # The API accepted the deletion: never a failure, at worst not yet finished.
    if deletion.get("failed"):
        return "still_deleting", dict(entry, msg=deletion.get("msg"))
    if wait is not None and wait.get("failed"):
        return "still_deleting", dict(entry, msg=wait.get("msg"))
    return "deleted", entry


def _contents(kind, preview):
    contents = preview.get("contents") or {}
    if kind == "environments":
        return dict(kafka_clusters=contents.get("kafka_clusters") or [], connectors=contents.get("connectors") or [])
    if kind == "kafka_clusters":
        return dict(connectors=contents.get("connectors") or [], ksqldb_clusters=contents.get("ksqldb_clusters"))
    if kind == "connectors":
        return {}
    return dict(api_keys=contents.get("api_keys"))


def _identity(resource):
    return dict(id=resource.get("id"), display_name=resource.get("display_name"),
                created_at=(resource.get("metadata") or {}).get("created_at"), age_seconds=resource.get("age_seconds"))


def _by_id(registered):
    """The results of a registered loop over selected resources, by the resource's ID; skipped ones left out."""
    results = registered.get("results") if isinstance(registered, dict) else None
    return {(result.get("item") or {}).get("id"): result for result in results or [] if not result.get("skipped")}


def _count_line(summary, done, swept):
    """The count line, naming only the kinds swept (``swept``)."""
    def count(category):
        return sum(len(summary[kind].get(category, [])) for kind in KINDS)

    went = ", ".join(_plural(len(summary[kind][done]), *NOUNS[kind]) for kind in swept)
    line = "%s %s" % ("deleted" if done == "deleted" else "would delete", went)
    for category, label in (("still_deleting", "still being deleted"), ("already_gone", "already gone")):
        if count(category):
            line += "; %d %s" % (count(category), label)
    line += "; %d failed; %d kept" % (count("failed"), count("kept"))
    return line


def cleanup_report(summary, check_mode=False):
    """Lines for the user: one per resource with what goes with it, then the count line, and in a preview how to
    delete."""
    lines = []
    done = "deleted" if summary["mode"] == "apply" else "would_delete"
    for category, verb in ((done, "deleted" if done == "deleted" else "would delete"),
                           ("still_deleting", "still being deleted"), ("already_gone", "already gone"),
                           ("failed", "FAILED"), ("kept", "kept")):
        for kind in KINDS:
            for entry in summary.get(kind, {}).get(category, []):
                lines.append("%s %s" % (verb, _describe(kind, entry)))
    lines.append(summary["message"])
    if done == "would_delete":
        count = sum(len(summary.get(kind, {}).get("would_delete", [])) for kind in KINDS)
        if count == 0:
            lines.append("Nothing was deleted: nothing is left to delete.")
        elif check_mode:
            lines.append("Nothing was deleted: check mode (--check) only previews; run without --check, with -e "
                         "cleanup_apply=true, to delete these %d resources." % count)
        else:
            lines.append("Nothing was deleted; add -e cleanup_apply=true to delete these %d resources." % count)
    return lines


def _describe(kind, entry):
    text = "%s %s (%s)" % (NOUNS[kind][0], entry.get("id"), entry.get("display_name"))
    goes = []
    if kind == "environments" and "kafka_clusters" in entry:
        goes.append(_names(entry["kafka_clusters"], "id", "Kafka cluster", "Kafka clusters"))
        goes.append(_names(entry["connectors"], "name", "connector", "connectors"))
    elif kind == "service_accounts" and "api_keys" in entry:
        goes.append("its API keys (not listed: an access token may not read them)" if entry["api_keys"] is None
                    else _names(entry["api_keys"], "id", "API key", "API keys"))
    elif kind == "kafka_clusters" and "connectors" in entry:
        goes.append(_names(entry["connectors"], "name", "connector", "connectors"))
        goes.append("its ksqlDB clusters (not listed: Confluent's ksqlDB API does not accept an access token)"
                    if entry["ksqldb_clusters"] is None
                    else _names(entry["ksqldb_clusters"], "id", "ksqlDB cluster", "ksqlDB clusters"))
    if kind == "kafka_clusters":
        text += " in %s" % entry.get("environment_id")
    elif kind == "connectors":
        text += " %s in %s of %s" % (entry.get("state"), entry.get("kafka_cluster_id"), entry.get("environment_id"))
    if goes:
        text += " with " + " and ".join(goes)
    if entry.get("reason"):
        text += ": " + entry["reason"]
    if entry.get("msg"):
        text += ": " + entry["msg"]
    return text


def _names(items, key, singular, plural):
    text = _plural(len(items), singular, plural)
    if items:
        names = [str(item.get(key)) for item in items[:NAMES_SHOWN]]
        if len(items) > NAMES_SHOWN:
            names.append("and %d more" % (len(items) - NAMES_SHOWN))
        text += " (%s)" % ", ".join(names)
    return text


def _plural(count, singular, plural):
    return "%d %s" % (count, singular if count == 1 else plural)

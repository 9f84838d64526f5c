# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the cleanup role selected, and what became of each selected resource, from its tasks' results.

Every selected resource ends in exactly one category; an accepted deletion is never a failure.
"""

from __future__ import annotations

import re

KINDS = ("environments", "service_accounts")
NOUNS = dict(environments=("environment", "environments"), service_accounts=("service account", "service accounts"))
# Names listed in full on a report line before "and N more".
NAMES_SHOWN = 5


def cleanup_selection(settings, found_environments=None, found_service_accounts=None):
    """The resources to sweep from the info modules' results, and those kept with the reason.

    A display name that cleanup_exclude_regex matches is kept; so is the service account the info module left out
    because it owns the run's API key (its ``excluded``).
    """
    exclude = re.compile(settings["exclude_regex"]) if settings.get("exclude_regex") else None
    selection = dict(kept={})
    for kind, found, key in (("environments", found_environments, "environments"),
                             ("service_accounts", found_service_accounts, "service_accounts")):
        found = found if isinstance(found, dict) else {}
        chosen, kept = [], []
        for resource in found.get(key) or []:
            entry = _identity(resource)
            if exclude is not None and isinstance(entry["display_name"], str) and exclude.search(entry["display_name"]):
                kept.append(dict(entry, reason="its display name matches cleanup_exclude_regex %r"
                                 % settings["exclude_regex"]))
            else:
                chosen.append(entry)
        for resource in found.get("excluded") or []:
            kept.append(dict(_identity(resource), reason=resource.get("reason")))
        selection[kind] = chosen
        selection["kept"][kind] = kept
    selection["count"] = sum(len(selection[kind]) for kind in KINDS)
    return selection


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
    waited = _by_id(waits)
    for kind in KINDS:
        previewed = _by_id((previews or {}).get(kind))
        deleted = _by_id((deletions or {}).get(kind))
        categories = {done: [], "already_gone": [], "still_deleting": [], "failed": [],
                      "kept": list(selection["kept"][kind])}
        for resource in selection[kind]:
            category, entry = _outcome(kind, resource, previewed.get(resource["id"]), applied,
                                       deleted.get(resource["id"]), waited.get(resource["id"]))
            categories[category].append(entry)
        if done == "would_delete":
            categories.pop("still_deleting")
        summary[kind] = categories
    summary["message"] = _count_line(summary, done)
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
    return dict(api_keys=contents.get("api_keys"))


def _identity(resource):
    return dict(id=resource.get("id"), display_name=resource.get("display_name"),
                created_at=(resource.get("metadata") or {}).get("created_at"), age_seconds=resource.get("age_seconds"))


def _by_id(registered):
    """The results of a registered loop over selected resources, by the resource's ID; skipped ones left out."""
    results = registered.get("results") if isinstance(registered, dict) else None
    return {(result.get("item") or {}).get("id"): result for result in results or [] if not result.get("skipped")}


def _count_line(summary, done):
    def count(category):
        return sum(len(summary[kind].get(category, [])) for kind in KINDS)

    went = ", ".join(_plural(len(summary[kind][done]), *NOUNS[kind]) for kind in KINDS)
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
            for entry in summary[kind].get(category, []):
                lines.append("%s %s" % (verb, _describe(kind, entry)))
    lines.append(summary["message"])
    if done == "would_delete":
        count = len(summary["environments"]["would_delete"]) + len(summary["service_accounts"]["would_delete"])
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

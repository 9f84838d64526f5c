# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What make demo prints (tools/demo.py): headings, one line per task result, the organisation before and after a
part, and the verdict. The checks themselves are tests/support/evidence.py's."""

from __future__ import annotations

import datetime
import os
import sys
import textwrap

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests"))

from support import evidence  # noqa: E402  pylint: disable=wrong-import-position

WIDTH = 100
BOLD, CYAN, GREEN, RED, RESET = "\x1b[1m", "\x1b[36m", "\x1b[32m", "\x1b[31m", "\x1b[0m"


class Printer:
    """Writes the demo's lines to stream: headings in colour on a terminal (never when NO_COLOR is set), each
    playbook's own output only when verbose."""

    def __init__(self, stream, verbose=False):
        self.stream = stream
        self.verbose = verbose
        self.colour = stream.isatty() and not os.environ.get("NO_COLOR")

    def say(self, text="", detail_only=False):
        if self.verbose or not detail_only:
            self.stream.write(text + "\n")
            self.stream.flush()

    def paint(self, text, *styles):
        return "".join(styles) + text + RESET if self.colour else text

    def heading(self, text, rule):
        self.say()
        if self.verbose:
            self.say(self.paint(rule * WIDTH, BOLD))
        self.say(self.paint(text, BOLD, CYAN))

    def detail(self, line):
        """A line of a playbook's own output: shown only when verbose."""
        if self.verbose:
            self.stream.write(line)
            self.stream.flush()

    def verdict(self, ok, lines):
        """The last lines: the first in green (ok) or red, all wrapped at WIDTH columns."""
        for index, line in enumerate(lines):
            wrapped = textwrap.wrap(line, WIDTH, subsequent_indent="    " if line.startswith("  ") else "  ")
            for number, part in enumerate(wrapped):
                self.say(self.paint(part, BOLD, GREEN if ok else RED) if index == number == 0 else part)


def join_words(words):
    return " and ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " and " + words[-1]


def age(created_at, now):
    """A short age such as "3 d" or "30 h" between two RFC 3339 times; "" when either is unknown."""
    try:
        seconds = (datetime.datetime.fromisoformat(now.replace("Z", "+00:00"))
                   - datetime.datetime.fromisoformat(created_at.replace("Z", "+00:00"))).total_seconds()
    except (AttributeError, TypeError, ValueError):
        return ""
    for unit, size, least in (("d", 86400, 2 * 86400), ("h", 3600, 3600), ("min", 60, 60)):
        if seconds >= least:
            return "%d %s" % (seconds // size, unit)
    return "%d s" % max(seconds, 0)


def organisation_table(before_state, after_state, direct, what="the run", now=None):
    """Lines of the table of the organisation before and after: each resource kept, deleted, deleted with what held
    it, or marked LEFT BEHIND / NOT A TARGET where evidence.left_and_lost finds it. now (RFC 3339) adds the age of
    environments and service accounts."""
    before, after = evidence.resources(before_state), evidence.resources(after_state)
    left, lost = evidence.left_and_lost(before, after, direct)
    width = max([len("  " * value.depth + value.label) for value in before.values()] + [40]) + 2
    lines = ["  %-*s %-6s %s" % (width, "RESOURCE (before %s)" % what, "AGE", "AFTER")]
    for key, value in before.items():
        if key in after and not after[key].deleting:
            status = "kept"
        else:
            parents = [key[:size] for size in range(len(key) - 1, 0, -1) if key[:size] in direct]
            with_it = " (with its %s)" % before[parents[0]].kind if parents and key not in direct else ""
            status = ("being deleted" if key in after else "deleted") + with_it
        status += "   <-- LEFT BEHIND" if key in left else "   <-- NOT A TARGET" if key in lost else ""
        shown_age = age(value.created_at, now) if now and value.kind in evidence.TOP_KINDS else ""
        lines.append("  %-*s %-6s %s" % (width, "  " * value.depth + value.label, shown_age, status))
    return lines


def describe_result(result, owners):
    """The resource a task's result names, and what goes with it, e.g. 'environment env-1 "ci" (with 1 Kafka cluster
    and 2 connectors)'."""
    key = evidence.result_key(result, owners)
    if not key:
        return "a resource it does not name"
    kind = next(name for name in ("connector", "kafka_cluster", "environment", "service_account", "api_key")
                if result.get(name))
    label = "%s %s" % (kind.replace("_", " ").replace("kafka", "Kafka").replace("api", "API"), "/".join(key))
    if result[kind].get("display_name"):
        label += ' "%s"' % result[kind]["display_name"]
    contents = result.get("contents") or {}
    if result.get("deleted_topics"):
        contents = dict(contents, topics=result["deleted_topics"])
    along = [evidence.plural(len(contents[name]), word) for name, word in (
        ("kafka_clusters", "Kafka cluster"), ("connectors", "connector"), ("ksqldb_clusters", "ksqlDB cluster"),
        ("api_keys", "API key"), ("topics", "topic")) if contents.get(name)]
    return label + (" (with %s)" % join_words(along) if along else "")


def run_lines(records, mode, owners):
    """One line per resource that the collection's tasks changed and per failed result, or one saying that none
    changed."""
    if records is None:
        return ["no task results were recorded"]
    done = "would delete" if mode == "preview" else "deleted"
    # A resource once, as its first changed result describes it (the cleanup previews what it then deletes).
    described = {}
    for record in records:
        if record["changed"]:
            described.setdefault(evidence.result_key(record["result"], owners) or len(described),
                                 describe_result(record["result"], owners))
    lines = ["%s %s" % (done, text) for text in described.values()]
    lines += ["FAILED %s: %s" % (record["task"], record["result"].get("msg", "")) for record in records
              if record["status"] == "failed"]
    return lines or ["no task of the collection reported a change (%s)" % evidence.plural(len(records), "result")]


def tally_phrase(tally):
    """e.g. "deleted 2 environments (with 2 Kafka clusters and 3 connectors) and 1 connector, kept 6 environments and
    6 service accounts", from evidence.tally()."""
    phrases = []
    for kind in evidence.KINDS:
        if tally["deleted"].get(kind):
            along = tally["along"].get(kind)
            along = [evidence.plural(count, part) for part, count in (along or {}).items() if count]
            phrases.append(evidence.plural(tally["deleted"][kind], kind) + (" (with %s)" % join_words(along)
                                                                            if along else ""))
    kept = [evidence.plural(count, kind) for kind, count in tally["kept"].items()]
    return "deleted %s, kept %s" % (join_words(phrases) or "nothing", join_words(kept))


def verdict(parts, problems):
    """(ok, lines) of the verdict: each part's tally, or each problem."""
    if problems:
        return False, ["Demo FAILED (%s):" % evidence.plural(len(problems), "problem")] + [
            "  " + problem for problem in problems]
    return True, ["Demo OK:"] + [
        "  %s: previewed, then %s; the re-run changed nothing" % (name, tally_phrase(part["tally"]))
        for name, part in parts.items()] + [
        "  the %s also swept inside %s, which it kept" % (name, join_words(part["swept_inside"]))
        for name, part in parts.items() if part.get("swept_inside")] + [
        "  the previews sent GET requests only"]

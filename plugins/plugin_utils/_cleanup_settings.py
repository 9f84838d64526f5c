# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The cleanup role's variables, checked in the words the user wrote them before any request.

Every problem names the variable the user set; the role adds "Nothing was deleted." once, after all of them.
"""

from __future__ import annotations

import difflib
import re

from ansible.module_utils.parsing.convert_bool import BOOLEANS_FALSE, BOOLEANS_TRUE

from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._errors import TaskFailure
from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._selectors import compile_pattern, parse_age

# The variables a user may set, with what each must be. Names starting with cleanup__ are the role's own.
VARIABLES = (
    "cleanup_display_name_regex",
    "cleanup_exclude_regex",
    "cleanup_older_than",
    "cleanup_apply",
    "cleanup_max",
    "cleanup_environments",
    "cleanup_service_accounts",
    "cleanup_wait_timeout",
    "cleanup_summary_file",
    "cleanup_kafka_clusters",
    "cleanup_connectors",
    "cleanup_connector_states",
)
# What the role sets for the user to read.
RESULTS = ("cleanup_summary",)
INTERNAL_PREFIX = "cleanup__"
# The states of a connector in Confluent's connect/v1 API.
CONNECTOR_STATES = ("NONE", "PROVISIONING", "RUNNING", "DEGRADED", "FAILED", "PAUSED", "DELETED")
# The switches of the kinds the cleanup sweeps.
SWITCHES = ("cleanup_environments", "cleanup_service_accounts", "cleanup_kafka_clusters", "cleanup_connectors")

# Names that no sweep pattern may match all of: a pattern that does matches any display name.
ANY_NAME_PROBES = ("a", "Z", "7", "-", "_", ".", " ")


def cleanup_settings(given, names=()):
    """The role's settings from the variables ``given`` (name -> value, None when unset).

    ``names`` are the names of every cleanup_* variable defined, to catch a misspelt one.
    Returns the settings under short names, with ``problems``: one message per problem, empty when all is well.
    """
    check = _Checker(given)
    settings = dict(
        display_name_regex=check.pattern("cleanup_display_name_regex", required=True),
        exclude_regex=check.pattern("cleanup_exclude_regex", required=False),
        older_than=check.age("cleanup_older_than"),
        apply=check.boolean("cleanup_apply"),
        max=check.whole_number("cleanup_max", minimum=1),
        environments=check.boolean("cleanup_environments"),
        service_accounts=check.boolean("cleanup_service_accounts"),
        wait_timeout=check.whole_number("cleanup_wait_timeout", minimum=0),
        summary_file=check.text("cleanup_summary_file"),
        kafka_clusters=check.boolean("cleanup_kafka_clusters"),
        connectors=check.boolean("cleanup_connectors"),
        connector_states=check.states("cleanup_connector_states"),
    )
    if all(settings[name[len("cleanup_"):]] is False for name in SWITCHES):
        check.problems.append("%s and %s are all false: there is nothing to sweep."
                              % (", ".join(SWITCHES[:-1]), SWITCHES[-1]))
    check.unknown(names)
    settings["problems"] = check.problems
    return settings


class _Checker:
    def __init__(self, given):
        self.given = given
        self.problems = []

    def value(self, name):
        return self.given.get(name)

    def refuse(self, name, must_be):
        self.problems.append("%s must be %s, got %s." % (name, must_be, _shown(self.value(name))))

    def text(self, name):
        value = self.value(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self.refuse(name, "a string")
            return None
        return value

    def pattern(self, name, required):
        value = self.value(name)
        if required and (value is None or (isinstance(value, str) and not value.strip())):
            self.problems.append(
                "%s is required and has no default, so that a cleanup never means \"everything\": give a Python "
                "regular expression for the display names to sweep, anchored to a prefix, such as '^ci-'." % name)
            return None
        value = self.text(name)
        if value is None:
            return None
        try:
            compiled = compile_pattern(name, value)
        except TaskFailure as exc:
            self.problems.append(str(exc) + ".")
            return None
        if compiled.search(""):
            self.match_all(name, value, "it matches the empty string")
        elif all(compiled.search(probe) for probe in ANY_NAME_PROBES):
            self.match_all(name, value, "it matches any single character")
        return value

    def match_all(self, name, value, why):
        if name == "cleanup_display_name_regex":
            self.problems.append(
                "%s %r matches every display name (%s): anchor it to a prefix, such as '^ci-'." % (name, value, why))
        else:
            self.problems.append("%s %r would exclude every display name (%s), leaving nothing to sweep."
                                 % (name, value, why))

    def age(self, name):
        value = self.value(name)
        if not isinstance(value, str):
            self.refuse(name, "an age such as 90m, 6h or 2d (a number followed by s, m, h or d)")
            return None
        try:
            parse_age(name, value)
        except TaskFailure as exc:
            self.problems.append(str(exc) + ".")
            return None
        return value.strip()

    def boolean(self, name):
        value = self.value(name)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in BOOLEANS_TRUE:
            return True
        if isinstance(value, str) and value.strip().lower() in BOOLEANS_FALSE:
            return False
        self.refuse(name, "true or false")
        return None

    def states(self, name):
        """A list of connector states; a comma-separated string too (AWX surveys send text); empty for any state."""
        value = self.value(name)
        if value is None:
            return []
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            self.refuse(name, "a list of connector states (%s)" % ", ".join(CONNECTOR_STATES))
            return None
        states = [item.strip().upper() for item in items if item.strip()]
        unknown = [item for item in states if item not in CONNECTOR_STATES]
        if unknown:
            self.problems.append("%s must list connector states, each one of %s; got %s, which it does not know."
                                 % (name, ", ".join(CONNECTOR_STATES), ", ".join(repr(item) for item in unknown)))
            return None
        return sorted(set(states), key=CONNECTOR_STATES.index)

    def whole_number(self, name, minimum):
        value = self.value(name)
        number = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and re.match(r"^\s*\d+\s*$", value):
            number = int(value)
        if number is None or number < minimum:
            self.refuse(name, "a whole number of at least %d" % minimum)
            return None
        return number

    def unknown(self, names):
        known = set(VARIABLES) | set(RESULTS)
        for name in sorted(set(names)):
            if name in known or name.startswith(INTERNAL_PREFIX):
                continue
            close = difflib.get_close_matches(name, VARIABLES, n=1)
            hint = " (did you mean %s?)" % close[0] if close else ""
            self.problems.append("%s is not a variable of the cleanup%s; it knows %s."
                                 % (name, hint, ", ".join(VARIABLES)))


def _shown(value):
    """A value as the user wrote it, with its kind when it is not text."""
    if isinstance(value, str):
        return repr(value)
    if value is None:
        return "nothing"
    kind = {list: "a list", dict: "a mapping", bool: "a boolean", int: "a number", float: "a number"}
    for cls, name in kind.items():
        if isinstance(value, cls):
            return "%s (%r)" % (name, value)
    return repr(value)

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Choosing resources from a list by display name and age (doc fragment ``selectors``)."""

from __future__ import annotations

import datetime
import re
import time

from ._api import display_name
from ._errors import TaskFailure

AGE_UNITS = dict(s=1, m=60, h=3600, d=86400)
AGE_PATTERN = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
RFC3339_PATTERN = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$"
)


def selector_argument_spec():
    return dict(
        display_name=dict(type="str"),
        display_name_regex=dict(type="str"),
        older_than=dict(type="str"),
    )


class Selection:
    """The resources of a list that a task means: exact display_name, display_name_regex, older_than.

    Raises TaskFailure, naming the option, for a bad regular expression or age.
    """

    def __init__(self, params):
        self.display_name = params.get("display_name")
        self.pattern = compile_pattern("display_name_regex", params.get("display_name_regex"))
        self.min_age = parse_age("older_than", params.get("older_than"))

    def select(self, resources):
        """The matching resources, oldest first, each with ``age_seconds`` (None without a creation time)."""
        now = time.time()
        selected = []
        for resource in resources:
            name = display_name(resource)
            if self.display_name is not None and name != self.display_name:
                continue
            if self.pattern is not None and not (isinstance(name, str) and self.pattern.search(name)):
                continue
            created = created_at(resource)
            age = None if created is None else max(0.0, now - created)
            if self.min_age is not None and (age is None or age <= self.min_age):
                continue
            selected.append((created, resource, age))
        selected.sort(key=lambda item: (item[0] is None, item[0] or 0.0, str(item[1].get("id"))))
        return [dict(resource, age_seconds=None if age is None else int(age)) for created, resource, age in selected]


def compile_pattern(option, pattern):
    if pattern is None:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise TaskFailure("%s is not a valid regular expression (%s): %r" % (option, exc, pattern))


def parse_age(option, text):
    """Seconds from an age such as 90m, 6h or 1.5d; None when not given."""
    if text is None:
        return None
    match = AGE_PATTERN.match(text.strip())
    if not match:
        raise TaskFailure("%s must be a number followed by s, m, h or d, such as 90m or 6h; got %r" % (option, text))
    return float(match.group(1)) * AGE_UNITS[match.group(2)]


def created_at(resource):
    """metadata.created_at as epoch seconds, or None when missing or not RFC 3339."""
    value = (resource.get("metadata") or {}).get("created_at")
    match = RFC3339_PATTERN.match(value) if isinstance(value, str) else None
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, utc, sign, offset_hours, offset_minutes = match.groups()
    offset = datetime.timedelta(0)
    if not utc:
        offset = datetime.timedelta(hours=int(offset_hours), minutes=int(offset_minutes))
        if sign == "-":
            offset = -offset
    try:
        moment = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                                   tzinfo=datetime.timezone(offset))
    except ValueError:
        return None
    return moment.timestamp() + float("0." + fraction if fraction else 0)

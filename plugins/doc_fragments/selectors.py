# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Info modules that choose from a list by display name and age; they add age_seconds to what they return.
    DOCUMENTATION = r"""
options:
  display_name:
    description:
      - Only the resources whose display name is B(exactly) this value (no substring or case-insensitive match).
      - Empty or whitespace-only values, control characters and values longer than 1024 characters are refused before
        any request.
    type: str
  display_name_regex:
    description:
      - Only the resources whose display name matches this Python regular expression, anywhere in the name
        (C(re.search)); anchor it with C(^) and C($) to match the whole name, for example V(^ci-).
      - An invalid expression fails the task before any request.
    type: str
  older_than:
    description:
      - Only the resources created longer ago than this age, from their C(metadata.created_at).
      - A number followed by a unit, V(s), V(m), V(h) or V(d), for example V(90m), V(6h) or V(1.5d).
      - Resources without a creation time are left out when this is set.
    type: str
notes:
  - The filters combine; each one narrows the result further. The result is sorted oldest first, and each resource
    gets C(age_seconds), its age in whole seconds on the host that runs the module (null without a creation time).
"""

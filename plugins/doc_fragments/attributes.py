# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # What every module of the collection supports; add ABSENT or INFO for check mode and diff.
    DOCUMENTATION = r"""
options: {}
attributes:
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
    details:
      - When the task runs on the controller (V(localhost) in the inventory or implicit, C(delegate_to=localhost),
        or C(connection=local)), without become or async, and the controller's Python has C(requests), the module's
        code runs inside Ansible's worker process instead of a new Python process, which makes each task cheaper.
        Options, results, check mode, diff and the task's C(environment) are the same either way.
      - Otherwise the module runs on the target as usual, with the target's Python.
  async:
    description: Supports being used with the C(async) keyword.
    support: full
  action_group:
    description: Use C(group/kafkaops.confluent_cloud.all) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - kafkaops.confluent_cloud.all
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: all
"""

    # Modules that delete.
    ABSENT = r"""
options: {}
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - Check mode sends only GET requests, never a DELETE.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details:
      - Fetches the resource before deleting it and returns it as the diff's C(before).
"""

    # Modules that only read.
    INFO = r"""
options: {}
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - This module only reads. In check mode it sends the same requests and returns the same result.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
"""

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Modules whose resource Confluent Cloud deletes asynchronously.
    DOCUMENTATION = r"""
options:
  wait:
    description:
      - Whether to wait until the resource is gone after the API accepted its deletion.
      - Polls the resource with growing intervals (from 1 up to 10 seconds) until the API answers 404 (or 403, since
        a resource one was just allowed to delete and now may not read is gone).
      - When the API already shows the resource as being deleted, the task is C(ok) and, with O(wait=true), waits too.
    type: bool
    default: false
  wait_timeout:
    description:
      - How many seconds to wait in all with O(wait=true) before failing. The deletion goes on in Confluent Cloud.
    type: int
    default: 600
"""

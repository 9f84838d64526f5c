# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The filters of the cleanup role (roles/cleanup): its variables checked, its selection, its summary and report.

Each is documented in the YAML file of its name beside this one.
"""

from __future__ import annotations

from ansible_collections.kafkaops.confluent_cloud.plugins.plugin_utils._cleanup_settings import cleanup_settings
from ansible_collections.kafkaops.confluent_cloud.plugins.plugin_utils._cleanup_summary import (
    cleanup_report,
    cleanup_selection,
    cleanup_summary,
)


class FilterModule:
    def filters(self):
        return dict(
            cleanup_settings=cleanup_settings,
            cleanup_selection=cleanup_selection,
            cleanup_summary=cleanup_summary,
            cleanup_report=cleanup_report,
        )

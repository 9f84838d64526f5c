# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.modules.module_runner import (  # noqa: F401 pylint: disable=unused-import
    run_module,
    through_action_plugin,
)

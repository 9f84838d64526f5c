# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs confluent_api_key inside the controller's worker process when the task runs on the controller."""

from __future__ import annotations

from ansible_collections.kafkaops.confluent_cloud.plugins.modules.confluent_api_key import ApiKeyAbsent
from ansible_collections.kafkaops.confluent_cloud.plugins.plugin_utils._in_process import ResourceAction


class ActionModule(ResourceAction):
    resource_class = ApiKeyAbsent

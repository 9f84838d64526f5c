# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action plugin of confluent_kafka_topic_info: ResourceAction, the same for every module (plugins/plugin_utils/_in_process.py)."""

from __future__ import annotations

from ansible_collections.kafkaops.confluent_cloud.plugins.plugin_utils._in_process import ResourceAction


class ActionModule(ResourceAction):
    """Runs the module's class in Ansible's worker process on a local connection, the module otherwise."""

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action plugin of every module of the collection, not only confluent_environment.

meta/runtime.yml names it as each module's action plugin (``plugin_routing: modules: NAME: action_plugin:``), and
ResourceAction runs the class of the task's own module: inside the controller's worker process when the task runs
on the controller, as the module otherwise. A new module needs its routing entry, no file here.

It carries confluent_environment's name because ansible-test's action-plugin-docs sanity test refuses an action
plugin that no module of the same name documents.
"""

from __future__ import annotations

from ansible_collections.kafkaops.confluent_cloud.plugins.plugin_utils._in_process import ResourceAction


class ActionModule(ResourceAction):
    """Every module's action: see ResourceAction."""

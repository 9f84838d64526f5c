# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The tests of api_rate_limit_timeout again, through the module's action plugin (which only tests/unit/plugins/action
can import): a local task must validate the option and end its waits exactly like the module."""

from __future__ import annotations

from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.module_utils import test_rate_limit_timeout

for _name, _value in list(vars(test_rate_limit_timeout).items()):
    if _name.startswith("test_") or _name == "no_timeout_in_the_environment":
        globals()[_name] = _value

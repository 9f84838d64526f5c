# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every module test again, through the module's action plugin: a local task must behave exactly like the module.

The tests are found, not listed: tests/unit/plugins/modules/test_<module>.py for each module of plugins/modules, and
test_failure_results.py. A module without its test file is reported by tests/unit/plugins/test_module_checklist.py.
"""

from __future__ import annotations

import importlib
import os

TESTS_PACKAGE = "ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.modules"
HERE = os.path.dirname(os.path.abspath(__file__))
MODULES_DIR = os.path.join(HERE, "..", "..", "..", "..", "plugins", "modules")
TESTS_DIR = os.path.join(HERE, "..", "modules")


def module_test_names():
    names = sorted("test_" + name[:-3] for name in os.listdir(MODULES_DIR)
                   if name.endswith(".py") and not name.startswith("_"))
    return [name for name in names if os.path.isfile(os.path.join(TESTS_DIR, name + ".py"))] + ["test_failure_results"]


for _prefix in module_test_names():
    _tests = importlib.import_module("%s.%s" % (TESTS_PACKAGE, _prefix))
    for _name, _test in list(vars(_tests).items()):
        if _name.startswith("test_") and callable(_test):
            globals()["%s__%s" % (_prefix, _name[len("test_"):])] = _test

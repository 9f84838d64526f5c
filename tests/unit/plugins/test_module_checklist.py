# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Each module of plugins/modules has every file that CONTRIBUTING.md's checklist "Adding a module" lists.

One test per module, found from plugins/modules, that names what is missing and where it goes. The simulator's route
file is not checked here: the integration tasks that the module must have fail without it.
"""

from __future__ import annotations

import importlib
import os
import re

import pytest
import yaml

from ansible_collections.kafkaops.confluent_cloud.plugins.plugin_utils._in_process import ResourceAction, resource_class_of

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
COLLECTION = "kafkaops.confluent_cloud"


def read(*path):
    with open(os.path.join(ROOT, *path), encoding="utf-8") as handle:
        return handle.read()


def python_files(*path):
    return sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, *path))
                  if name.endswith(".py") and not name.startswith("_"))


MODULES = python_files("plugins", "modules")
RUNTIME = yaml.safe_load(read("meta", "runtime.yml"))


def contract_modules():
    scenarios = yaml.safe_load(read("tests", "contract", "scenarios.yml"))
    return {scenario["module"].rsplit(".", 1)[-1] for scenario in scenarios.get("modules") or []}


def failure_scenario_modules():
    return set(importlib.import_module(
        "ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.modules.test_failure_results").SCENARIOS)


def integration_task_files():
    targets = os.path.join(ROOT, "tests", "integration", "targets")
    for directory, _dirs, files in os.walk(targets):
        for name in files:
            if name.endswith((".yml", ".yaml")):
                yield os.path.join(directory, name)


def modules_used_by_integration_tasks():
    used = set()
    for path in integration_task_files():
        with open(path, encoding="utf-8") as handle:
            used.update(re.findall(r"^\s*(?:- )?%s\.(\w+):" % re.escape(COLLECTION), handle.read(), re.MULTILINE))
    return used


def missing_files(module):
    """What ``module`` lacks of the checklist, each with where to add it; empty when nothing is missing."""
    missing = []
    source = read("plugins", "modules", module + ".py")
    # Where the resource lives: the Cloud API's collections (_api.py), or a Kafka cluster's data plane (_kafka_rest.py).
    if not re.search(r"^from \.\.module_utils\._(api|kafka_rest) import ", source, re.MULTILINE):
        missing.append("plugins/modules/%s.py names no collection of plugins/module_utils/_api.py (or, for a "
                       "cluster's data plane, of _kafka_rest.py)" % module)
    try:
        resource_class_of(importlib.import_module("ansible_collections.%s.plugins.modules.%s" % (COLLECTION, module)))
    except ValueError as error:
        missing.append("plugins/modules/%s.py: %s" % (module, error))
    if module not in RUNTIME["action_groups"]["all"]:
        missing.append("meta/runtime.yml: action_groups: all: - %s" % module)
    if module not in python_files("plugins", "action"):
        missing.append("plugins/action/%s.py: class ActionModule(ResourceAction), as the other modules have" % module)
    if not os.path.isfile(os.path.join(ROOT, "tests", "unit", "plugins", "modules", "test_%s.py" % module)):
        missing.append("tests/unit/plugins/modules/test_%s.py" % module)
    if module not in failure_scenario_modules():
        missing.append("tests/unit/plugins/modules/test_failure_results.py: SCENARIOS[%r]" % module)
    if module not in contract_modules():
        missing.append("tests/contract/scenarios.yml: a scenario under modules: with module: %s" % module)
    if module not in modules_used_by_integration_tasks():
        missing.append("tests/integration/targets/*/tasks: a task that runs %s.%s" % (COLLECTION, module))
    if not re.search(r"^\| `%s\.%s` \|" % (re.escape(COLLECTION), module), read("README.md"), re.MULTILINE):
        missing.append("README.md: a row of the module table, | `%s.%s` | What it does |" % (COLLECTION, module))
    if ":ansplugin:`%s.%s#module`" % (COLLECTION, module) not in read("docs", "docsite", "rst", "getting_started.rst"):
        missing.append("docs/docsite/rst/getting_started.rst: a line on :ansplugin:`%s.%s#module`"
                       % (COLLECTION, module))
    return missing


@pytest.mark.parametrize("module", MODULES)
def test_module_has_every_file_of_the_checklist(module):
    missing = missing_files(module)
    assert not missing, "%s misses (CONTRIBUTING.md, Adding a module):\n  %s" % (module, "\n  ".join(missing))


def test_meta_runtime_names_only_modules_that_exist():
    strays = sorted(set(RUNTIME["action_groups"]["all"]) - set(MODULES))
    assert not strays, "meta/runtime.yml names modules that plugins/modules does not have: %s" % strays


@pytest.mark.parametrize("name", python_files("plugins", "action"))
def test_every_action_plugin_is_the_shared_one_of_a_module(name):
    """Each action plugin is named after a module and is ResourceAction itself, adding nothing of its own."""
    assert name in MODULES
    action = importlib.import_module("ansible_collections.%s.plugins.action.%s" % (COLLECTION, name)).ActionModule
    assert action.__bases__ == (ResourceAction,)
    assert [name for name, value in vars(action).items() if callable(value) or not name.startswith("_")] == []

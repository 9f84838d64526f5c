# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Carries out a module's task inside Ansible's worker process when the task runs on the controller anyway.

A module task normally costs a new Python process that imports ``ansible.module_utils.basic`` and ``requests``
before it sends its one request: most of the task's time. When the connection is local (``hosts: localhost``,
``delegate_to: localhost``, ``connection: local``) that process would run on the controller, with the controller's
environment, so the same code runs here instead, where ``requests`` was imported once for the whole playbook.
Anything else (another host, become, async, a controller without ``requests``) runs the module as usual.

Every module's action plugin (plugins/action/NAME.py) is ResourceAction, which runs the class of the module that the
task names.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from copy import deepcopy

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase
from ansible.plugins.loader import module_loader
from ansible.utils.vars import merge_hash

from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._base import ConfluentModule
from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._client import HAS_REQUESTS

COLLECTION = "kafkaops.confluent_cloud"
MODULES_PACKAGE = "ansible_collections.kafkaops.confluent_cloud.plugins.modules"


class ModuleFinished(Exception):
    """Raised by exit_json and fail_json, as sys.exit() ends a module process."""

    def __init__(self, result):
        super().__init__()
        self.result = result


class InProcessModule:
    """The part of AnsibleModule that the resource classes use, with the same validation and result shape."""

    def __init__(self, name, argument_spec, args, check_mode, diff, **checks):
        self.check_mode = check_mode
        self._diff = diff
        self.params_given = deepcopy(args)
        self.no_log_values = set()
        self._warnings = []
        validated = ArgumentSpecValidator(argument_spec, **checks).validate(args)
        self.params = validated.validated_parameters
        self.no_log_values.update(validated._no_log_values)
        for alias in validated._warnings:
            self.warn("Both option %s and its alias %s are set." % (alias["option"], alias["alias"]))
        try:
            error = validated.errors[0]
        except IndexError:  # the error collection has no length, only indexing
            return
        msg = validated.errors.msg
        if isinstance(error, UnsupportedError):
            msg = "Unsupported parameters for (%s) module: %s" % (name, msg)
        self.fail_json(msg=msg)

    def warn(self, warning):
        self._warnings.append(warning)

    def exit_json(self, **result):
        raise ModuleFinished(self._formatted(result))

    def fail_json(self, msg, **result):
        result.update(failed=True, msg=msg)
        raise ModuleFinished(self._formatted(result))

    def _formatted(self, result):
        result.setdefault("invocation", {"module_args": self.params})
        if self._warnings:
            result["warnings"] = list(self._warnings)
        return remove_values(result, self.no_log_values)


def resource_class_of(module):
    """The one class that a module file defines on a workflow of module_utils (a ConfluentModule): what main() runs."""
    found = [value for value in vars(module).values()
             if isinstance(value, type) and issubclass(value, ConfluentModule) and value.__module__ == module.__name__]
    if len(found) != 1:
        raise ValueError("%s must define exactly one class on a workflow of module_utils (a ConfluentModule), found "
                         "%d: %s" % (module.__name__, len(found), ", ".join(sorted(c.__name__ for c in found))))
    return found[0]


def resource_class_for(action, collection_list=None):
    """The class of the module that a task's ``action`` names (FQCN, or short name through ``collections``), as
    Ansible resolves it; None for a module of another collection.

    Not the task's resolved_action, which some ansible-core versions set to the action plugin's name.
    """
    context = module_loader.find_plugin_with_context(action, collection_list=collection_list)
    collection, _dot, name = (context.resolved_fqcn or "").rpartition(".") if context.resolved else ("", "", "")
    if collection != COLLECTION:
        return None
    return resource_class_of(importlib.import_module("%s.%s" % (MODULES_PACKAGE, name)))


class ResourceAction(ActionBase):
    """The action plugin of every module built on ConfluentModule (meta/runtime.yml: each module's action_plugin).

    The module is the one the task's action names (its FQCN, or a short name through ``collections``), and its
    class is the one its file defines (resource_class_of).
    """

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        resource_class = self._can_run_in_process() and resource_class_for(self._task.action, self._task.collections)
        if not resource_class:
            return merge_hash(result, self._run_module(task_vars))
        environment = {}
        self._compute_environment_string(environment)
        with _environment_of_task(environment):
            result.update(self._run_in_process(resource_class))
        return result

    def _can_run_in_process(self):
        return (HAS_REQUESTS and self._connection.transport == "local" and not self._play_context.become
                and not self._task.async_val)

    def _run_module(self, task_vars):
        wrap_async = self._task.async_val
        result = self._execute_module(task_vars=task_vars, wrap_async=wrap_async)
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _run_in_process(self, resource_class):
        spec, checks = resource_class.module_spec()
        try:
            module = InProcessModule(self._task.action, spec, dict(self._task.args), check_mode=self._task.check_mode,
                                     diff=self._task.diff, **checks)
            resource_class(module).run()
        except ModuleFinished as finished:
            return finished.result
        raise AssertionError("%s.run() ended without a result" % resource_class.__name__)


@contextlib.contextmanager
def _environment_of_task(environment):
    """The task's ``environment:`` keyword, as a module process would have seen it; undone afterwards."""
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update((str(name), str(value)) for name, value in environment.items())
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

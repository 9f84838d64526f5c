# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What plugins/plugin_utils/_in_process.py takes from ansible-core's private API, checked on each ansible-core.

The in-process path reads names that ansible-core does not promise to keep: the ``_no_log_values`` and ``_warnings``
of ArgumentSpecValidator's results, ActionBase's ``_compute_environment_string``, ``_execute_module``,
``_remove_tmp_path``, ``_task``/``_connection``/``_play_context`` and ``_connection._shell.tmpdir``, and the
``_supports_check_mode``/``_supports_async`` flags that ActionBase.run honours. Each test below checks one of them by
what _in_process.py needs it to do, not only that it exists, and fails with its name and the ansible-core version:
a new ansible-core that changes one fails here, in ``ansible-test units``, before any playbook misbehaves.
"""

from __future__ import annotations

import contextlib
import inspect
from unittest.mock import MagicMock

import pytest

from ansible.errors import AnsibleActionFail, AnsibleActionSkip
from ansible.module_utils.basic import env_fallback
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase
from ansible.plugins.shell.sh import ShellModule
from ansible.release import __version__ as ANSIBLE_CORE_VERSION

from ansible_collections.kafkaops.confluent_cloud.plugins.plugin_utils import _in_process

SPEC = dict(
    api_key=dict(type="str", aliases=["key"]),
    api_secret=dict(type="str", no_log=True, fallback=(env_fallback, ["PRIVATE_API_TEST_SECRET"])),
    access_token=dict(type="str", no_log=True),
)


@contextlib.contextmanager
def reads(name):
    """Turn any error while using ansible-core's ``name`` into a failure that names it and this ansible-core."""
    try:
        yield
    except Exception as error:  # pylint: disable=broad-exception-caught  # any change of shape is the finding
        pytest.fail("ansible-core %s changed %s, which plugins/plugin_utils/_in_process.py reads: %s: %s. Adapt "
                    "_in_process.py to this version (or have ResourceAction run such tasks as modules)."
                    % (ANSIBLE_CORE_VERSION, name, type(error).__name__, error), pytrace=False)


class Action(ActionBase):
    """The smallest concrete ActionBase, to call its helpers as ResourceAction does."""

    def run(self, tmp=None, task_vars=None):
        return super().run(tmp, task_vars)


def action(async_val=0, check_mode=False, environment=None):
    task = MagicMock(args={}, action="kafkaops.confluent_cloud.confluent_connector", async_val=async_val,
                     check_mode=check_mode, environment=environment)
    return Action(task, MagicMock(transport="local"), MagicMock(become=False), None,
                  MagicMock(template=lambda value: value), None)


def test_the_no_log_values_of_a_validation_are_a_set_holding_the_secrets_given_and_from_the_environment(monkeypatch):
    monkeypatch.setenv("PRIVATE_API_TEST_SECRET", "secret-from-the-environment")
    with reads("ArgumentSpecValidator(...).validate(...)._no_log_values"):
        values = ArgumentSpecValidator(SPEC).validate(dict(access_token="token-given"))._no_log_values
        assert isinstance(values, set), "it is a %s, not a set" % type(values).__name__
        assert values == {"secret-from-the-environment", "token-given"}, "it holds %r" % (values,)


def test_the_warnings_of_a_validation_are_dicts_naming_an_option_and_its_alias_both_set():
    with reads("ArgumentSpecValidator(...).validate(...)._warnings"):
        warnings = ArgumentSpecValidator(SPEC).validate(dict(api_key="KEY1", key="KEY2"))._warnings
        assert isinstance(warnings, list), "it is a %s, not a list" % type(warnings).__name__
        assert [(warning["option"], warning["alias"]) for warning in warnings] == [("api_key", "key")], \
            "it holds %r" % (warnings,)
        assert ArgumentSpecValidator(SPEC).validate(dict(api_key="KEY1"))._warnings == []


def test_the_errors_of_a_validation_index_like_a_list_with_a_message():
    with reads("ArgumentSpecValidator(...).validate(...).errors[0] and .errors.msg"):
        no_errors = ArgumentSpecValidator(SPEC).validate(dict(api_key="KEY1")).errors
        pytest.raises(IndexError, lambda: no_errors[0])
        errors = ArgumentSpecValidator(SPEC).validate(dict(nonsense=1)).errors
        assert isinstance(errors[0], UnsupportedError), "errors[0] is a %s" % type(errors[0]).__name__
        assert isinstance(errors.msg, str) and "nonsense" in errors.msg, "errors.msg is %r" % (errors.msg,)


def test_the_in_process_module_still_masks_the_secrets_and_reports_the_alias_warnings(monkeypatch):
    monkeypatch.setenv("PRIVATE_API_TEST_SECRET", "secret-from-the-environment")
    with reads("ArgumentSpecValidator(...).validate(...)._no_log_values and ._warnings, through InProcessModule"):
        module = _in_process.InProcessModule("test", SPEC, dict(api_key="KEY1", key="KEY1"), check_mode=False,
                                             diff=False)
        with pytest.raises(_in_process.ModuleFinished) as finished:
            module.exit_json(echo="secret-from-the-environment")
        assert finished.value.result["echo"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER", finished.value.result
        assert finished.value.result["warnings"] == ["Both option api_key and its alias key are set."], \
            finished.value.result


def test_action_base_keeps_the_task_connection_and_play_context_it_is_given():
    task, connection, play_context = MagicMock(), MagicMock(), MagicMock()
    with reads("ActionBase.__init__(task, connection, play_context, ...) -> _task, _connection, _play_context"):
        plugin = Action(task, connection, play_context, None, MagicMock(), None)
        assert plugin._task is task and plugin._connection is connection and plugin._play_context is play_context


def test_compute_environment_string_fills_the_dict_it_is_given_with_the_task_environment():
    plugin = action(environment=[{"A": "parent", "B": "kept"}, None, {"A": "task"}])
    with reads("ActionBase._compute_environment_string(raw_environment_out)"):
        environment = {}
        plugin._compute_environment_string(environment)
        assert environment == {"A": "task", "B": "kept"}, "it filled in %r" % (environment,)
        plugin = action(environment=None)
        plugin._compute_environment_string(environment)
        assert environment == {}, "without an environment it left %r" % (environment,)


@pytest.mark.parametrize("flag, setting, refusal", [("_supports_async", dict(async_val=30), AnsibleActionFail),
                                                    ("_supports_check_mode", dict(check_mode=True), AnsibleActionSkip)])
def test_action_base_run_honours_the_support_flags(flag, setting, refusal):
    with reads("ActionBase.%s, as ActionBase.run() honours it" % flag):
        plugin = action(**setting)
        setattr(plugin, flag, False)
        with pytest.raises(refusal):
            plugin.run(task_vars={})
        setattr(plugin, flag, True)
        assert plugin.run(task_vars={}) == {}
        assert getattr(_in_process.ResourceAction, flag) is True


@pytest.mark.parametrize("name, args, kwargs, shown", [
    ("_execute_module", (), dict(task_vars={}, wrap_async=0), "task_vars=..., wrap_async=..."),
    ("_remove_tmp_path", ("/tmp/ansible-tmp-x",), {}, "tmp_path"),
])
def test_action_base_helpers_take_the_arguments_resource_action_passes(name, args, kwargs, shown):
    with reads("ActionBase.%s(%s)" % (name, shown)):
        method = getattr(ActionBase, name)
        assert callable(method), "it is a %s" % type(method).__name__
        inspect.signature(method).bind(object(), *args, **kwargs)


def test_the_shell_of_a_connection_has_a_tmpdir_that_starts_unset():
    with reads("ShellBase.tmpdir (ResourceAction removes self._connection._shell.tmpdir)"):
        assert ShellModule().tmpdir is None

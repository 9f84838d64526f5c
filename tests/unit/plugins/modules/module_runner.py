# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs a module's main() in-process with given arguments and a scripted API, and returns its JSON result.

tests/unit/plugins/action runs the same tests again through the module's action plugin, found as ansible-playbook
finds it (plugins/action/NAME.py), as a task with a local connection runs:
both ways must give the same results.
"""

from __future__ import annotations

import contextlib
import json
from unittest.mock import MagicMock

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as module_warnings
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils import _absent, _client, _rate_limit, _selectors
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import FakeTime, ScriptedSession

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    @contextlib.contextmanager
    def patch_module_args(args):
        serialized = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
        original = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = serialized
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = original

CREDENTIALS = dict(api_key="TESTKEY", api_secret="never-print-this-secret-0xC0FFEE",
                   api_endpoint="http://127.0.0.1:9")
CREDENTIAL_VARIABLES = ("CONFLUENT_CLOUD_API_KEY", "CONFLUENT_CLOUD_API_SECRET", "CONFLUENT_CLOUD_ACCESS_TOKEN",
                        "CONFLUENT_CLOUD_API_ENDPOINT")


class ModuleRun:
    def __init__(self, result, session, clock, stdout):
        self.result = result
        self.session = session
        self.clock = clock
        self.stdout = stdout

    @property
    def warnings(self):
        """Warning texts; ansible-core 2.19 wraps each one in an event object."""
        return [w["event"]["msg"] if isinstance(w, dict) else w for w in self.result.get("warnings", [])]

    @property
    def calls(self):
        return [(method, url.split("127.0.0.1:9", 1)[-1]) for method, url in self.session.calls]


def action_plugin_class(module_name):
    """The action plugin class that ansible-playbook picks for the module, as its TaskExecutor does: the module's
    ``action_plugin`` in meta/runtime.yml if it named one, else the action plugin of the module's name."""
    # Controller code, imported here: only tests/unit/plugins/action runs this.
    from ansible.plugins.loader import action_loader, module_loader

    fqcn = "kafkaops.confluent_cloud." + module_name
    module = module_loader.find_plugin_with_context(fqcn)
    assert module.resolved, "module %s not found: %s" % (fqcn, module.exit_reason)
    handler = module.action_plugin or fqcn
    assert action_loader.has_plugin(handler), (
        "no action plugin for %s: add plugins/action/%s.py, as the other modules have" % (fqcn, module_name))
    return action_loader.get(handler, class_only=True)


def run_action_plugin(main, args, check_mode, diff):
    """The task as ansible-playbook hands it to the module's action plugin for a local connection."""
    module_name = main.__module__.rsplit(".", 1)[1]
    fqcn = "kafkaops.confluent_cloud." + module_name
    task = MagicMock(args=args, action=fqcn, collections=None, async_val=0, check_mode=check_mode, diff=diff,
                     environment=None)
    action = action_plugin_class(module_name)(task, MagicMock(transport="local"), MagicMock(become=False),
                                              loader=None, templar=MagicMock(), shared_loader_obj=None)
    action._execute_module = MagicMock(side_effect=AssertionError("the module ran instead of the action plugin"))
    return action.run(task_vars={})


@pytest.fixture
def through_action_plugin():
    """Overridden in tests/unit/plugins/action, which runs on the controller, where action plugins can be imported."""
    return False


@pytest.fixture
def run_module(monkeypatch, capsys, tmp_path, through_action_plugin):
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def run(main, args, script=(), check_mode=False, diff=False, credentials=True):
        session = ScriptedSession(script)
        clock = FakeTime()
        monkeypatch.setattr(_client.requests, "Session", lambda: session)
        monkeypatch.setattr(_client, "time", clock)
        monkeypatch.setattr(_rate_limit, "time", clock)
        monkeypatch.setattr(_rate_limit, "default_directory", lambda: str(tmp_path))
        for module_with_clock in (_absent, _selectors):
            monkeypatch.setattr(module_with_clock, "time", clock)
        module_args = dict(CREDENTIALS if credentials else {}, **args)
        # A module process starts with no warnings; main() run in this one would return those of earlier tests too.
        module_warnings._global_warnings.clear()
        if through_action_plugin:
            stdout = json.dumps(run_action_plugin(main, module_args, check_mode, diff))
        else:
            module_args.update(_ansible_check_mode=check_mode, _ansible_diff=diff)
            with patch_module_args(module_args):
                with pytest.raises(SystemExit):
                    main()
            stdout = capsys.readouterr().out
        assert session.script == [], "scripted answers left unused: %s" % session.script
        return ModuleRun(json.loads(stdout), session, clock, stdout)

    return run

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import os
import types
from unittest.mock import MagicMock

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.action.confluent_environment import ActionModule
from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils import _client
from ansible_collections.kafkaops.confluent_cloud.plugins.modules import confluent_connector, confluent_environment
from ansible_collections.kafkaops.confluent_cloud.plugins.plugin_utils import _in_process
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import ScriptedSession, response

PATH = "/connect/v1/environments/env-1/clusters/lkc-1/connectors/orders-sink"
ARGS = dict(name="orders-sink", environment_id="env-1", kafka_cluster_id="lkc-1", state="absent",
            api_endpoint="http://127.0.0.1:9")
MODULE_RESULT = {"changed": True, "ran": "as a module"}


def action(args=None, transport="local", become=False, async_val=0, environment=None,
           name="kafkaops.confluent_cloud.confluent_connector", collections=None):
    task = MagicMock(args=dict(ARGS, **(args or {})), action=name, collections=collections,
                     async_val=async_val, check_mode=False, diff=False, environment=environment)
    plugin = ActionModule(task, MagicMock(transport=transport), MagicMock(become=become), loader=None,
                          templar=MagicMock(template=lambda value: value), shared_loader_obj=None)
    plugin._execute_module = MagicMock(return_value=dict(MODULE_RESULT))
    plugin._remove_tmp_path = MagicMock()
    return plugin


@pytest.fixture
def api(monkeypatch):
    for name in ("CONFLUENT_CLOUD_API_KEY", "CONFLUENT_CLOUD_API_SECRET", "CONFLUENT_CLOUD_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    session = ScriptedSession([("DELETE", PATH, response(200, {}))])
    monkeypatch.setattr(_client.requests, "Session", lambda: session)
    return session


@pytest.mark.parametrize("setting", [dict(transport="ssh"), dict(become=True), dict(async_val=30)])
def test_tasks_not_on_the_controller_itself_run_the_module(setting):
    plugin = action(**setting)
    assert plugin.run(task_vars={}) == MODULE_RESULT
    assert plugin._execute_module.call_args.kwargs["wrap_async"] == setting.get("async_val", 0)


def test_a_controller_without_requests_runs_the_module(monkeypatch):
    monkeypatch.setattr(_in_process, "HAS_REQUESTS", False)
    plugin = action()
    assert plugin.run(task_vars={}) == MODULE_RESULT


def test_a_local_task_runs_in_process_with_the_task_environment_then_restores_it(api, monkeypatch):
    monkeypatch.setenv("CONFLUENT_CLOUD_API_SECRET", "from-the-controller")
    plugin = action(environment=[{"CONFLUENT_CLOUD_API_KEY": "KEY1"},
                                 {"CONFLUENT_CLOUD_API_SECRET": "from-the-task"}])
    result = plugin.run(task_vars={})
    assert result["changed"] is True and not plugin._execute_module.called
    assert api.headers["Authorization"] == _client.basic_authorization("KEY1", "from-the-task")
    assert "CONFLUENT_CLOUD_API_KEY" not in os.environ
    assert os.environ["CONFLUENT_CLOUD_API_SECRET"] == "from-the-controller"


def test_the_secret_is_masked_in_the_invocation(api):
    result = action(args=dict(api_key="KEY1", api_secret="never-print-this")).run(task_vars={})
    assert "never-print-this" not in repr(result)
    assert result["invocation"]["module_args"]["api_secret"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


@pytest.mark.parametrize("name, collections", [("kafkaops.confluent_cloud.confluent_connector", None),
                                               ("confluent_connector", ["kafkaops.confluent_cloud"])])
def test_the_shared_plugin_runs_the_class_of_the_task_s_own_module(name, collections):
    assert _in_process.resource_class_for(name, collections) is confluent_connector.ConnectorAbsent
    assert _in_process.resource_class_for("kafkaops.confluent_cloud.confluent_environment") is (
        confluent_environment.EnvironmentAbsent)


def test_a_local_task_found_by_its_short_name_runs_in_process(api):
    plugin = action(args=dict(api_key="KEY1", api_secret="s3cret"), name="confluent_connector",
                    collections=["kafkaops.confluent_cloud"])
    result = plugin.run(task_vars={})
    assert result["changed"] is True and not plugin._execute_module.called, result


def test_a_module_of_another_collection_runs_as_a_module():
    plugin = action(name="ansible.builtin.ping")
    assert plugin.run(task_vars={}) == MODULE_RESULT


def test_a_module_file_must_define_exactly_one_workflow_class():
    module = types.ModuleType("ansible_collections.kafkaops.confluent_cloud.plugins.modules.twin")
    for name in ("One", "Two"):
        setattr(module, name, type(name, (confluent_connector.ConnectorAbsent,), {"__module__": module.__name__}))
    module.Imported = confluent_connector.ConnectorAbsent  # defined elsewhere: not the module's own class
    with pytest.raises(ValueError, match="exactly one class .* found 2: One, Two"):
        _in_process.resource_class_of(module)

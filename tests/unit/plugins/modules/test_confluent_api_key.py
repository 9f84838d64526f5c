# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.modules.confluent_api_key import main
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.api_bodies import ORG_NOT_FOUND, api_key
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import response
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.modules.module_runner import CREDENTIALS

PATH = "/iam/v2/api-keys/LEAKED1"
ARGS = dict(id="LEAKED1", state="absent")
LEAKED = api_key("LEAKED1", "sa-1", "lkc-1", secret="returned-by-a-careless-proxy")


def test_delete_is_one_request(run_module):
    run = run_module(main, ARGS, [("DELETE", PATH, response(204))])
    assert run.calls == [("DELETE", PATH)]
    assert run.result["changed"] is True and run.result["api_key"] == {"id": "LEAKED1"}


def test_already_gone_is_ok(run_module):
    run = run_module(main, ARGS, [("DELETE", PATH, response(404, ORG_NOT_FOUND))])
    assert run.result["changed"] is False and not run.result.get("failed")


def test_owner_guard_match_deletes_and_never_returns_a_secret(run_module):
    run = run_module(main, dict(ARGS, owner="sa-1"), [("GET", PATH, response(200, LEAKED)),
                                                      ("DELETE", PATH, response(204))], diff=True)
    assert run.result["changed"] is True
    assert run.result["api_key"]["spec"]["owner"]["id"] == "sa-1"
    assert "secret" not in run.result["api_key"]["spec"]
    assert "returned-by-a-careless-proxy" not in run.stdout


def test_owner_guard_mismatch_fails_and_deletes_nothing(run_module):
    run = run_module(main, dict(ARGS, owner="u-42"), [("GET", PATH, response(200, LEAKED))])
    assert run.result["failed"] is True and "Safety guard" in run.result["msg"]
    assert "owner 'sa-1', not 'u-42'" in run.result["msg"] and run.calls == [("GET", PATH)]
    assert "returned-by-a-careless-proxy" not in run.stdout


def test_check_mode_gets_it(run_module):
    run = run_module(main, ARGS, [("GET", PATH, response(200, LEAKED))], check_mode=True)
    assert run.result["changed"] is True and run.calls == [("GET", PATH)]


@pytest.mark.parametrize("key_id", [CREDENTIALS["api_key"], " %s " % CREDENTIALS["api_key"]])
def test_the_key_the_task_authenticates_with_is_refused(run_module, key_id):
    run = run_module(main, dict(ARGS, id=key_id))
    assert run.result["failed"] is True and "authenticates with" in run.result["msg"]
    assert run.calls == [] and "Nothing was deleted" in run.result["msg"]


@pytest.mark.parametrize("own_key, key_id", [
    (" TESTKEY \n", "TESTKEY"),  # the api_key as read from a file or vault, with its newline
    ("TESTKEY", " TESTKEY "),
    (" TESTKEY \n", " TESTKEY "),
])
def test_the_own_key_comparison_ignores_surrounding_whitespace(run_module, own_key, key_id):
    run = run_module(main, dict(ARGS, id=key_id, api_key=own_key))
    assert run.result["failed"] is True and run.result["changed"] is False
    assert "is the API key this task authenticates with (api_key)" in run.result["msg"]
    assert run.calls == [] and "Nothing was deleted" in run.result["msg"]


def test_an_id_with_a_newline_around_the_own_key_is_refused_before_the_comparison(run_module):
    run = run_module(main, dict(ARGS, id=" TESTKEY \n", api_key="TESTKEY"))
    assert run.result["failed"] is True and run.result["changed"] is False
    assert run.result["msg"].startswith("id must not contain control characters")
    assert run.calls == []


def test_another_key_with_whitespace_around_the_own_key_is_deleted(run_module):
    run = run_module(main, dict(ARGS, api_key=" TESTKEY \n"), [("DELETE", PATH, response(204))])
    assert run.result["changed"] is True and run.calls == [("DELETE", PATH)]


def test_the_key_from_the_environment_is_refused_too(run_module, monkeypatch):
    monkeypatch.setenv("CONFLUENT_CLOUD_API_KEY", "ENVKEY")
    monkeypatch.setenv("CONFLUENT_CLOUD_API_SECRET", "ENVSECRET")
    run = run_module(main, dict(ARGS, id="ENVKEY", api_endpoint="http://127.0.0.1:9"), credentials=False)
    assert run.result["failed"] is True and "authenticates with" in run.result["msg"]
    assert "ENVSECRET" not in run.stdout


def test_owner_must_not_be_blank(run_module):
    run = run_module(main, dict(ARGS, owner=""))
    assert run.result["failed"] is True and "owner must not be empty" in run.result["msg"]


def test_an_access_token_is_refused_before_any_request(run_module):
    run = run_module(main, dict(ARGS, access_token="tok-1", api_endpoint="http://127.0.0.1:9"), credentials=False)
    assert run.result["failed"] is True and "Cloud API key (api_key and api_secret) only" in run.result["msg"]
    assert run.calls == [] and "tok-1" not in run.stdout

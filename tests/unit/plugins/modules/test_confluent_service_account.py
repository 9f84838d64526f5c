# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.kafkaops.confluent_cloud.plugins.modules.confluent_service_account import main
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.api_bodies import (
    ORG_NOT_FOUND,
    api_key,
    page,
    service_account,
)
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import response

LIST = "/iam/v2/service-accounts"
PATH = LIST + "/sa-1"
KEYS = "/iam/v2/api-keys"
RUNNER = service_account("sa-1", "ci-runner")


def accounts(items, next_token=None):
    return page(items, next_token, path=LIST, kind="ServiceAccountList")


def keys(items):
    return page(items, path=KEYS, kind="ApiKeyList")


def test_delete_by_id_is_one_request(run_module):
    run = run_module(main, dict(id="sa-1", state="absent"), [("DELETE", PATH, response(204))])
    assert run.calls == [("DELETE", PATH)]
    assert run.result["changed"] is True and run.result["service_account"] == {"id": "sa-1"}


def test_already_gone_is_ok(run_module):
    run = run_module(main, dict(id="sa-1", state="absent"), [("DELETE", PATH, response(404, ORG_NOT_FOUND))])
    assert run.result["changed"] is False and not run.result.get("failed")


def test_by_display_name_uses_the_api_filter_then_an_exact_match(run_module):
    script = [("GET", LIST, accounts([service_account("sa-9", "ci-runner-2")], "p2")),
              ("GET", LIST, accounts([RUNNER])), ("DELETE", PATH, response(204))]
    run = run_module(main, dict(display_name="ci-runner", state="absent"), script)
    assert run.session.requests[0]["params"] == {"display_name": "ci-runner", "page_size": 100}
    assert run.session.requests[1]["params"]["page_token"] == "p2"
    assert run.result["changed"] is True and run.result["service_account"] == RUNNER


def test_by_display_name_without_match_is_ok(run_module):
    run = run_module(main, dict(display_name="ci-runner", state="absent"), [("GET", LIST, accounts([]))])
    assert run.result["changed"] is False and run.result["service_account"] == {"display_name": "ci-runner"}


def test_more_than_one_match_fails_naming_the_ids(run_module):
    run = run_module(main, dict(display_name="ci-runner", state="absent"),
                     [("GET", LIST, accounts([RUNNER, service_account("sa-2", "ci-runner")]))])
    assert run.result["failed"] is True
    assert "2 service accounts are named 'ci-runner' (sa-1, sa-2)" in run.result["msg"]
    assert "Nothing was deleted" in run.result["msg"] and len(run.calls) == 1


def test_guard_mismatch_fails_and_deletes_nothing(run_module):
    run = run_module(main, dict(id="sa-1", display_name="prod-app", state="absent"),
                     [("GET", PATH, response(200, RUNNER))])
    assert run.result["failed"] is True and "Safety guard" in run.result["msg"]
    assert run.calls == [("GET", PATH)]


def test_check_mode_lists_the_keys_that_would_go_without_secrets(run_module):
    script = [("GET", PATH, response(200, RUNNER)),
              ("GET", KEYS, keys([api_key("KEY1", "sa-1", "lkc-1", secret="s3cr3t-never"), api_key("KEY2", "sa-1")]))]
    run = run_module(main, dict(id="sa-1", state="absent"), script, check_mode=True, diff=True)
    assert run.session.requests[1]["params"] == {"spec.owner": "sa-1", "page_size": 100}
    assert run.result["changed"] is True
    assert run.result["contents"] == {"api_keys": [
        {"id": "KEY1", "display_name": "key KEY1", "owner": "sa-1", "resource": "lkc-1"},
        {"id": "KEY2", "display_name": "key KEY2", "owner": "sa-1", "resource": None},
    ]}
    assert "s3cr3t-never" not in run.stdout
    assert run.result["diff"]["before"]["contents"] == run.result["contents"]


def test_id_or_display_name_is_required(run_module):
    run = run_module(main, dict(state="absent"))
    assert run.result["failed"] is True and "id, display_name" in run.result["msg"]


def test_with_an_access_token_the_preview_says_it_cannot_list_the_keys(run_module):
    args = dict(id="sa-1", state="absent", access_token="tok-1", api_endpoint="http://127.0.0.1:9")
    run = run_module(main, args, [("GET", PATH, response(200, RUNNER))], check_mode=True, credentials=False)
    assert run.calls == [("GET", PATH)]
    assert run.result["changed"] is True and run.result["contents"] == {"api_keys": None}
    assert any("not listed" in warning for warning in run.warnings)

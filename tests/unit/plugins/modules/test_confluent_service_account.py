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
# The task's own Cloud API key (module_runner's api_key), read to learn which service account owns it.
OWN_KEY = KEYS + "/TESTKEY"
RUNNER = service_account("sa-1", "ci-runner")


def own_key_owned_by(owner):
    return ("GET", OWN_KEY, response(200, api_key("TESTKEY", owner, "cloud")))


def accounts(items, next_token=None):
    return page(items, next_token, path=LIST, kind="ServiceAccountList")


def keys(items):
    return page(items, path=KEYS, kind="ApiKeyList")


def test_delete_by_id_reads_the_own_key_then_deletes(run_module):
    run = run_module(main, dict(id="sa-1", state="absent"), [own_key_owned_by("sa-ops"), ("DELETE", PATH, response(204))])
    assert run.calls == [("GET", OWN_KEY), ("DELETE", PATH)]
    assert run.result["changed"] is True and run.result["service_account"] == {"id": "sa-1"}


def test_already_gone_is_ok(run_module):
    run = run_module(main, dict(id="sa-1", state="absent"),
                     [own_key_owned_by("sa-ops"), ("DELETE", PATH, response(404, ORG_NOT_FOUND))])
    assert run.result["changed"] is False and not run.result.get("failed")


def test_the_owner_of_the_own_key_is_refused_before_any_delete(run_module):
    run = run_module(main, dict(id="sa-1", state="absent"), [own_key_owned_by("sa-1")])
    assert run.calls == [("GET", OWN_KEY)]
    assert run.result["failed"] is True and run.result["changed"] is False
    assert "owns the API key TESTKEY that this run authenticates with" in run.result["msg"]
    assert run.result["msg"].startswith("Refusing to delete service account sa-1")
    assert "Nothing was deleted" in run.result["msg"]
    assert run.result["service_account"] == {"id": "sa-1"}


def test_the_owner_of_the_own_key_is_refused_in_check_mode_too(run_module):
    run = run_module(main, dict(display_name="ci-runner", state="absent"),
                     [("GET", LIST, accounts([RUNNER])), own_key_owned_by("sa-1")], check_mode=True, diff=True)
    assert run.result["failed"] is True and "owns the API key TESTKEY" in run.result["msg"]
    assert run.result["service_account"] == RUNNER


def test_the_own_key_is_read_without_surrounding_whitespace(run_module):
    run = run_module(main, dict(id="sa-1", state="absent", api_key=" TESTKEY \n"), [own_key_owned_by("sa-1")])
    assert run.calls == [("GET", OWN_KEY)]
    assert run.result["failed"] is True and "owns the API key TESTKEY " in run.result["msg"]


def test_an_own_key_the_api_will_not_show_fails_closed(run_module):
    forbidden = {"errors": [{"status": "403", "code": "forbidden", "detail": "Forbidden: missing iam.api_keys.read"}]}
    run = run_module(main, dict(id="sa-1", state="absent"), [("GET", OWN_KEY, response(403, forbidden))])
    assert run.calls == [("GET", OWN_KEY)]
    assert run.result["failed"] is True and run.result["changed"] is False and run.result["status"] == 403
    assert "missing iam.api_keys.read" in run.result["msg"]
    assert "Cannot tell which service account owns the API key TESTKEY" in run.result["msg"]
    assert "nothing was deleted" in run.result["msg"]


def test_an_access_token_reads_no_key(run_module):
    args = dict(id="sa-1", state="absent", access_token="tok-1", api_endpoint="http://127.0.0.1:9")
    run = run_module(main, args, [("DELETE", PATH, response(204))], credentials=False)
    assert run.calls == [("DELETE", PATH)] and run.result["changed"] is True


def test_by_display_name_uses_the_api_filter_then_an_exact_match(run_module):
    script = [("GET", LIST, accounts([service_account("sa-9", "ci-runner-2")], "p2")),
              ("GET", LIST, accounts([RUNNER])), own_key_owned_by("u-alice"), ("DELETE", PATH, response(204))]
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
    script = [("GET", PATH, response(200, RUNNER)), own_key_owned_by("sa-ops"),
              ("GET", KEYS, keys([api_key("KEY1", "sa-1", "lkc-1", secret="s3cr3t-never"), api_key("KEY2", "sa-1")]))]
    run = run_module(main, dict(id="sa-1", state="absent"), script, check_mode=True, diff=True)
    assert run.session.requests[2]["params"] == {"spec.owner": "sa-1", "page_size": 100}
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


def test_a_mistyped_id_is_refused_before_any_request(run_module):
    run = run_module(main, dict(id="u-1", state="absent"))
    assert run.result["failed"] is True and run.result["changed"] is False
    assert run.result["msg"] == "id must be an ID starting with sa-, got 'u-1'. Nothing was deleted."
    assert run.calls == []

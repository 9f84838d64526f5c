# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.modules.confluent_service_account_info import main
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.api_bodies import (
    ORG_NOT_FOUND,
    api_key,
    page,
    service_account,
)
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import response

LIST = "/iam/v2/service-accounts"
# The scripted clock stands at 1000 s after the epoch.
OLD = service_account("sa-1", "ci-old", created_at="1970-01-01T00:00:00Z")
NEW = service_account("sa-2", "ci-new", created_at="1970-01-01T00:16:00Z")
KEEP = service_account("sa-3", "payments", created_at="1970-01-01T00:01:00Z")


def accounts(items, next_token=None):
    return page(items, next_token, path=LIST, kind="ServiceAccountList")


def test_every_page_oldest_first_with_ages(run_module):
    run = run_module(main, {}, [("GET", LIST, accounts([NEW, KEEP], "p2")), ("GET", LIST, accounts([OLD]))])
    assert [a["id"] for a in run.result["service_accounts"]] == ["sa-1", "sa-3", "sa-2"]
    assert [a["age_seconds"] for a in run.result["service_accounts"]] == [1000, 940, 40]


@pytest.mark.parametrize("args, expected", [
    (dict(display_name_regex="^ci-"), ["sa-1", "sa-2"]),
    (dict(display_name_regex="^ci-", older_than="5m"), ["sa-1"]),
    (dict(older_than="15m"), ["sa-1", "sa-3"]),
])
def test_filters(run_module, args, expected):
    run = run_module(main, args, [("GET", LIST, accounts([NEW, KEEP, OLD]))])
    assert [a["id"] for a in run.result["service_accounts"]] == expected


def test_the_owner_of_the_own_key_is_left_out_with_the_reason(run_module):
    script = [("GET", LIST, accounts([NEW, KEEP, OLD])),
              ("GET", "/iam/v2/api-keys/TESTKEY", response(200, api_key("TESTKEY", "sa-2", "cloud")))]
    run = run_module(main, dict(display_name_regex="^ci-", exclude_credential_owner=True), script)
    assert [a["id"] for a in run.result["service_accounts"]] == ["sa-1"]
    assert [(a["id"], a["age_seconds"]) for a in run.result["excluded"]] == [("sa-2", 40)]
    assert "owns the API key TESTKEY that this run authenticates with" in run.result["excluded"][0]["reason"]


def test_without_exclude_credential_owner_the_own_key_is_not_read(run_module):
    run = run_module(main, dict(display_name_regex="^ci-"), [("GET", LIST, accounts([NEW, OLD]))])
    assert [a["id"] for a in run.result["service_accounts"]] == ["sa-1", "sa-2"]
    assert run.result["excluded"] == [] and len(run.calls) == 1


def test_an_access_token_excludes_nothing_and_reads_no_key(run_module):
    args = dict(exclude_credential_owner=True, access_token="tok-1", api_endpoint="http://127.0.0.1:9")
    run = run_module(main, args, [("GET", LIST, accounts([NEW, OLD]))], credentials=False)
    assert [a["id"] for a in run.result["service_accounts"]] == ["sa-1", "sa-2"] and run.result["excluded"] == []


def test_display_name_is_sent_as_the_api_filter_and_matched_exactly(run_module):
    run = run_module(main, dict(display_name="ci-old"), [("GET", LIST, accounts([OLD, NEW]))])
    assert run.session.requests[0]["params"] == {"display_name": "ci-old", "page_size": 100}
    assert [a["id"] for a in run.result["service_accounts"]] == ["sa-1"]


def test_id_is_one_get_and_unknown_is_empty(run_module):
    run = run_module(main, dict(id="sa-9"), [("GET", LIST + "/sa-9", response(404, ORG_NOT_FOUND))])
    assert run.result["service_accounts"] == [] and run.calls == [("GET", LIST + "/sa-9")]


@pytest.mark.parametrize("args, fragment", [
    (dict(older_than="1 day"), "older_than"),
    (dict(display_name_regex="[z-a]"), "display_name_regex"),
])
def test_bad_input_fails_before_any_request(run_module, args, fragment):
    run = run_module(main, args)
    assert run.result["failed"] is True and fragment in run.result["msg"] and run.calls == []


def test_a_mistyped_id_is_refused_before_any_request(run_module):
    run = run_module(main, dict(id="12345"))
    assert run.result["failed"] is True
    assert run.result["msg"] == "id must be an ID starting with sa-, got '12345'."
    assert run.calls == []

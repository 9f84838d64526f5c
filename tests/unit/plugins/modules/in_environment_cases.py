# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tests every module of a resource that lives in an environment must pass (ksqlDB clusters, Flink compute pools).

A module's test file calls absent_cases() or info_cases() and puts the tests into its own namespace, so that each
module has its own test file and the same expectations.
"""

from __future__ import annotations

from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.api_bodies import ORG_NOT_FOUND, env, page
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import response

ENV_PATH = "/org/v2/environments/env-1"
SCOPE = {"environment": "env-1"}


def absent_cases(main, collection_path, prefix, result_key, body, kind):
    """Tests of a deleting module: ``body(id, name, phase=...)`` builds the resource as the API returns it."""
    item_id = prefix + "1"
    path = "%s/%s" % (collection_path, item_id)
    args = dict(id=item_id, environment_id="env-1", state="absent")
    found = body(item_id, "ci-thing")

    def test_delete_is_one_request_scoped_to_the_environment(run_module):
        run = run_module(main, args, [("DELETE", path, response(204))])
        assert run.calls == [("DELETE", path)] and run.session.requests[0]["params"] == SCOPE
        assert run.result["changed"] is True and run.result[result_key] == dict(id=item_id, environment_id="env-1")

    def test_already_gone_is_ok_and_a_missing_environment_is_warned_about(run_module):
        run = run_module(main, args, [("DELETE", path, response(404, ORG_NOT_FOUND)),
                                      ("GET", ENV_PATH, response(200, env("env-1", "staging")))])
        assert run.result["changed"] is False and not run.result.get("failed") and run.warnings == []
        run = run_module(main, args, [("DELETE", path, response(404, ORG_NOT_FOUND)),
                                      ("GET", ENV_PATH, response(404, ORG_NOT_FOUND))])
        assert run.result["changed"] is False and not run.result.get("failed")
        assert run.warnings[0].startswith("environment env-1 does not exist, so nothing was deleted")

    def test_a_mistyped_id_is_refused_before_any_request(run_module):
        run = run_module(main, dict(args, id="x" + item_id))
        assert run.result["failed"] is True and run.calls == []
        assert run.result["msg"] == "id must be an ID starting with %s, got 'x%s'. Nothing was deleted." % (
            prefix, item_id)

    def test_check_mode_only_gets_it(run_module):
        run = run_module(main, args, [("GET", path, response(200, found))], check_mode=True, diff=True)
        assert run.calls == [("GET", path)] and run.session.requests[0]["params"] == SCOPE
        assert run.result["changed"] is True and run.result[result_key] == found
        assert run.result["diff"] == {"before": found, "after": {}}

    def test_the_guard_compares_the_display_name(run_module):
        run = run_module(main, dict(args, display_name="production"), [("GET", path, response(200, found))])
        assert run.result["failed"] is True and run.calls == [("GET", path)]
        assert "Safety guard: %s %s has display_name 'ci-thing', not 'production'" % (kind, item_id) in run.result["msg"]
        run = run_module(main, dict(args, display_name="ci-thing"),
                         [("GET", path, response(200, found)), ("DELETE", path, response(204))])
        assert run.result["changed"] is True and run.calls[-1] == ("DELETE", path)

    def test_wait_polls_until_gone(run_module):
        script = [("DELETE", path, response(204)), ("GET", path, response(200, found)),
                  ("GET", path, response(404, ORG_NOT_FOUND))]
        run = run_module(main, dict(args, wait=True), script)
        assert run.result["changed"] is True and run.clock.waits == [1.0]
        assert all(request["params"] == SCOPE for request in run.session.requests)

    return {name: test for name, test in locals().items() if name.startswith("test_")}


def token_refused_cases(main, result_key, absent):
    """Tests of a module whose API accepts a Cloud API key only: an access token fails before any request (a deleting
    module still returns ``result_key``, which it documents as returned always)."""
    token = dict(access_token="tok-1", api_endpoint="http://127.0.0.1:9", environment_id="env-1")

    def test_an_access_token_is_refused_before_any_request(run_module):
        args = dict(token, id="lksqlc-1", state="absent") if absent else token
        run = run_module(main, args, credentials=False)
        assert run.result["failed"] is True and run.calls == [] and (result_key in run.result) is absent
        assert "accepts a Cloud API key (api_key and api_secret) only, not an access token" in run.result["msg"]

    return {name: test for name, test in locals().items() if name.startswith("test_")}


def info_cases(main, collection_path, prefix, result_key, body, list_kind):
    """Tests of an info module of such a resource."""
    # The scripted clock stands at 1000 s after the epoch.
    old = body(prefix + "old", "ci-old", created_at="1970-01-01T00:00:00Z")
    young = body(prefix + "young", "ci-young", created_at="1970-01-01T00:15:00Z")
    keep = body(prefix + "keep", "orders", created_at="1970-01-01T00:01:00Z")

    def listed(items, next_token=None):
        return page(items, next_token, path=collection_path, kind=list_kind)

    def test_every_page_of_the_environment_oldest_first(run_module):
        run = run_module(main, dict(environment_id="env-1"),
                         [("GET", collection_path, listed([young, keep], "p2")), ("GET", collection_path, listed([old]))])
        assert [r["params"] for r in run.session.requests] == [
            dict(SCOPE, page_size=100), dict(SCOPE, page_size=100, page_token="p2")]
        assert [(item["id"], item["age_seconds"]) for item in run.result[result_key]] == [
            (prefix + "old", 1000), (prefix + "keep", 940), (prefix + "young", 100)]

    def test_by_name_pattern_and_age(run_module):
        script = [("GET", collection_path, listed([young, keep, old]))]
        run = run_module(main, dict(environment_id="env-1", display_name_regex="^ci-", older_than="10m"), script)
        assert [item["id"] for item in run.result[result_key]] == [prefix + "old"]
        run = run_module(main, dict(environment_id="env-1", display_name="orders"), script)
        assert [item["id"] for item in run.result[result_key]] == [prefix + "keep"]

    def test_by_id_one_request_and_unknown_is_empty(run_module):
        path = "%s/%sold" % (collection_path, prefix)
        run = run_module(main, dict(environment_id="env-1", id=prefix + "old"), [("GET", path, response(200, old))])
        assert run.calls == [("GET", path)] and [item["id"] for item in run.result[result_key]] == [prefix + "old"]
        run = run_module(main, dict(environment_id="env-1", id=prefix + "old"),
                         [("GET", path, response(404, ORG_NOT_FOUND))])
        assert run.result[result_key] == []

    def test_a_mistyped_id_is_refused_before_any_request(run_module):
        run = run_module(main, dict(environment_id="1"))
        assert run.result["failed"] is True and run.calls == []
        assert run.result["msg"] == "environment_id must be an ID starting with env-, got '1'."

    return {name: test for name, test in locals().items() if name.startswith("test_")}

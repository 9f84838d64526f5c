# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The cleanup role's filters: its variables checked in the user's words, its selection, summary and report."""

from __future__ import annotations

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.filter.cleanup import FilterModule

FILTERS = FilterModule().filters()
cleanup_settings = FILTERS["cleanup_settings"]
cleanup_selection = FILTERS["cleanup_selection"]
cleanup_summary = FILTERS["cleanup_summary"]
cleanup_report = FILTERS["cleanup_report"]

# The role's defaults, as defaults/main.yml sets them, with the one required variable.
DEFAULTS = dict(cleanup_display_name_regex="^ci-", cleanup_exclude_regex="", cleanup_older_than="24h",
                cleanup_apply=False, cleanup_max=20, cleanup_environments=True, cleanup_service_accounts=True,
                cleanup_wait_timeout=900, cleanup_summary_file=None)


def settings(**given):
    variables = dict(DEFAULTS, **given)
    return cleanup_settings(variables, [name for name, value in variables.items() if value is not None])


def test_the_defaults_are_accepted_as_typed():
    result = settings(cleanup_apply="true", cleanup_max="25", cleanup_older_than=" 6h ")
    assert result["problems"] == []
    assert (result["apply"], result["max"], result["older_than"], result["exclude_regex"]) == (True, 25, "6h", None)


@pytest.mark.parametrize("value, expected", [
    (True, True), ("true", True), ("True", True), ("yes", True), ("on", True), ("1", True),
    (False, False), ("false", False), ("no", False), ("off", False), ("0", False),
])
def test_booleans_as_ansible_and_awx_surveys_write_them(value, expected):
    result = settings(cleanup_apply=value)
    assert result["problems"] == [] and result["apply"] is expected


@pytest.mark.parametrize("variable, value, message", [
    ("cleanup_apply", "ture", "cleanup_apply must be true or false, got 'ture'."),
    ("cleanup_apply", 1, "cleanup_apply must be true or false, got a number (1)."),
    ("cleanup_environments", "y-e-s", "cleanup_environments must be true or false, got 'y-e-s'."),
    ("cleanup_service_accounts", ["true"], "cleanup_service_accounts must be true or false, got a list (['true'])."),
    ("cleanup_max", "lots", "cleanup_max must be a whole number of at least 1, got 'lots'."),
    ("cleanup_max", 0, "cleanup_max must be a whole number of at least 1, got a number (0)."),
    ("cleanup_max", True, "cleanup_max must be a whole number of at least 1, got a boolean (True)."),
    ("cleanup_max", "2.5", "cleanup_max must be a whole number of at least 1, got '2.5'."),
    ("cleanup_wait_timeout", -1, "cleanup_wait_timeout must be a whole number of at least 0, got a number (-1)."),
    ("cleanup_older_than", "2 weeks", "cleanup_older_than must be a number followed by s, m, h or d, such as 90m or "
                                      "6h; got '2 weeks'."),
    ("cleanup_older_than", 3600, "cleanup_older_than must be an age such as 90m, 6h or 2d"),
    ("cleanup_display_name_regex", ["^ci-"], "cleanup_display_name_regex must be a string, got a list (['^ci-'])."),
    ("cleanup_display_name_regex", "ci-[(", "cleanup_display_name_regex is not a valid regular expression"),
    ("cleanup_exclude_regex", "[(", "cleanup_exclude_regex is not a valid regular expression"),
    ("cleanup_summary_file", {"path": "x"}, "cleanup_summary_file must be a string, got a mapping"),
])
def test_each_bad_value_is_refused_naming_its_variable(variable, value, message):
    problems = settings(**{variable: value})["problems"]
    assert len(problems) == 1 and problems[0].startswith(variable)
    assert message in problems[0]


@pytest.mark.parametrize("value", [None, "", "   "])
def test_the_pattern_is_required(value):
    problems = settings(cleanup_display_name_regex=value)["problems"]
    assert len(problems) == 1 and problems[0].startswith("cleanup_display_name_regex is required and has no default")


@pytest.mark.parametrize("pattern, why", [
    (".*", "it matches the empty string"), ("^", "it matches the empty string"), ("x*", "it matches the empty string"),
    ("(?:)", "it matches the empty string"), ("$", "it matches the empty string"), ("ci-|", "it matches the empty string"),
    (".", "it matches any single character"), (".+", "it matches any single character"),
    ("(?s).", "it matches any single character"),
])
def test_a_pattern_that_matches_every_name_is_refused(pattern, why):
    problems = settings(cleanup_display_name_regex=pattern)["problems"]
    assert problems == ["cleanup_display_name_regex %r matches every display name (%s): anchor it to a prefix, "
                        "such as '^ci-'." % (pattern, why)]


@pytest.mark.parametrize("pattern", ["^ci-", "ci-", "^tmp-[0-9]+$", "[a-z]", "\\w"])
def test_a_pattern_that_leaves_some_names_out_is_accepted(pattern):
    assert settings(cleanup_display_name_regex=pattern)["problems"] == []


def test_an_exclude_pattern_that_matches_everything_is_refused():
    problems = settings(cleanup_exclude_regex=".*")["problems"]
    assert problems == ["cleanup_exclude_regex '.*' would exclude every display name (it matches the empty string), "
                        "leaving nothing to sweep."]


def test_a_misspelt_variable_is_refused_with_the_likely_one():
    result = cleanup_settings(DEFAULTS, list(DEFAULTS) + ["cleanup_exlude_regex", "cleanup_summary", "cleanup__own"])
    assert len(result["problems"]) == 1
    assert result["problems"][0].startswith(
        "cleanup_exlude_regex is not a variable of the cleanup (did you mean cleanup_exclude_regex?)")


def test_sweeping_nothing_is_refused():
    problems = settings(cleanup_environments="false", cleanup_service_accounts=False)["problems"]
    assert problems == ["cleanup_environments and cleanup_service_accounts are both false: there is nothing to sweep."]


def test_every_problem_is_reported_at_once():
    problems = settings(cleanup_apply="ture", cleanup_max="lots", cleanup_older_than="soon")["problems"]
    assert [problem.split(" ")[0] for problem in problems] == ["cleanup_older_than", "cleanup_apply", "cleanup_max"]


# Selection -------------------------------------------------------------------------------------------------------

def found(key, *resources, excluded=()):
    return {key: [dict(id=i, display_name=n, age_seconds=90000, metadata={"created_at": "2026-11-30T00:00:00Z"})
                  for i, n in resources],
            "excluded": [dict(id=i, display_name=n, reason="it owns the API key K") for i, n in excluded]}


def test_the_selection_keeps_what_the_exclude_pattern_matches_and_the_credential_owner():
    selection = cleanup_selection(
        settings(cleanup_exclude_regex="-keep$"),
        found("environments", ("env-1", "ci-1"), ("env-2", "ci-2-keep")),
        found("service_accounts", ("sa-1", "ci-bot"), excluded=[("sa-ops", "ci-ops")]))
    assert [e["id"] for e in selection["environments"]] == ["env-1"]
    assert [a["id"] for a in selection["service_accounts"]] == ["sa-1"]
    assert selection["kept"]["environments"] == [dict(
        id="env-2", display_name="ci-2-keep", created_at="2026-11-30T00:00:00Z", age_seconds=90000,
        reason="its display name matches cleanup_exclude_regex '-keep$'")]
    assert [(a["id"], a["reason"]) for a in selection["kept"]["service_accounts"]] == [
        ("sa-ops", "it owns the API key K")]
    assert selection["count"] == 2


def test_a_kind_not_swept_selects_nothing():
    selection = cleanup_selection(settings(), found("environments", ("env-1", "ci-1")),
                                  {"skipped": True, "changed": False})
    assert selection["service_accounts"] == [] and selection["kept"]["service_accounts"] == [] and selection["count"] == 1


# Summary ---------------------------------------------------------------------------------------------------------

def registered(*results):
    return {"results": list(results), "changed": any(r.get("changed") for r in results)}


def result(item_id, changed=False, failed=False, msg=None, contents=None):
    outcome = dict(item=dict(id=item_id, display_name=item_id.upper()), changed=changed, failed=failed)
    if msg:
        outcome["msg"] = msg
    if contents is not None:
        # In check mode the modules return contents exactly when the resource would go: reported changed.
        outcome.update(contents=contents, changed=True)
    return outcome


ENV_CONTENTS = dict(kafka_clusters=[dict(id="lkc-1")], connectors=[dict(name="c1")])
SA_CONTENTS = dict(api_keys=[dict(id="KEY1")])


def selection_of(environments, service_accounts, kept_accounts=()):
    return dict(environments=[dict(id=i, display_name=i.upper()) for i in environments],
                service_accounts=[dict(id=i, display_name=i.upper()) for i in service_accounts],
                kept=dict(environments=[], service_accounts=[dict(id=i, reason="owner") for i in kept_accounts]),
                count=len(environments) + len(service_accounts))


def categories_of(summary):
    return {kind: {category: [entry["id"] for entry in entries] for category, entries in summary[kind].items()}
            for kind in ("environments", "service_accounts")}


def test_each_selected_resource_is_in_exactly_one_category_after_an_apply():
    selection = selection_of(["env-ok", "env-slow", "env-gone", "env-refused", "env-late", "env-half"],
                             ["sa-ok", "sa-404", "sa-403"], kept_accounts=["sa-ops"])
    previews = dict(
        environments=registered(result("env-ok", contents=ENV_CONTENTS), result("env-slow", contents=ENV_CONTENTS),
                                result("env-gone"), result("env-refused", failed=True, msg="Safety guard"),
                                result("env-late", contents=ENV_CONTENTS), result("env-half", contents=ENV_CONTENTS)),
        service_accounts=registered(result("sa-ok", contents=SA_CONTENTS), result("sa-404", contents=SA_CONTENTS),
                                    result("sa-403", contents=SA_CONTENTS)))
    deletions = dict(
        environments=registered(result("env-ok", changed=True), result("env-slow", changed=True),
                                result("env-late", changed=False),
                                result("env-half", changed=True, failed=True, msg="accepted, then HTTP 500")),
        service_accounts=registered(result("sa-ok", changed=True), result("sa-404"),
                                    result("sa-403", failed=True, msg="HTTP 403 Forbidden")))
    waits = registered(result("env-ok"), result("env-slow", failed=True, msg="still being deleted after wait_timeout"))
    summary = cleanup_summary(selection, settings(cleanup_apply=True), True, previews=previews, deletions=deletions,
                              waits=waits)
    assert summary["mode"] == "apply"
    assert categories_of(summary) == {
        "environments": {"deleted": ["env-ok"], "already_gone": ["env-gone", "env-late"],
                         "still_deleting": ["env-slow", "env-half"], "failed": ["env-refused"], "kept": []},
        "service_accounts": {"deleted": ["sa-ok"], "already_gone": ["sa-404"], "still_deleting": [],
                             "failed": ["sa-403"], "kept": ["sa-ops"]},
    }
    assert summary["environments"]["deleted"][0]["kafka_clusters"] == [dict(id="lkc-1")]
    assert summary["environments"]["still_deleting"][0]["msg"] == "still being deleted after wait_timeout"
    assert summary["service_accounts"]["deleted"][0]["api_keys"] == [dict(id="KEY1")]
    assert summary["message"] == ("deleted 1 environment, 1 service account; 2 still being deleted; 3 already gone; "
                                  "2 failed; 1 kept")


def test_a_preview_lists_what_would_go_and_how_to_delete_it():
    selection = selection_of(["env-1", "env-2"], ["sa-1"], kept_accounts=["sa-ops"])
    previews = dict(environments=registered(result("env-1", contents=ENV_CONTENTS), result("env-2")),
                    service_accounts=registered(result("sa-1", contents=SA_CONTENTS)))
    summary = cleanup_summary(selection, settings(), False, previews=previews)
    assert summary["mode"] == "preview" and "still_deleting" not in summary["environments"]
    assert categories_of(summary)["environments"] == {"would_delete": ["env-1"], "already_gone": ["env-2"],
                                                      "failed": [], "kept": []}
    assert summary["message"] == "would delete 1 environment, 1 service account; 1 already gone; 0 failed; 1 kept"
    assert cleanup_report(summary) == [
        "would delete environment env-1 (ENV-1) with 1 Kafka cluster (lkc-1) and 1 connector (c1)",
        "would delete service account sa-1 (SA-1) with 1 API key (KEY1)",
        "already gone environment env-2 (ENV-2)",
        "kept service account sa-ops (None): owner",
        "would delete 1 environment, 1 service account; 1 already gone; 0 failed; 1 kept",
        "Nothing was deleted; add -e cleanup_apply=true to delete these 2 resources.",
    ]
    assert cleanup_report(summary, True)[-1].startswith("Nothing was deleted: check mode (--check) only previews")


def test_a_preview_that_finds_nothing_says_so():
    summary = cleanup_summary(selection_of([], []), settings(), False, previews={})
    assert cleanup_report(summary) == ["would delete 0 environments, 0 service accounts; 0 failed; 0 kept",
                                       "Nothing was deleted: nothing is left to delete."]


def test_a_long_list_of_connectors_stays_one_line():
    contents = dict(kafka_clusters=[], connectors=[dict(name="c%d" % n) for n in range(8)])
    summary = cleanup_summary(selection_of(["env-1"], []), settings(), False,
                              previews=dict(environments=registered(result("env-1", contents=contents))))
    assert cleanup_report(summary)[0] == ("would delete environment env-1 (ENV-1) with 0 Kafka clusters and "
                                          "8 connectors (c0, c1, c2, c3, c4, and 3 more)")

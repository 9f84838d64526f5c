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
                cleanup_wait_timeout=900, cleanup_summary_file=None, cleanup_kafka_clusters=False,
                cleanup_connectors=False, cleanup_connector_states=[])


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
    ("cleanup_kafka_clusters", "ture", "cleanup_kafka_clusters must be true or false, got 'ture'."),
    ("cleanup_connectors", 1, "cleanup_connectors must be true or false, got a number (1)."),
    ("cleanup_connector_states", ["FAILED", "BROKEN"],
     "cleanup_connector_states must list connector states, each one of NONE, PROVISIONING, RUNNING, DEGRADED, FAILED, "
     "PAUSED, DELETED; got 'BROKEN'"),
    ("cleanup_connector_states", "FIALED", "got 'FIALED', which it does not know."),
    ("cleanup_connector_states", {"state": "FAILED"}, "cleanup_connector_states must be a list of connector states"),
    ("cleanup_connector_states", [1], "cleanup_connector_states must be a list of connector states"),
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
    assert problems == ["cleanup_environments, cleanup_service_accounts, cleanup_kafka_clusters and cleanup_connectors "
                        "are all false: there is nothing to sweep."]
    assert settings(cleanup_environments=False, cleanup_service_accounts=False,
                    cleanup_connectors="yes")["problems"] == []


@pytest.mark.parametrize("value, expected", [
    ([], []), (None, []), ("", []), (["FAILED"], ["FAILED"]), ("FAILED", ["FAILED"]),
    (" failed , Paused,", ["FAILED", "PAUSED"]), (["PAUSED", "FAILED", "FAILED"], ["FAILED", "PAUSED"]),
])
def test_connector_states_as_a_list_or_as_survey_text(value, expected):
    result = settings(cleanup_connectors=True, cleanup_connector_states=value)
    assert result["problems"] == [] and result["connector_states"] == expected


@pytest.mark.parametrize("variable", ["cleanup_kafka_clusters", "cleanup_connectors"])
def test_the_switches_inside_environments_are_strict_booleans(variable):
    assert settings(**{variable: "yes"})[variable[len("cleanup_"):]] is True
    assert settings(**{variable: "off"})[variable[len("cleanup_"):]] is False
    assert settings(**{variable: "ture"})["problems"] == ["%s must be true or false, got 'ture'." % variable]


def test_the_new_variables_are_known_and_their_misspellings_are_not():
    names = list(DEFAULTS) + ["cleanup_conector_states"]
    problems = cleanup_settings(DEFAULTS, names)["problems"]
    assert len(problems) == 1
    assert problems[0].startswith("cleanup_conector_states is not a variable of the cleanup (did you mean "
                                  "cleanup_connector_states?)")


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
    # The filter chooses environments by name and age itself, and gives their age from created_at.
    assert selection["kept"]["environments"][0].pop("age_seconds") > 86400
    assert selection["kept"]["environments"] == [dict(
        id="env-2", display_name="ci-2-keep", created_at="2026-11-30T00:00:00Z",
        reason="its display name matches cleanup_exclude_regex '-keep$'")]
    assert [(a["id"], a["reason"]) for a in selection["kept"]["service_accounts"]] == [
        ("sa-ops", "it owns the API key K")]
    assert selection["count"] == 2


def test_environments_listed_whole_are_chosen_by_name_and_age():
    listed = found("environments", ("env-1", "ci-old"), ("env-2", "staging"))
    listed["environments"].append(dict(id="env-3", display_name="ci-young",
                                       metadata={"created_at": "2999-01-01T00:00:00Z"}))
    selection = cleanup_selection(settings(cleanup_kafka_clusters=True), listed, None)
    assert [e["id"] for e in selection["environments"]] == ["env-1"]
    assert [e["id"] for e in selection["staying_environments"]] == ["env-2", "env-3"]
    selection = cleanup_selection(settings(cleanup_environments=False, cleanup_kafka_clusters=True), listed, None)
    assert selection["environments"] == [] and len(selection["staying_environments"]) == 3


def test_a_kind_not_swept_selects_nothing():
    selection = cleanup_selection(settings(), found("environments", ("env-1", "ci-1")),
                                  {"skipped": True, "changed": False})
    assert selection["service_accounts"] == [] and selection["kept"]["service_accounts"] == [] and selection["count"] == 1


# Inside the environments that stay ------------------------------------------------------------------------------

OLD, YOUNG = "2020-01-01T00:00:00Z", "2999-01-01T00:00:00Z"


def loop(key, results):
    """A registered loop: ``results`` maps an item (a dict) to the list its info task returned."""
    return {"results": [{"item": item, key: listed} for item, listed in results]}


def cluster(cluster_id, name, created=OLD):
    return dict(id=cluster_id, display_name=name, spec=dict(display_name=name), metadata=dict(created_at=created))


def connector(name, state, connector_id=None):
    return dict(name=name, state=state, id=connector_id or "lcc-" + name)


def inside(**given):
    """The selection of a run that deletes env-ci (selected) and looks inside env-staging and env-prod."""
    chosen = settings(**given)
    # The role lists every environment when it sweeps inside them; the filter chooses by name and age.
    environments = found("environments", ("env-ci", "ci-1"), ("env-staging", "staging"), ("env-prod", "prod"))
    staying = cleanup_selection(chosen, environments, None)["staying_environments"]
    clusters = loop("clusters", [
        (dict(id="env-ci"), [cluster("lkc-in-ci", "ci-inside-a-selected-environment")]),
        (staying[0], [cluster("lkc-old", "ci-old"), cluster("lkc-young", "ci-young", YOUNG),
                      cluster("lkc-orders", "orders"), cluster("lkc-keep", "ci-keep"),
                      cluster("lkc-undated", "ci-undated", None)]),
        (staying[1], [cluster("lkc-prod", "prod-kafka")]),
    ])
    staying_clusters = cleanup_selection(chosen, environments, None, clusters)["staying_clusters"]
    by_cluster = dict(
        {"lkc-in-ci": [connector("ci-in-ci", "FAILED")], "lkc-old": [connector("ci-goes-with-its-cluster", "FAILED")],
         "lkc-orders": [connector("ci-failed", "FAILED"), connector("ci-running", "RUNNING"),
                        connector("orders-sink", "FAILED"), connector("ci-failed-keep", "FAILED")],
         "lkc-prod": [connector("ci-paused", "PAUSED")]})
    # Also results for clusters that go anyway (as if the role had listed them): their connectors go along.
    anyway = [dict(id="lkc-in-ci", environment_id="env-ci")] + [
        dict(id="lkc-old", environment_id="env-staging") for c in staying_clusters[:1] if c["id"] != "lkc-old"]
    connectors = loop("connectors", [(item, by_cluster.get(item["id"], [])) for item in staying_clusters + anyway])
    return staying, staying_clusters, cleanup_selection(chosen, environments, None, clusters, connectors)


def test_nothing_is_looked_for_inside_without_the_switches():
    staying, staying_clusters, selection = inside()
    assert [env["id"] for env in staying] == ["env-staging", "env-prod"]
    assert selection["kafka_clusters"] == [] and selection["connectors"] == [] and selection["count"] == 1
    # Without cleanup_kafka_clusters every cluster of the environments kept stays, and its connectors are looked at.
    assert [c["id"] for c in staying_clusters] == ["lkc-old", "lkc-young", "lkc-orders", "lkc-keep", "lkc-undated",
                                                   "lkc-prod"]


def test_kafka_clusters_are_selected_by_name_age_and_exclusion_outside_selected_environments():
    staying, staying_clusters, selection = inside(cleanup_kafka_clusters=True, cleanup_exclude_regex="-keep$")
    assert [(c["id"], c["environment_id"], c["display_name"]) for c in selection["kafka_clusters"]] == [
        ("lkc-old", "env-staging", "ci-old")]
    assert selection["kafka_clusters"][0]["created_at"] == OLD and selection["kafka_clusters"][0]["age_seconds"] > 0
    assert [(c["id"], c["reason"]) for c in selection["kept"]["kafka_clusters"]] == [
        ("lkc-keep", "its display name matches cleanup_exclude_regex '-keep$'")]
    # The selected cluster takes its connectors along: they are not listed; the kept one's are.
    assert [c["id"] for c in staying_clusters] == ["lkc-young", "lkc-orders", "lkc-keep", "lkc-undated", "lkc-prod"]
    assert selection["connectors"] == [] and selection["count"] == 2


def test_connectors_are_selected_by_name_and_state_never_inside_what_goes_anyway():
    dummy, dummy, selection = inside(cleanup_kafka_clusters=True, cleanup_connectors=True,
                                     cleanup_connector_states="FAILED", cleanup_exclude_regex="-keep$")
    assert [(c["name"], c["id"], c["state"], c["kafka_cluster_id"], c["environment_id"])
            for c in selection["connectors"]] == [("ci-failed", "lcc-ci-failed", "FAILED", "lkc-orders", "env-staging")]
    assert [c["name"] for c in selection["kept"]["connectors"]] == ["ci-failed-keep"]
    assert selection["count"] == 3
    dummy, dummy, selection = inside(cleanup_connectors=True)
    # Any state; the clusters all stay, so their connectors are looked at; never those of a selected environment.
    assert sorted(c["name"] for c in selection["connectors"]) == ["ci-failed", "ci-failed-keep",
                                                                  "ci-goes-with-its-cluster", "ci-paused", "ci-running"]
    assert selection["kafka_clusters"] == []


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


KINDS = ("environments", "service_accounts", "kafka_clusters", "connectors")


def categories_of(summary, kinds=KINDS[:2]):
    return {kind: {category: [entry["id"] for entry in entries] for category, entries in summary[kind].items()}
            for kind in kinds}


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


def test_clusters_and_connectors_are_summarized_and_counted_in_the_line():
    selection = selection_of(["env-1"], [])
    selection["kafka_clusters"] = [dict(id=i, display_name=i.upper(), environment_id="env-s")
                                   for i in ("lkc-ok", "lkc-gone", "lkc-refused", "lkc-late")]
    selection["connectors"] = [dict(id=i, display_name=i.upper(), name=i.upper(), state="FAILED",
                                    kafka_cluster_id="lkc-x", environment_id="env-s") for i in ("lcc-ok", "lcc-403")]
    selection["kept"].update(kafka_clusters=[dict(id="lkc-keep", reason="excluded")], connectors=[])
    cascade = dict(connectors=[dict(name="c1")], ksqldb_clusters=[dict(id="lksqlc-1")])
    previews = dict(
        environments=registered(result("env-1", contents=ENV_CONTENTS)),
        kafka_clusters=registered(result("lkc-ok", contents=cascade), result("lkc-gone"),
                                  result("lkc-refused", failed=True, msg="deletion protection"),
                                  result("lkc-late", contents=cascade)),
        connectors=registered(result("lcc-ok", contents={}), result("lcc-403", contents={})))
    deletions = dict(environments=registered(result("env-1", changed=True)),
                     kafka_clusters=registered(result("lkc-ok", changed=True), result("lkc-late")),
                     connectors=registered(result("lcc-ok", changed=True),
                                           result("lcc-403", failed=True, msg="HTTP 403")))
    # A failed wait of an ID that is a cluster's does not touch the cluster: only environments are waited for.
    waits = registered(result("env-1"), result("lkc-ok", failed=True, msg="timeout"))
    summary = cleanup_summary(selection, settings(cleanup_kafka_clusters=True, cleanup_connectors=True,
                                                  cleanup_service_accounts=False),
                              True, previews=previews, deletions=deletions, waits=waits)
    assert categories_of(summary, KINDS)["kafka_clusters"] == {
        "deleted": ["lkc-ok"], "already_gone": ["lkc-gone", "lkc-late"], "still_deleting": [],
        "failed": ["lkc-refused"], "kept": ["lkc-keep"]}
    assert categories_of(summary, KINDS)["connectors"] == {
        "deleted": ["lcc-ok"], "already_gone": [], "still_deleting": [], "failed": ["lcc-403"], "kept": []}
    assert summary["kafka_clusters"]["deleted"][0]["ksqldb_clusters"] == [dict(id="lksqlc-1")]
    # Only the kinds swept are in the count line.
    assert summary["message"] == ("deleted 1 environment, 1 Kafka cluster, 1 connector; 2 already gone; 2 failed; "
                                  "1 kept")
    report = cleanup_report(summary)
    assert ("deleted Kafka cluster lkc-ok (LKC-OK) in env-s with 1 connector (c1) and 1 ksqlDB cluster (lksqlc-1)"
            in report)
    assert "deleted connector lcc-ok (LCC-OK) FAILED in lkc-x of env-s" in report


def test_a_preview_of_clusters_counts_them_among_the_resources_to_delete():
    selection = selection_of([], ["sa-1"])
    selection["kafka_clusters"] = [dict(id="lkc-1", display_name="ci-k", environment_id="env-s")]
    selection["connectors"] = []
    selection["kept"].update(kafka_clusters=[], connectors=[])
    previews = dict(service_accounts=registered(result("sa-1", contents=SA_CONTENTS)),
                    kafka_clusters=registered(result("lkc-1", contents=dict(connectors=[], ksqldb_clusters=None))))
    summary = cleanup_summary(selection, settings(cleanup_kafka_clusters=True), False, previews=previews)
    assert summary["message"] == ("would delete 0 environments, 1 service account, 1 Kafka cluster; 0 failed; "
                                  "0 kept")
    report = cleanup_report(summary)
    assert report[1] == ("would delete Kafka cluster lkc-1 (ci-k) in env-s with 0 connectors and its ksqlDB clusters "
                         "(not listed: Confluent's ksqlDB API does not accept an access token)")
    assert report[-1] == "Nothing was deleted; add -e cleanup_apply=true to delete these 2 resources."

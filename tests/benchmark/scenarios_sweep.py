# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scenario 6 of the benchmark: the cleanup playbook sweeping ephemeral stacks under a rate limit.

An organisation of TOTAL environments and TOTAL service accounts, of which SELECTED of each are named ci-... and are
older than a day (each such environment holds a Kafka cluster with a connector, each such service account owns an API
key); the others are younger ci-... ones and long-lived ones. ``ansible-playbook kafkaops.confluent_cloud.cleanup``
with ``cleanup_apply=true`` sweeps them with no rate limit, which gives N (the requests it sends) and its wall time,
then under RATE requests per second. Target: wall <= 1.3 x max(N/R, the wall time with no limit), 0 failed, 0 left.
"""

from __future__ import annotations

import json
import os

SIZES = {"full": (100, 40), "smoke": (10, 4)}
RATE = 3
SELECTOR = "^ci-"
OLD = 48 * 3600
YOUNG = 3600
DELETE_DELAY = 2.0
PLAYBOOK = "kafkaops.confluent_cloud.cleanup"


def size(smoke):
    """(resources of each kind in all, of which selected)."""
    return SIZES["smoke" if smoke else "full"]


def seed(smoke, rate_limit, api_key, api_secret):
    total, selected = size(smoke)
    young = (total - selected) // 4
    environments, accounts, keys = [], [], []
    for index in range(total):
        if index < selected:
            env_id, name, age = "env-ci-%03d" % index, "ci-build-%03d" % index, OLD
        elif index < selected + young:
            env_id, name, age = "env-ci-young-%03d" % index, "ci-build-%03d" % index, YOUNG
        else:
            env_id, name, age = "env-team-%03d" % index, "team-%03d" % index, OLD
        environment = {"id": env_id, "display_name": name, "age": age}
        if index < selected:
            environment["clusters"] = [{"id": "lkc-ci-%03d" % index, "display_name": "ci-kafka-%03d" % index,
                                        "connectors": [{"name": "ci-datagen-%03d" % index, "type": "source"}]}]
        environments.append(environment)
        account_id = environment["id"].replace("env-", "sa-")
        accounts.append({"id": account_id, "display_name": name.replace("build", "runner"), "age": age})
        if index < selected:
            keys.append({"id": "CIKEY%03d" % index, "owner": account_id, "resource": "lkc-ci-%03d" % index})
    accounts.append({"id": "sa-bench", "display_name": "bench-operator", "age": OLD})
    keys.append({"id": api_key, "owner": "sa-bench", "resource": "cloud"})
    return {
        "credentials": [{"api_key": api_key, "api_secret": api_secret}],
        "rate_limit": {"limit": rate_limit, "window": 1.0},
        "delete_delay": DELETE_DELAY,
        "environments": environments,
        "service_accounts": accounts,
        "api_keys": keys,
    }


def selected_left(state):
    """Selected environments and service accounts (and their keys) still there after the sweep."""
    envs = [env["id"] for env in state["environments"] if env["id"].startswith("env-ci-") and "young" not in env["id"]]
    accounts = [sa["id"] for sa in state["service_accounts"] if sa["id"].startswith("sa-ci-") and "young" not in sa["id"]]
    keys = [key["id"] for key in state["api_keys"] if key["id"].startswith("CIKEY")]
    return len(envs) + len(accounts) + len(keys)


def run_sweep(runner, sim, smoke, rep, results, problems):
    """One unlimited and one limited sweep, in an order that rotates with rep."""
    total, selected = size(smoke)
    variables = {"cleanup_display_name_regex": SELECTOR, "cleanup_older_than": "1d", "cleanup_apply": True,
                 "cleanup_max": 2 * selected, "cleanup_wait_timeout": 600}
    for limited in ((True, False) if rep % 2 else (False, True)):
        kind = "limited" if limited else "unlimited"
        sim.seed(seed(smoke, RATE if limited else 0, runner.api_key, runner.api_secret))
        summary_file = os.path.join(runner.run_dir, "sweep-summary.json")
        if os.path.exists(summary_file):
            os.unlink(summary_file)
        label = "sweep %s run %d" % (kind, rep + 1)
        flags = ["-e", json.dumps(dict(variables, cleanup_summary_file=summary_file))]
        run = runner.playbook(PLAYBOOK, [{}], label, flags=flags, forks=1, credentials_in_environment=True)
        log = sim.log()
        state = sim.state()
        summary = None
        if os.path.exists(summary_file):
            with open(summary_file, encoding="utf-8") as handle:
                summary = json.load(handle)
        deleted = 0
        failed = 2 * selected
        if summary:
            deleted = len(summary["environments"]["deleted"]) + len(summary["service_accounts"]["deleted"])
            failed = len(summary["environments"]["failed"]) + len(summary["service_accounts"]["failed"])
        run.update(requests=len(log), http_429=sum(1 for entry in log if entry["status"] == 429),
                   deleted=deleted, failed=failed, left=selected_left(state))
        results["sweep"][kind].append(run)
        print("    %-44s %6.1f s  requests=%-4d 429s=%-3d deleted=%-3d failed=%-2d left=%d"
              % (label, run["wall"], run["requests"], run["http_429"], deleted, failed, run["left"]), flush=True)
        if run["returncode"] != 0 or failed or run["left"] or deleted != 2 * selected:
            problems.append("%s: exit %s, %d deleted of %d, %d failed, %d left (see %s)"
                            % (label, run["returncode"], deleted, 2 * selected, failed, run["left"], run["log"]))

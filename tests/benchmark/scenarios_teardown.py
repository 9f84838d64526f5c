# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scenario 3 of the benchmark: the rate-limited teardown, many hosts (as many forks) and one API key, with the rate
limit and without, for confluent_connector and ansible.builtin.uri."""

from __future__ import annotations

from bench_common import OURS, THROTTLED_SHARE, URI, connector_names, request_counts, rotate, say, seed_document


def scenario_teardown(runner, sim, args, rep, results, problems):
    """Scenario 3: the teardown over many hosts, with the rate limit and without, for both contenders."""
    names = connector_names(args.teardown_connectors)
    hosts = args.teardown_hosts
    shares = [names[index::hosts] for index in range(hosts)]
    plan = [(contender, limited) for limited in (True, False) for contender in (OURS, URI)]
    for contender, limited in rotate(plan, rep):
        sim.seed(seed_document(names, args.rate_limit if limited else 0, args.rate_window))
        kind = "limited" if limited else "unlimited"
        label = "teardown %s %s run %d" % (kind, contender, rep + 1)
        run = runner.playbook("teardown_%s.yml" % contender, shares, label, forks=hosts)
        log = sim.log()
        run["requests"] = request_counts(log)
        run["http_429"] = sum(1 for entry in log if entry["status"] == 429)
        run["http_429_first_window"], run["http_429_later"] = throttling(log, args.rate_window)
        run["connectors_left"] = sim.connectors_left()
        items = run["items"]
        finished = items.get("ok", 0) + items.get("failed", 0) + items.get("skipped", 0)
        run["failed_tasks"] = items.get("failed", 0) + max(0, len(names) - finished)
        results["teardown"][kind][contender].append(run)
        say("    %-44s %6.1f s  429s=%-4d (after the first window %d) failed=%-3d left=%d"
            % (label, run["wall"], run["http_429"], run["http_429_later"], run["failed_tasks"],
               run["connectors_left"]))
        if run["returncode"] not in (0, 2):
            problems.append("%s: ansible-playbook exited %s (see %s)" % (label, run["returncode"], run["log"]))
        if contender == OURS and limited:
            # What the shared rate-limit budget achieves on one controller, with the default api_retries.
            allowed = throttled_allowed(len(names))
            if run["http_429_later"] > allowed:
                problems.append("%s: %d answers of 429 after the first window for %d tasks, at most %d allowed: the "
                                "forks do not share the API key's rate-limit budget"
                                % (label, run["http_429_later"], len(names), allowed))
            if run["http_429_first_window"] > hosts:
                problems.append("%s: %d answers of 429 in the first window from %d forks"
                                % (label, run["http_429_first_window"], hosts))
            if run["failed_tasks"] or run["connectors_left"]:
                problems.append("%s: %d failed tasks, %d connectors left (see %s)"
                                % (label, run["failed_tasks"], run["connectors_left"], run["log"]))


def throttled_allowed(tasks):
    """Answers of 429 allowed after the first window: N/20 for N tasks, rounded up (a small run may meet one)."""
    return -(-tasks // THROTTLED_SHARE)


def throttling(log, window):
    """(answers of 429 in the simulator's first rate-limit window, answers of 429 after it).

    The window starts with the first request; before the first answer no fork can know the budget.
    """
    answered = [entry for entry in log if entry["status"] is not None]
    if not answered:
        return 0, 0
    first_window_end = min(entry["started"] for entry in answered) + window
    throttled = [entry for entry in log if entry["status"] == 429]
    early = sum(1 for entry in throttled if entry["started"] < first_window_end)
    return early, len(throttled) - early

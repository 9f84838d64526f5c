# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scenarios 1 and 4 of the benchmark: the per-task cost of the three contenders on both paths, and the requests per
confluent_connector task in normal, check, diff and check+diff mode."""

from __future__ import annotations

import collections
import json
import os

from bench_common import (CASES, CHUNK, CONTENDERS, MODES, OURS, OURS_REQUESTS, PATH_CONNECTIONS, PATH_PROCESSES,
                          PATHS, PING, PLAYBOOKS, URI, connector_names, request_counts, rotate, say, seed_document)


def interleaved_playbook(runner, tasks, rep, contenders=CONTENDERS, playbook="per_task_%s.yml",
                         items="bench_connectors_%s"):
    """One play that runs the contenders' loop tasks in chunks of CHUNK tasks, taking turns, in a rotating order.

    Each contender's task comes from its playbooks/per_task_CONTENDER.yml (``playbook``) and loops over its own
    items (the variable ``items``), so that machine noise, which changes from second to second, hits the contenders
    alike.
    """
    import yaml

    plays = {}
    for contender in contenders:
        with open(os.path.join(PLAYBOOKS, playbook % contender), encoding="utf-8") as handle:
            plays[contender] = yaml.safe_load(handle)[0]
    play = dict((key, value) for key, value in plays[contenders[0]].items() if key != "tasks")
    play["name"] = "Per-task cost, %d contenders taking turns" % len(contenders)
    play["tasks"] = []
    for chunk, start in enumerate(range(0, tasks, CHUNK)):
        for contender in rotate(contenders, chunk + rep):
            task = dict(plays[contender]["tasks"][0])
            task["name"] = "%s chunk %d" % (contender, chunk)
            task["loop"] = "{{ %s[%d:%d] }}" % (items % contender, start, min(tasks, start + CHUNK))
            play["tasks"].append(task)
    path = os.path.join(runner.run_dir, playbook % "interleaved")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump([play], handle, indent=1)
    return path


def scenario_per_task(runner, sim, tasks, rep, results, problems):
    """Scenario 1 (and the normal mode of scenario 4): one interleaved run in each case, on each path."""
    names = dict((contender, connector_names(tasks, "bench-%s" % contender)) for contender in CONTENDERS)
    host_vars = dict(("bench_connectors_%s" % contender, names[contender]) for contender in CONTENDERS)
    playbook = interleaved_playbook(runner, tasks, rep)
    plan = [(path, case) for path in PATHS for case in CASES]
    for path, case in rotate(plan, rep):
        sim.seed(seed_document(names[OURS] + names[URI] if case == "existing" else []))
        label = "per-task %s %s run %d" % (path, case, rep + 1)
        run = runner.playbook(playbook, [host_vars], label, connection=PATH_CONNECTIONS[path])
        log = sim.log()
        left = sim.connectors_left()
        line = []
        for contender in CONTENDERS:
            items, seconds = contender_items(run, contender)
            requests = [entry for entry in log if agent_of(entry) == contender]
            processes = run["module_processes"].get(contender, 0)
            record = {
                "task_seconds": seconds,
                "items": dict(items),
                "requests": request_counts(requests),
                "module_processes": processes,
                "returncode": run["returncode"],
                "log": run["log"],
            }
            results["per_task"][path][case][contender].append(record)
            line.append("%s %.3f" % (contender, (seconds or float("nan")) / tasks))
            expected_processes = PATH_PROCESSES[path][contender] * tasks
            if processes != expected_processes:
                problems.append("%s, %s: %d module processes for %d tasks, expected %d: not the %s path (see %s)"
                                % (label, contender, processes, tasks, expected_processes, path, run["log"]))
            if items.get("ok") != tasks or items.get("failed"):
                problems.append("%s, %s: items %s (see %s)" % (label, contender, dict(items), run["log"]))
            expected_requests = {PING: 0, OURS: OURS_REQUESTS[case]}.get(contender, 1) * tasks
            if record["requests"]["total"] != expected_requests:
                problems.append("%s, %s: %d requests for %d tasks" % (label, contender, record["requests"]["total"],
                                                                      tasks))
        say("    %-42s s/task: %s  (wall %.0f s)" % (label, ", ".join(line), run["wall"]))
        if run["returncode"] != 0:
            problems.append("%s: ansible-playbook exited %s (see %s)" % (label, run["returncode"], run["log"]))
        if case == "existing" and left:
            problems.append("%s: %d connectors left" % (label, left))
        strangers = [entry for entry in log if agent_of(entry) == "other"]
        if strangers:
            problems.append("%s: %d requests from an unknown User-Agent" % (label, len(strangers)))


def contender_items(run, contender):
    """(its loop items by outcome, its tasks' seconds in all; None without any) of a contender's chunks in an
    interleaved_playbook() run."""
    own = [task for task in run["tasks"] if task["name"].startswith(contender + " chunk ")]
    items = collections.Counter()
    for task in own:
        items.update(task["items"])
    return items, (sum(task["end"] - task["start"] for task in own if task["end"]) if own else None)


def agent_of(entry):
    """Which contender sent a request, from its User-Agent."""
    agent = entry.get("user_agent") or ""
    if agent.startswith("kafkaops.confluent_cloud/"):
        return OURS
    if agent.startswith("ansible-httpget"):
        return URI
    return "other"


def scenario_modes(runner, sim, tasks, rep, results, problems):
    """Scenario 4: requests per confluent_connector task in check, diff and check+diff mode."""
    names = connector_names(tasks)
    for case in CASES:
        for mode, flags in MODES[1:]:
            sim.seed(seed_document(names if case == "existing" else []))
            label = "modes %s %s run %d" % (case, mode, rep + 1)
            run = runner.playbook("per_task_%s.yml" % OURS, [names], label, flags=flags)
            run["requests"] = request_counts(sim.log())
            run["tasks"] = tasks
            results["modes"][case][mode].append(run)
            if run["returncode"] != 0 or run["items"].get("failed"):
                problems.append("%s: exit %s, items %s (see %s)" % (label, run["returncode"], run["items"], run["log"]))

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scenario 8 of the benchmark: the per-task cost of deleting a Kafka topic through the cluster's Kafka REST v3.

--tasks topics for each contender, all existing (DELETE 204): ``confluent_kafka_topic`` with ``rest_endpoint`` and a
cluster API key against ``ansible.builtin.uri`` sending the same DELETE with the same key, taking turns in one
playbook run (scenario 1's interleaving), on both paths a module task can take (in-process and a module process of
its own). Checked: every item ok, one request per task, the topics gone, the module processes each path starts.
"""

from __future__ import annotations

from bench_common import API_KEY, API_SECRET, CLUSTER_ID, ENVIRONMENT_ID, PATH_CONNECTIONS, PATHS, URI, say
from scenarios_per_task import agent_of, contender_items, interleaved_playbook

OURS = "confluent_kafka_topic"
CONTENDERS = (OURS, URI)
LABELS = {OURS: "kafkaops.confluent_cloud.confluent_kafka_topic", URI: "ansible.builtin.uri"}
KAFKA_API_KEY = "BENCHKAFKAKEY"
KAFKA_API_SECRET = "bench-kafka-secret"
# Module processes per task on each path: ours none in-process, uri always one.
PROCESSES = {"in-process": {OURS: 0, URI: 1}, "module-process": {OURS: 1, URI: 1}}


def topic_names(count, contender):
    return ["bench-%s-%04d" % ("ours" if contender == OURS else contender, index) for index in range(count)]


def seed(names):
    """One cluster with the topics, the Cloud API key and an API key of the cluster for its Kafka REST."""
    return {
        "credentials": [{"api_key": API_KEY, "api_secret": API_SECRET},
                        {"api_key": KAFKA_API_KEY, "api_secret": KAFKA_API_SECRET}],
        "api_keys": [{"id": KAFKA_API_KEY, "owner": "u-bench", "resource": CLUSTER_ID}],
        "delete_delay": 0,
        "environments": [{"id": ENVIRONMENT_ID, "display_name": "bench",
                          "clusters": [{"id": CLUSTER_ID, "topics": names}]}],
    }


def run_topics(runner, sim, tasks, rep, results, problems):
    """One interleaved run on each path, in an order that rotates with rep."""
    names = dict((contender, topic_names(tasks, contender)) for contender in CONTENDERS)
    host = dict(("bench_topics_%s" % contender, names[contender]) for contender in CONTENDERS)
    host.update(bench_kafka_api_key=KAFKA_API_KEY, bench_kafka_api_secret=KAFKA_API_SECRET)
    playbook = interleaved_playbook(runner, tasks, rep, CONTENDERS, "per_task_topic_%s.yml", "bench_topics_%s")
    for path in (PATHS if rep % 2 == 0 else tuple(reversed(PATHS))):
        sim.seed(seed(names[OURS] + names[URI]))
        label = "topics %s run %d" % (path, rep + 1)
        run = runner.playbook(playbook, [host], label, connection=PATH_CONNECTIONS[path])
        log = sim.log()
        line = []
        for contender in CONTENDERS:
            items, seconds = contender_items(run, contender)
            # agent_of() names the collection's requests after scenario 1's module.
            requests = [entry for entry in log if agent_of(entry) == ("confluent_connector" if contender == OURS
                                                                      else contender)]
            record = {"task_seconds": seconds, "items": dict(items), "requests": len(requests),
                      "deleted": sum(1 for entry in requests if entry["method"] == "DELETE" and entry["status"] == 204),
                      "module_processes": run["module_processes"].get(contender, 0), "log": run["log"]}
            results["topics"][path][contender].append(record)
            line.append("%s %.3f" % (contender, (seconds or float("nan")) / tasks))
            if items.get("ok") != tasks or items.get("failed") or record["deleted"] != tasks:
                problems.append("%s, %s: items %s, %d topics deleted of %d (see %s)"
                                % (label, contender, dict(items), record["deleted"], tasks, run["log"]))
            if record["requests"] != tasks:
                problems.append("%s, %s: %d requests for %d tasks" % (label, contender, record["requests"], tasks))
            if record["module_processes"] != PROCESSES[path][contender] * tasks:
                problems.append("%s, %s: %d module processes for %d tasks: not the %s path (see %s)"
                                % (label, contender, record["module_processes"], tasks, path, run["log"]))
        say("    %-42s s/task: %s  (wall %.0f s)" % (label, ", ".join(line), run["wall"]))
        left = sim.topics_left()
        if run["returncode"] != 0 or left:
            problems.append("%s: ansible-playbook exited %s, %d topics left (see %s)"
                            % (label, run["returncode"], left, run["log"]))

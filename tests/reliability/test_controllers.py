# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controllers that share an API key but no disk: 3 ansible-playbook runs at once, each with its own TMPDIR and HOME
(as AWX runs job slices on several execution nodes, or jobs in their own containers), 3 forks each, against one
simulator limited to a few requests per second for that key, with the modules' default settings.

The rate-limit state file of each run lives in its own TMPDIR, so the runs cannot see each other's budget: they must
pace themselves from the 429s they get. Asserted: no task fails, nothing is left, each connector is deleted once, at
most one answer of 429 for every four connectors, and each run kept its own state file.
"""

from __future__ import annotations

import collections
import concurrent.futures
import glob
import os
import shutil

import pytest

import rel_harness as h

CONTROLLERS = 3
FORKS = 3
ENV = "env-ctl"
CLUSTER = "lkc-ctl"
# (requests per 1 s window, connectors): about 30 and 45 s of the key's whole rate.
CASES = [(5, 150), (2, 90)]


def names(count):
    return ["ctl-%03d" % index for index in range(count)]


def seed(count):
    return {"credentials": h.CREDENTIALS, "delete_delay": 0,
            "environments": [{"id": ENV, "display_name": "controllers", "clusters": [
                {"id": CLUSTER, "connectors": [{"name": name, "type": "sink"} for name in names(count)]}]}]}


def inventory(controller, count):
    """This controller's hosts, each with its share of the connectors: host i of K x F deletes every (K x F)th."""
    hosts = {}
    everyone = CONTROLLERS * FORKS
    for fork in range(FORKS):
        index = controller * FORKS + fork
        hosts["ctl%d-%d" % (controller, fork)] = {"rel_connectors": names(count)[index::everyone]}
    return h.local_inventory(hosts)


def share_sizes(count):
    sizes = sorted({len(names(count)[index::CONTROLLERS * FORKS]) for index in range(CONTROLLERS * FORKS)})
    return "-".join(str(size) for size in sizes)


def plays(endpoint):
    defaults = {"api_key": h.API_KEY, "api_secret": h.API_SECRET, "api_endpoint": endpoint}
    return [{"name": "tear down my share", "hosts": "all", "gather_facts": False,
             "module_defaults": {"group/kafkaops.confluent_cloud.all": defaults},
             "tasks": [{"name": "delete my connectors", "kafkaops.confluent_cloud.confluent_connector": {
                 "name": "{{ item }}", "environment_id": ENV, "kafka_cluster_id": CLUSTER, "state": "absent"},
                 "loop": "{{ rel_connectors }}"}]}]


def run_controllers(sim, nodeid, count):
    """The controllers, started together, each in a directory of its own that it uses as TMPDIR and HOME."""
    base = nodeid.rsplit("::", 1)[-1].replace("[", "-").replace("]", "")
    homes = [os.path.join(h.BUILD, "controllers", "%s-%d" % (base, controller)) for controller in range(CONTROLLERS)]
    for home in homes:
        shutil.rmtree(home, ignore_errors=True)
        os.makedirs(os.path.join(home, "tmp"))
    with concurrent.futures.ThreadPoolExecutor(CONTROLLERS) as pool:
        runs = [pool.submit(h.run_playbook, "%s-%d" % (base, controller), plays(sim.url), inventory(controller, count),
                            forks=FORKS, timeout=900,
                            extra_env={"TMPDIR": os.path.join(homes[controller], "tmp"), "HOME": homes[controller]})
                for controller in range(CONTROLLERS)]
        return [run.result() for run in runs], homes


@pytest.fixture(scope="module")
def controllers_sim(collection):  # pylint: disable=unused-argument
    sim = h.Simulator(seed(0), os.path.join(h.BUILD, "sim-controllers"))
    yield sim
    sim.stop()


@pytest.mark.parametrize("limit, count", CASES, ids=["%d-per-s" % limit for limit, dummy in CASES])
def test_controllers_sharing_no_disk_share_one_key(controllers_sim, report, nodeid, limit, count):
    sim = controllers_sim
    sim.seed(seed(count))
    sim.configure(rate_limit={"limit": limit, "window": 1})
    sim.clear_log()
    runs, homes = run_controllers(sim, nodeid, count)
    run = h.PlaybookRun.combine(runs)
    log, state = sim.log(), sim.state()
    items = [r for r in run.records if r["item"] and r["action"].endswith("confluent_connector")]
    failed = [r for r in items if r["status"] not in ("changed", "ok")]
    changed = [r for r in items if r["status"] == "changed"]
    left = sorted(name for dummy, dummy2, name in h.connectors_in(state) if name.startswith("ctl-"))
    deleted = collections.Counter(e["path"] for e in log if e["method"] == "DELETE" and e["status"] == 200)
    throttled = sum(1 for e in log if e["status"] == 429)
    tracebacks = [r["host"] for r in items if h.traceback_signs(r["result"])]
    waited = [r for r in items if (r["result"].get("rate_limit_wait") or 0) > 0 or r["result"].get("retries")]
    state_files = [glob.glob(os.path.join(home, "tmp", "kafkaops-confluent-cloud-rate-*.json")) for home in homes]
    bound = count / float(limit)
    report.add("load", nodeid, [
        "%d controllers sharing no disk (own TMPDIR and HOME), defaults" % CONTROLLERS,
        "%d x %s" % (CONTROLLERS * FORKS, share_sizes(count)), "%d x %d" % (CONTROLLERS, FORKS),
        "%d per 1 s" % limit, "default (5)", len(log), "%d (%.2f x N)" % (throttled, throttled / float(count)), 0,
        len(changed), len(failed), len(left), sum(1 for n in deleted.values() if n > 1),
        "%.0f s (%.2f x N/R)" % (run.duration, run.duration / bound)],
        requests=len(log), tracebacks=len(tracebacks), module_runs=len(items))
    report.meta["notes_load"] = [
        "The rows of controllers sharing no disk run %d `ansible-playbook` processes at once, each with its own "
        "`TMPDIR` and `HOME`, so that their rate-limit state files are apart; N/R is the connectors over the limit, "
        "the least time the limit allows (tests/reliability/test_controllers.py)." % CONTROLLERS]
    assert not tracebacks
    assert len(items) == count, (len(items), count)
    assert not failed, [(r["host"], r["result"].get("msg")) for r in failed][:5]
    assert not left, left[:10]
    assert sorted(deleted.values()) == [1] * count
    assert len(changed) == count
    assert [one.returncode for one in runs] == [0] * CONTROLLERS, run.stdout[-3000:]
    # The runs could not see each other: each kept a state file of its own, in its own TMPDIR.
    assert [len(files) for files in state_files] == [1] * CONTROLLERS
    assert waited or throttled, "the rate limit was never reached: the test proves nothing about it"
    assert throttled <= count / 4.0, "%d answers of 429 for %d connectors" % (throttled, count)

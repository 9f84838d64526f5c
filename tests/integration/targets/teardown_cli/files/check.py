"""Assertions on the simulator's state and log, and on ansible-runner artifacts, for runme.sh."""

import glob
import json
import os
import re
import sys
import urllib.request


def fetch(url, path):
    with urllib.request.urlopen(url + path) as response:
        return json.load(response)


def read(path):
    with open(path) as handle:
        return handle.read()


def configure(url, settings):
    request = urllib.request.Request(url + "/_sim/config", data=settings.encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request):
        pass


def connector_names(url):
    return [c["name"] for env in fetch(url, "/_sim/state")["environments"]
            for cluster in env["clusters"] for c in cluster["connectors"]]


def check_parallel(url, output_file, forks, window, tmpdir):
    output = read(output_file)
    recap = re.findall(r"^host\d+\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", output, re.M)
    assert len(recap) == 10, "expected a recap line for each of 10 hosts: %r" % recap
    assert all(failed == "0" and unreachable == "0" for ok, changed, unreachable, failed in recap), recap
    left = [name for name in connector_names(url) if "-conn-" in name]
    assert left == [], "connectors left behind: %s" % left
    log = fetch(url, "/_sim/log")
    deletes = [entry for entry in log if entry["method"] == "DELETE"]
    throttled = [entry for entry in deletes if entry["status"] == 429]
    succeeded = [entry for entry in deletes if entry["status"] == 200]
    assert len(succeeded) == 60, "expected 60 successful DELETEs, got %d" % len(succeeded)
    assert not [entry for entry in deletes if entry["status"] not in (200, 429)], "unexpected statuses"
    # Until the first answer no fork knows the key's budget, so each fork's first request may meet a 429 in the first
    # window; after it the forks share the budget: at most one 429 for every 20 tasks (rounded up).
    first_window_end = min(entry["started"] for entry in deletes) + float(window)
    late = [entry for entry in throttled if entry["started"] >= first_window_end]
    assert len(throttled) - len(late) <= int(forks), "more 429s in the first window than forks"
    assert len(late) <= -(-len(succeeded) // 20), \
        "%d answers of 429 after the first window for %d tasks: the forks do not share the key's budget" % (
            len(late), len(succeeded))
    assert glob.glob(os.path.join(tmpdir, "kafkaops-confluent-cloud-rate-*")), \
        "the run kept no rate-limit budget in its own temporary directory"
    print("parallel: 60 deleted by %s forks, %d answers of 429 on the way (%d after the first window), none failed"
          % (forks, len(throttled), len(late)))


def check_gone(url, name):
    assert name not in connector_names(url), "%s still exists" % name
    assert "survivor" in connector_names(url), "an unrelated connector was deleted"


def check_runner(url, artifacts, secret):
    assert read(os.path.join(artifacts, "status")).strip() == "successful"
    names = glob.glob(os.path.join(artifacts, "job_events", "*.json"))
    assert names, "ansible-runner wrote no job events"
    for name in names + [os.path.join(artifacts, "stdout")]:
        assert secret not in read(name), "the API secret appears in %s" % name
    events = [json.loads(read(name)) for name in names]
    assert any(event.get("event") == "runner_on_ok" and event["event_data"]["res"].get("changed")
               for event in events), "no changed task in the job events"
    print("runner: job successful, %d events, secret in none" % len(events))


def main():
    url, what = sys.argv[1], sys.argv[2]
    {"parallel": check_parallel, "gone": check_gone, "runner": check_runner, "configure": configure}[what](url, *sys.argv[3:])


if __name__ == "__main__":
    main()

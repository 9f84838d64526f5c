#!/usr/bin/env bash
# The collection used the ways people run it outside a role: a playbook across many hosts with forks against a low
# rate limit, an ad-hoc command, and an AWX-style ansible-runner job with the credentials injected as env/envvars.
set -eux

PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"
HERE="$(pwd)"
WORK="$(mktemp -d)"
SIM="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/kafkaops/confluent_cloud/tests/simulator/confluent_sim.py"

"$PYTHON" "$HERE/files/make_seed.py" > "$WORK/seed.json"
"$PYTHON" "$SIM" --port 0 --seed "$WORK/seed.json" --url-file "$WORK/url" --idle-exit 120 > "$WORK/sim.out" 2>&1 &
SIM_PID=$!
trap 'kill "$SIM_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
# Wait for the simulator to listen: up to 60 s, since a busy machine may take a while to start Python.
for _ in $(seq 600); do [ -s "$WORK/url" ] && break; sleep 0.1; done
[ -s "$WORK/url" ] || { echo "the simulator did not start within 60 s:" >&2; cat "$WORK/sim.out" >&2; exit 1; }
URL="$(cat "$WORK/url")"
check() { "$PYTHON" "$HERE/files/check.py" "$URL" "$@"; }

export CONFLUENT_CLOUD_API_KEY=CLIKEY CONFLUENT_CLOUD_API_ENDPOINT="$URL"
SECRET=cli-secret-Vb7nQ2zK

# 1. Ten hosts, ten forks, 60 connectors, 5 requests per second for the one shared API key. The forks share the key's
# rate-limit budget through a state file in the temporary directory: a directory of its own for this run, so that
# the steps below, with the same key and endpoint, never wait for what it left there.
mkdir "$WORK/parallel-tmp"
check configure '{"rate_limit": {"limit": 5, "window": 1}}'
CONFLUENT_CLOUD_API_SECRET="$SECRET" TMPDIR="$WORK/parallel-tmp" \
    ansible-playbook -i "$HERE/files/inventory.ini" -f 10 "$HERE/files/parallel.yml" | tee "$WORK/parallel.out"
check parallel "$WORK/parallel.out" 10 1 "$WORK/parallel-tmp"
check configure '{"rate_limit": {"limit": 0, "window": 1}}'

# 2. Ad hoc.
CONFLUENT_CLOUD_API_SECRET="$SECRET" ansible localhost -m kafkaops.confluent_cloud.confluent_connector \
    -a "name=adhoc-sink environment_id=env-cli kafka_cluster_id=lkc-cli state=absent" | tee "$WORK/adhoc.out"
grep -q 'localhost | CHANGED' "$WORK/adhoc.out"
check gone adhoc-sink

# 3. AWX-style: ansible-runner with the credential type's injectors written to env/envvars.
RUNNER="$WORK/runner"
mkdir -p "$RUNNER/project" "$RUNNER/env" "$RUNNER/inventory"
cp "$HERE/files/runner_job.yml" "$RUNNER/project/"
printf 'localhost ansible_connection=local ansible_python_interpreter=%s\n' "$PYTHON" > "$RUNNER/inventory/hosts"
"$PYTHON" - "$RUNNER/env/envvars" "$URL" "$SECRET" <<'PY'
import json
import sys

path, url, secret = sys.argv[1:]
with open(path, "w") as handle:
    json.dump({"CONFLUENT_CLOUD_API_KEY": "CLIKEY", "CONFLUENT_CLOUD_API_SECRET": secret,
               "CONFLUENT_CLOUD_API_ENDPOINT": url}, handle)
PY
ansible-runner run "$RUNNER" -p runner_job.yml --ident job1 -v > "$WORK/runner.out" 2>&1 || { cat "$WORK/runner.out"; exit 1; }
check runner "$RUNNER/artifacts/job1" "$SECRET"
check gone runner-sink

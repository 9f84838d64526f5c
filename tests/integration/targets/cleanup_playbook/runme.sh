#!/usr/bin/env bash
# The shipped cleanup playbook (kafkaops.confluent_cloud.cleanup) and the playbook of the guide "Find, preview, then
# delete", run as users run them: ansible-playbook against the simulator, credentials from the environment.
set -eux

PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"
exec "$PYTHON" "$(pwd)/files/run_playbooks.py"

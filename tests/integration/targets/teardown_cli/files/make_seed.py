"""Seed for the teardown_cli target: one cluster with six connectors per host, plus the ad-hoc and runner ones."""

import json

connectors = ["host%02d-conn-%d" % (host, number) for host in range(1, 11) for number in range(1, 7)]
connectors += ["adhoc-sink", "runner-sink", "survivor"]
print(json.dumps({
    "credentials": [{"api_key": "CLIKEY", "api_secret": "cli-secret-Vb7nQ2zK"}],
    "environments": [{"id": "env-cli", "display_name": "cli", "clusters": [
        {"id": "lkc-cli", "connectors": [{"name": name, "type": "sink"} for name in connectors]}]}],
}))

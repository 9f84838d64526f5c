"""Tests of the simulator's control API (/_sim/), its seeds, its command line and TLS.

Fixtures are in conftest.py; seeds, URL helpers and the OpenAPI validator in simtest.py.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

import confluent_sim  # conftest.py puts this folder on sys.path
from simtest import (AUTH, CLUSTER, ENV, HERE, ODD_NAMES, PENDING_DELETE_DELAY, TOKEN, base_seed, conn_url, control,
                     env_url, requests, wait_for, yaml)


# --------------------------------------------------------------------------- control API


def test_log_endpoint(sim, api):
    api.headers["User-Agent"] = "sim-test/1.0"
    api.get(env_url(sim, ENV))
    requests.get(env_url(sim), headers={"Authorization": "Bearer " + TOKEN})
    requests.get(env_url(sim))
    control(sim, "GET", "state")
    log = control(sim, "GET", "log").json()
    assert len(log) == 3
    first = log[0]
    assert set(first) >= {"method", "path", "auth", "key", "status", "started", "duration", "user_agent",
                          "request_id"}
    assert (first["method"], first["path"], first["auth"], first["key"], first["status"]) == (
        "GET", "/org/v2/environments/" + ENV, "basic", "KEY1", 200)
    assert first["user_agent"] == "sim-test/1.0"
    assert abs(first["started"] - time.time()) < 10 and first["duration"] >= 0
    assert [(e["auth"], e["key"], e["status"]) for e in log[1:]] == [("bearer", "token", 200), ("none", None, 401)]
    assert "SECRET1" not in json.dumps(log)
    assert len({e["request_id"] for e in log}) == 3
    assert control(sim, "DELETE", "log").status_code == 200
    assert control(sim, "GET", "log").json() == []


def test_state_endpoint(sim, api):
    state = control(sim, "GET", "state").json()
    assert [e["id"] for e in state["environments"]] == [ENV, "env-other"]
    env = state["environments"][0]
    assert env["display_name"] == "staging" and env["deleting"] is False
    assert [c["id"] for c in env["clusters"]] == [CLUSTER, "lkc-empty"]
    names = [c["name"] for c in env["clusters"][0]["connectors"]]
    assert names == ["orders-sink", "users-source"] + ODD_NAMES
    assert state["config"]["rate_limit"] == {"limit": 0, "window": 1.0}
    assert state["config"]["delete_delay"] == PENDING_DELETE_DELAY
    assert "SECRET1" not in json.dumps(state) and TOKEN not in json.dumps(state)
    assert sim.state() == state


def test_config_endpoint(sim):
    resp = control(sim, "POST", "config", {"rate_limit": {"limit": 4, "window": 1}, "delete_delay": 0.5})
    assert resp.status_code == 200
    assert resp.json()["rate_limit"] == {"limit": 4, "window": 1.0} and resp.json()["delete_delay"] == 0.5
    for bad in ({"rate_limit": {"limit": -1}}, {"delete_delay": "soon"}, {"unknown": 1}):
        assert control(sim, "POST", "config", bad).status_code == 400
    assert control(sim, "GET", "config").json()["rate_limit"]["limit"] == 4


def test_seed_endpoint_resets_everything(sim, api):
    control(sim, "POST", "config", {"rate_limit": {"limit": 1, "window": 30}})
    api.get(env_url(sim))
    assert api.get(env_url(sim)).status_code == 429
    control(sim, "POST", "faults", {"action": "drop", "count": -1, "path": "never-matches-anything"})
    new_seed = {"credentials": [{"api_key": "NEW", "api_secret": "S"}],
                "environments": [{"id": "env-new", "display_name": "fresh"}]}
    resp = control(sim, "POST", "seed", new_seed)
    assert resp.status_code == 200
    state = resp.json()
    assert [e["id"] for e in state["environments"]] == ["env-new"]
    assert state["faults"] == [] and state["config"]["rate_limit"]["limit"] == 0
    assert control(sim, "GET", "log").json() == []
    assert requests.get(env_url(sim), auth=("NEW", "S")).json()["data"][0]["display_name"] == "fresh"
    assert api.get(env_url(sim)).status_code == 401
    assert control(sim, "POST", "seed", {"environments": [{"display_name": "no id"}]}).status_code == 400


def test_control_endpoints_unknown_and_unlogged(sim):
    assert control(sim, "GET", "nothing").status_code == 404
    assert control(sim, "PUT", "log").status_code == 405
    assert control(sim, "GET", "health").json() == {"ok": True}
    assert control(sim, "POST", "faults", None).status_code == 400
    resp = requests.post(sim.url + "/_sim/faults", data="{not json", timeout=5)
    assert resp.status_code == 400
    assert sim.log() == []


def test_validator_rejects_off_spec_responses(sim, api, spec):
    bad_env = {"api_version": "org/v2", "kind": "Environment", "id": 5, "display_name": "x"}
    bad_connector = {"name": "orders-sink", "config": {"connector.class": "X"}, "type": "sideways"}
    control(sim, "POST", "faults", [
        {"method": "GET", "path": "env-other$", "action": "respond", "status": 200, "body": bad_env, "count": 2},
        {"method": "GET", "path": "orders-sink$", "action": "respond", "status": 200, "body": bad_connector},
        {"method": "DELETE", "path": "env-other$", "action": "respond", "status": 418, "body": {}},
    ])
    with pytest.raises(Exception):
        spec(api.get(env_url(sim, "env-other")))
    with pytest.raises(Exception):
        spec(api.get(conn_url(sim, name="orders-sink")))
    with pytest.raises(AssertionError, match="not documented"):
        spec(api.delete(env_url(sim, "env-other")))
    with pytest.raises(Exception):
        spec.validate_schema("org", "Failure", {"errors": [{"status": 404}]})
    if spec.core:
        from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

        resp = api.get(env_url(sim, "env-other"))
        with pytest.raises(Exception):
            spec.core["org"].validate_response(RequestsOpenAPIRequest(resp.request), RequestsOpenAPIResponse(resp))


# --------------------------------------------------------------------------- seeds, CLI, TLS


def test_demo_seed_loads():
    seed = confluent_sim.load_seed_file(str(HERE / "seeds" / "demo.json"))
    with confluent_sim.start_simulator(seed) as simulator:
        cred = seed["credentials"][0]
        resp = requests.get(simulator.url + "/org/v2/environments", auth=(cred["api_key"], cred["api_secret"]))
        assert resp.status_code == 200 and resp.json()["data"]


def test_yaml_seed(tmp_path):
    path = tmp_path / "seed.yaml"
    path.write_text(yaml.safe_dump(base_seed(), allow_unicode=True), encoding="utf-8")
    seed = confluent_sim.load_seed_file(str(path))
    assert seed["environments"][0]["id"] == ENV


def test_bad_seed_is_rejected(tmp_path):
    for doc in ({"environments": [{"id": "a"}, {"id": "a"}]},
                {"environments": [{"id": "a", "clusters": [{"id": "c", "connectors": [{"name": "x", "type": "up"}]}]}]},
                {"credentials": [{"api_key": "k"}]},
                {"rate_limit": {"limit": 1, "window": 0}}):
        with pytest.raises(confluent_sim.SeedError):
            confluent_sim.Simulator(doc)
    path = tmp_path / "broken.json"
    path.write_text("[1, 2", encoding="utf-8")
    with pytest.raises(confluent_sim.SeedError):
        confluent_sim.load_seed_file(str(path))


def test_cli_prints_url_serves_and_exits_on_sigterm(tmp_path):
    url_file = tmp_path / "url.txt"
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "confluent_sim.py"), "--port", "0", "--seed", str(HERE / "seeds" / "demo.json"),
         "--delete-delay", "0.1", "--rate-limit", "5", "--rate-window", "2", "--url-file", str(url_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", line), line
        assert wait_for(url_file.exists) and url_file.read_text().strip() == line
        seed = json.loads((HERE / "seeds" / "demo.json").read_text(encoding="utf-8"))
        cred = seed["credentials"][0]
        resp = requests.get(line + "/org/v2/environments", auth=(cred["api_key"], cred["api_secret"]), timeout=5)
        assert resp.status_code == 200 and resp.headers["X-RateLimit-Limit"] == "5"
        config = requests.get(line + "/_sim/config", timeout=5).json()
        assert config["delete_delay"] == 0.1 and config["rate_limit"] == {"limit": 5, "window": 2.0}
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
        assert proc.returncode == 0
        assert out == "" and err == ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_cli_rejects_bad_seed(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"environments": [{"id": 5}]}), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(HERE / "confluent_sim.py"), "--seed", str(path)], check=False,
                          capture_output=True, text=True, timeout=20)
    assert proc.returncode == 2 and proc.stdout == "" and "environment" in proc.stderr


def test_tls(tmp_path):
    openssl = shutil.which("openssl")
    if not openssl:
        pytest.fail("the TLS test needs the openssl command to make a test certificate: install openssl "
                    "(Debian: apt-get install openssl)", pytrace=False)
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        capture_output=True, timeout=60, check=False)
    if made.returncode != 0:
        pytest.fail("openssl could not make a certificate: %s" % made.stderr.decode(errors="replace")[:200],
                    pytrace=False)
    with confluent_sim.start_simulator(base_seed(), tls_cert=str(cert), tls_key=str(key)) as simulator:
        assert simulator.url.startswith("https://127.0.0.1:")
        with requests.Session() as session:
            session.auth = AUTH
            for dummy in range(2):
                resp = session.get(simulator.url + "/org/v2/environments/" + ENV, verify=str(cert), timeout=5)
                assert resp.status_code == 200
                assert resp.json()["metadata"]["self"].startswith("https://")
        # A client that never finishes the handshake does not block other clients.
        idle = socket.create_connection(("127.0.0.1", simulator.port), timeout=5)
        try:
            resp = requests.get(simulator.url + "/_sim/health", verify=str(cert), timeout=5)
            assert resp.json() == {"ok": True}
        finally:
            idle.close()

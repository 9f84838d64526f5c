# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS: certificate checks against a loopback HTTPS simulator, and the refusal of plain http to other hosts."""

from __future__ import annotations

import os
import socket
import warnings

import pytest
import trustme
import urllib3

import rel_harness as h
import rel_inprocess as inproc

ENV = "env-tls"
CLUSTER = "lkc-tls"
PATH = "/connect/v1/environments/%s/clusters/%s/connectors/%%s" % (ENV, CLUSTER)

# case: (description, endpoint host, validate_certs, environment, check mode, outcome, texts in msg or warning)
CASES = {
    "verify-unknown-ca": ("validate_certs: true, certificate from an unknown CA", "localhost", True, {}, False,
                          "failed", ["certificate", "REQUESTS_CA_BUNDLE"]),
    "verify-unknown-ca-check": ("check mode, validate_certs: true, unknown CA", "localhost", True, {}, True,
                                "failed", ["certificate"]),
    "no-verify": ("validate_certs: false", "localhost", False, {}, False, "changed", ["validate_certs is false"]),
    "requests-ca-bundle": ("REQUESTS_CA_BUNDLE names the CA", "localhost", True, {"REQUESTS_CA_BUNDLE": "CA"}, False,
                           "changed", []),
    "ssl-cert-file": ("SSL_CERT_FILE names the CA", "localhost", True, {"SSL_CERT_FILE": "CA"}, False, "changed", []),
    "ssl-cert-file-check": ("check mode, SSL_CERT_FILE names the CA", "localhost", True, {"SSL_CERT_FILE": "CA"},
                            True, "changed", []),
    "wrong-host": ("CA known, certificate for localhost, endpoint 127.0.0.1", "127.0.0.1", True,
                   {"REQUESTS_CA_BUNDLE": "CA"}, False, "failed", ["certificate"]),
}
REMOTE_HOSTS = ["api.confluent.cloud", "10.1.2.3", "203.0.113.10", "localhost.example.com", "[2001:db8::1]",
                "0.0.0.0"]


@pytest.fixture(scope="module")
def tls(collection):  # pylint: disable=unused-argument
    work = os.path.join(h.BUILD, "tls")
    os.makedirs(work, exist_ok=True)
    authority = trustme.CA()
    cert = authority.issue_cert("localhost")
    paths = {name: os.path.join(work, name + ".pem") for name in ("ca", "cert", "key")}
    authority.cert_pem.write_to_path(paths["ca"])
    cert.cert_chain_pems[0].write_to_path(paths["cert"])
    cert.private_key_pem.write_to_path(paths["key"])
    seed = {"credentials": h.CREDENTIALS, "environments": [{"id": ENV, "clusters": [
        {"id": CLUSTER, "connectors": [{"name": case} for case in CASES]}]}]}
    # ca_file=False: the control API is called at 127.0.0.1, which the certificate (localhost only) does not name.
    sim = h.Simulator(seed, os.path.join(work, "sim"), tls_cert=paths["cert"], tls_key=paths["key"], ca_file=False)
    warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
    try:
        hosts = {}
        for case, (dummy, host, verify, environment, check, dummy2, dummy3) in CASES.items():
            env = {name: paths["ca"] if value == "CA" else value for name, value in environment.items()}
            hosts[case] = {"rel_endpoint": "https://%s:%d" % (host, sim.port), "rel_verify": verify,
                           "rel_env": env, "rel_check": check}
        plays = [{"name": "TLS", "hosts": "all", "gather_facts": False, "tasks": [{
            "name": "delete over https", "kafkaops.confluent_cloud.confluent_connector": {
                "name": "{{ inventory_hostname }}", "environment_id": ENV, "kafka_cluster_id": CLUSTER,
                "state": "absent", "api_key": h.API_KEY, "api_secret": h.API_SECRET,
                "api_endpoint": "{{ rel_endpoint }}", "validate_certs": "{{ rel_verify }}"},
            "environment": "{{ rel_env }}", "check_mode": "{{ rel_check }}", "ignore_errors": True}]}]
        run = h.run_playbook("tls", plays, h.local_inventory(hosts), forks=len(hosts))
        log, state = sim.log(), sim.state()
    finally:
        sim.stop()
    return {"run": run, "log": log, "state": state}


@pytest.mark.parametrize("case", list(CASES))
def test_tls(case, tls, report, nodeid):
    title, dummy, dummy2, dummy3, check, expected, texts = CASES[case]
    records = [r for r in tls["run"].for_host(case) if r["action"].endswith("confluent_connector")]
    assert len(records) == 1
    record = records[0]
    result = record["result"]
    requests = [e for e in tls["log"] if e["path"] == PATH % case]
    present = (ENV, CLUSTER, case) in h.connectors_in(tls["state"])
    said = result.get("msg", "") + " " + " ".join(str(w) for w in result.get("warnings") or [])
    report.add("tls", nodeid, [title, expected, "%s: %s" % (record["status"], result.get("msg", "")[:160] or "-"),
                               len(requests), ", ".join(texts) or "-"],
               requests=len(requests), tracebacks=1 if h.traceback_signs(result) else 0, module_runs=1,
               clean_failure=expected == "failed")
    assert not h.traceback_signs(result), result
    assert record["status"] == expected, result
    for text in texts:
        assert text in said, (text, said)
    if expected == "failed":
        assert requests == [] and present, "a request got through a failed TLS handshake"
        assert result.get("retries") == 0, "a certificate error must not be retried"
    else:
        assert len(requests) == 1 and present == check
        if "validate_certs is false" not in texts:
            assert "validate_certs" not in said


@pytest.fixture(scope="module")
def plain_http_sim(collection):  # pylint: disable=unused-argument
    seed = {"credentials": h.CREDENTIALS, "environments": [{"id": ENV, "clusters": [
        {"id": CLUSTER, "connectors": [{"name": "plain"}]}]}]}
    sim = h.Simulator(seed, os.path.join(h.BUILD, "sim-plain"))
    yield sim
    sim.stop()


def test_plain_http_to_unspecified_address_refused(plain_http_sim, report, nodeid):
    """http://0.0.0.0:PORT would reach the loopback simulator if the module let it through."""
    plays = [{"name": "plain http", "hosts": "localhost", "gather_facts": False, "tasks": [{
        "name": "delete over plain http", "kafkaops.confluent_cloud.confluent_connector": {
            "name": "plain", "environment_id": ENV, "kafka_cluster_id": CLUSTER, "state": "absent",
            "api_key": h.API_KEY, "api_secret": h.API_SECRET,
            "api_endpoint": "http://0.0.0.0:%d" % plain_http_sim.port}, "ignore_errors": True}]}]
    plain_http_sim.clear_log()
    run = h.run_playbook("plain-http", plays, h.local_inventory({"localhost": {}}), forks=1)
    records = run.module_records()
    log = plain_http_sim.log()
    msg = records[0]["result"].get("msg", "") if records else ""
    report.add("tls", nodeid, ["plain http://0.0.0.0:PORT (reaches the loopback simulator if let through)",
                               "failed", "%s: %s" % (records[0]["status"] if records else "-", msg[:160]), len(log),
                               "Refusing plain http://"], requests=len(log), module_runs=1, clean_failure=True)
    assert len(records) == 1 and records[0]["status"] == "failed"
    assert "Refusing plain http://" in msg
    assert log == []


class NoNetwork:
    """Stands in for name resolution and connect(): records the attempt and fails, so nothing leaves the machine."""

    def __init__(self, monkeypatch):
        self.attempts = []
        monkeypatch.setattr(socket, "getaddrinfo", self.refuse("getaddrinfo"))
        monkeypatch.setattr(socket, "create_connection", self.refuse("create_connection"))
        monkeypatch.setattr(socket.socket, "connect", self.refuse("connect"))
        monkeypatch.setattr(socket.socket, "connect_ex", self.refuse("connect_ex"))

    def refuse(self, name):
        def attempt(*args, **kwargs):
            self.attempts.append((name, args[:2], kwargs))
            raise OSError("network disabled by the reliability suite")
        return attempt


@pytest.mark.parametrize("host", REMOTE_HOSTS)
def test_plain_http_to_remote_host_refused_before_any_connection(host, monkeypatch, report, nodeid, collection):
    module = inproc.load_module("confluent_connector")
    network = NoNetwork(monkeypatch)
    with inproc.without_credential_variables():
        result = inproc.run_main(module, {"name": "plain", "environment_id": ENV, "kafka_cluster_id": CLUSTER,
                                          "state": "absent", "api_key": h.API_KEY, "api_secret": h.API_SECRET,
                                          "api_endpoint": "http://%s/" % host, "api_retries": 0})
    got = "%s, %d connection attempts: %s" % ("failed" if result.get("failed") else "ok", len(network.attempts),
                                              result.get("msg", "")[:120])
    report.add("tls", nodeid, ["plain http://%s (in-process, network stubbed)" % host, "failed before any connection",
                               got, 0, "Refusing plain http://"], module_runs=1, clean_failure=True,
               tracebacks=1 if result.get("uncaught") else 0)
    assert not result.get("uncaught"), result["uncaught"]
    assert result.get("failed") and "Refusing plain http://" in result["msg"], result
    assert network.attempts == []

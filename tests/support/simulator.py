# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tests/simulator/confluent_sim.py in a process of its own, driven through its /_sim/ control API (standard library
only, so that any Python of the repository can use it)."""

from __future__ import annotations

import json
import os
import select
import ssl
import subprocess
import sys
import urllib.error
import urllib.request

from . import ROOT

SCRIPT = os.path.join(ROOT, "tests", "simulator", "confluent_sim.py")


class SimulatorError(Exception):
    """The simulator did not start, or its control API did not answer as asked."""


class SimulatorProcess:
    """Start confluent_sim.py on a free loopback port; ``url`` is its base URL, ``stop()`` (or leaving a ``with``
    block) ends it.

    seed: a path, or a document that is written to WORK_DIR/seed.json; delete_delay, idle_exit, tls_cert and tls_key
    become the command-line options of the same names; ca_file is what the control calls trust over https (None: the
    system's authorities, False: anything). The simulator's stderr goes to WORK_DIR/simulator.stderr when work_dir is
    given.
    """

    def __init__(self, seed=None, work_dir=None, python=sys.executable, delete_delay=None, idle_exit=None,
                 tls_cert=None, tls_key=None, ca_file=None, start_timeout=20):
        if work_dir:
            os.makedirs(work_dir, exist_ok=True)
        if isinstance(seed, dict):
            if not work_dir:
                raise SimulatorError("a seed document needs a work_dir to be written to")
            path = os.path.join(work_dir, "seed.json")
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(seed, handle, indent=1)
            seed = path
        self.command = [python, SCRIPT, "--port", "0"]
        for option, value in (("--seed", seed), ("--delete-delay", delete_delay), ("--idle-exit", idle_exit),
                              ("--tls-cert", tls_cert), ("--tls-key", tls_key)):
            if value is not None:
                self.command += [option, str(value)]
        self.stderr_path = os.path.join(work_dir, "simulator.stderr") if work_dir else None
        stderr = open(self.stderr_path, "w", encoding="utf-8") if self.stderr_path else None  # pylint: disable=consider-using-with
        try:
            self.process = subprocess.Popen(self.command, cwd=ROOT, stdout=subprocess.PIPE, stderr=stderr,  # pylint: disable=consider-using-with
                                            text=True)
        finally:
            if stderr:
                stderr.close()
        ready = select.select([self.process.stdout], [], [], start_timeout)[0]
        self.url = self.process.stdout.readline().strip() if ready else ""
        if not self.url.startswith("http"):
            self.stop()
            raise SimulatorError("the simulator did not start: %s%s" % (
                " ".join(self.command), "; see " + self.stderr_path if self.stderr_path else ""))
        self.port = int(self.url.rsplit(":", 1)[1])
        self._context = None
        if self.url.startswith("https"):
            self._context = ssl.create_default_context(cafile=ca_file or None)
            if ca_file is False:
                self._context.check_hostname = False
                self._context.verify_mode = ssl.CERT_NONE
        # Never through a proxy: the simulator is on loopback.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                                   urllib.request.HTTPSHandler(context=self._context))

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def call(self, method, path, body=None, timeout=60):
        """A control request (path starts with /_sim/); the answer's JSON, or SimulatorError unless HTTP 200."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with self._opener.open(request, timeout=timeout) as response:
                text = response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            raise SimulatorError("simulator %s %s: HTTP %d %s" % (method, path, exc.code, exc.read()[:500])) from exc
        except (OSError, ValueError) as exc:
            raise SimulatorError("the simulator did not answer %s %s: %s" % (method, path, exc)) from exc
        return json.loads(text) if text else None

    def state(self):
        return self.call("GET", "/_sim/state")

    def log(self):
        return self.call("GET", "/_sim/log")

    def clear_log(self):
        self.call("DELETE", "/_sim/log")

    def clock(self):
        return self.call("GET", "/_sim/clock")

    def seed(self, document):
        """Replace the whole state (and log, faults, clock) with a seed document; the new state."""
        return self.call("POST", "/_sim/seed", document)

    def configure(self, **config):
        return self.call("POST", "/_sim/config", config)

    def add_faults(self, faults):
        return self.call("POST", "/_sim/faults", faults) if faults else []

    def clear_faults(self):
        self.call("DELETE", "/_sim/faults")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()

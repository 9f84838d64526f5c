# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Set-up of the benchmark: its virtual environment (.venv/bench), the collection built and installed, the simulator
in a process of its own, and a description of the machine for the report."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
import urllib.request

from bench_common import ROOT, say

SIMULATOR = os.path.join(ROOT, "tests", "simulator", "confluent_sim.py")


class SetupError(Exception):
    """A step before the measurements failed (virtual environment, build, install, simulator)."""


def quiet(cmd, what, cwd=ROOT, env=None):
    result = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            check=False)
    if result.returncode != 0:
        sys.stdout.write(result.stdout)
        raise SetupError("%s failed (exit %d)" % (what, result.returncode))
    return result.stdout


def ansible_core_spec():
    """The newest ansible-core whose controller runs on this Python."""
    if sys.version_info < (3, 11):
        return "ansible-core>=2.16,<2.18"
    if sys.version_info < (3, 12):
        return "ansible-core>=2.19,<2.20"
    return "ansible-core>=2.19"


def ensure_venv(venv):
    python = os.path.join(venv, "bin", "python")
    stamp = os.path.join(venv, ".bench-installed")
    wanted = "%s requests>=2.25 matplotlib python %s" % (ansible_core_spec(), platform.python_version())
    if os.path.isfile(stamp) and os.access(python, os.X_OK):
        with open(stamp, encoding="utf-8") as handle:
            if handle.read().strip() == wanted:
                return python
    say("==> creating %s (%s)" % (os.path.relpath(venv, ROOT), wanted))
    shutil.rmtree(venv, ignore_errors=True)
    quiet([sys.executable, "-m", "venv", venv], "creating the virtual environment")
    quiet([python, "-m", "pip", "install", "--disable-pip-version-check", "-q", ansible_core_spec(), "requests>=2.25",
           "matplotlib"], "pip install")
    with open(stamp, "w", encoding="utf-8") as handle:
        handle.write(wanted + "\n")
    return python


def in_venv(venv):
    return os.path.realpath(sys.prefix) == os.path.realpath(venv)


def build_and_install(venv, source, work):
    """Build the collection from ``source``, install the tarball into work/collections; return the tarball name."""
    galaxy = os.path.join(venv, "bin", "ansible-galaxy")
    dist = os.path.join(work, "dist")
    collections_dir = os.path.join(work, "collections")
    shutil.rmtree(dist, ignore_errors=True)
    shutil.rmtree(collections_dir, ignore_errors=True)
    quiet([galaxy, "collection", "build", "--force", "--output-path", dist], "ansible-galaxy collection build", cwd=source)
    tarballs = sorted(name for name in os.listdir(dist) if name.endswith(".tar.gz"))
    if len(tarballs) != 1:
        raise SetupError("expected one tarball in %s, found %s" % (dist, tarballs))
    quiet([galaxy, "collection", "install", "--force", "-p", collections_dir, os.path.join(dist, tarballs[0])],
          "ansible-galaxy collection install", cwd=work)
    return tarballs[0]


class Simulator:
    """tests/simulator/confluent_sim.py in its own process, driven through its control API."""

    def __init__(self, python, work):
        self.url_file = os.path.join(work, "simulator.url")
        if os.path.exists(self.url_file):
            os.unlink(self.url_file)
        self.stderr = open(os.path.join(work, "simulator.log"), "w", encoding="utf-8")  # pylint: disable=consider-using-with
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            [python, SIMULATOR, "--port", "0", "--url-file", self.url_file, "--idle-exit", "1800"],
            stdout=subprocess.DEVNULL, stderr=self.stderr)
        deadline = time.monotonic() + 30
        while not os.path.exists(self.url_file):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SetupError("the simulator did not start; see %s" % self.stderr.name)
            time.sleep(0.05)
        with open(self.url_file, encoding="utf-8") as handle:
            self.url = handle.read().strip()

    def call(self, path, method="GET", body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode("utf-8"))

    def seed(self, document):
        self.call("/_sim/seed", "POST", document)

    def log(self):
        return self.call("/_sim/log")

    def connectors_left(self):
        state = self.call("/_sim/state")
        return sum(len(cluster["connectors"]) for env in state["environments"] for cluster in env["clusters"])

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.stderr.close()


def machine_description(venv_python):
    info = json.loads(quiet([venv_python, "-c", (
        "import json, platform, ansible.release, requests, matplotlib; print(json.dumps({"
        "'python': platform.python_version(), 'ansible_core': ansible.release.__version__, "
        "'requests': requests.__version__, 'matplotlib': matplotlib.__version__}))")], "reading versions"))
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info.update(cores=os.cpu_count(), cpu_model=model or platform.machine(), system="%s %s" % (
        platform.system(), platform.release().split("-")[0]), machine=platform.machine())
    return info

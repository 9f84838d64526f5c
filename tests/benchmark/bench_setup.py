# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Set-up of the benchmark, on the test-support package (tests/support): its virtual environment (.venv/bench, with
the ansible-core that tests/support chooses for this Python), the collection built and installed, the simulator in a
process of its own, and a description of the machine for the report."""

from __future__ import annotations

import json
import os
import platform
import sys

from bench_common import say
from support import collection
from support.collection import SetupError
from support.simulator import SimulatorError, SimulatorProcess

REQUIREMENTS = ["matplotlib"]


def ensure_venv(venv):
    """The virtual environment's Python: ansible-core, the collection's requirements and matplotlib."""
    return collection.ensure_venv(venv, collection.requirements_txt() + REQUIREMENTS, say=say)


def in_venv(venv):
    return os.path.realpath(sys.prefix) == os.path.realpath(venv)


def build_and_install(venv, source, work):
    """Build the collection from ``source``, install the tarball into work/collections; return the tarball name."""
    tarball, dummy = collection.build_and_install(os.path.join(venv, "bin", "ansible-galaxy"), work, source=source)
    return os.path.basename(tarball)


class Simulator(SimulatorProcess):
    """The simulator, with no seed until a scenario seeds it; it ends itself after 30 minutes without a request."""

    def __init__(self, python, work):
        try:
            super().__init__(work_dir=work, python=python, idle_exit=1800)
        except SimulatorError as exc:
            raise SetupError(str(exc)) from exc

    def connectors_left(self):
        state = self.state()
        return sum(len(cluster["connectors"]) for env in state["environments"] for cluster in env["clusters"])

    def topics_left(self):
        state = self.state()
        return sum(len(cluster.get("topics") or []) for env in state["environments"] for cluster in env["clusters"])


def machine_description(venv_python):
    info = json.loads(collection.run_quiet([venv_python, "-c", (
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

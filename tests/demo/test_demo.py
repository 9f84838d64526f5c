# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""End to end: tools/demo.py (make demo) builds the collection, runs examples/teardown.yml three times and says OK.

The demo needs a virtual environment with ansible-core and requests. The first of these is used:
DEMO_VENV, .venv/demo (made by make demo), .venv/core-* (made by make test), the one holding ansible-playbook on PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMO = os.path.join(ROOT, "tools", "demo.py")


def candidate_venvs():
    if os.environ.get("DEMO_VENV"):
        yield os.environ["DEMO_VENV"]
    yield os.path.join(ROOT, ".venv", "demo")
    venvs = os.path.join(ROOT, ".venv")
    if os.path.isdir(venvs):
        cores = [name for name in os.listdir(venvs) if name.startswith("core-")]
        for name in sorted(cores, key=lambda name: [int(part) for part in name[5:].split(".") if part.isdigit()], reverse=True):
            yield os.path.join(venvs, name)
    playbook = shutil.which("ansible-playbook")
    if playbook:
        yield os.path.dirname(os.path.dirname(playbook))


def usable(venv):
    """Whether venv has ansible-playbook, ansible-galaxy and a Python that imports ansible, requests and yaml."""
    python = os.path.join(venv, "bin", "python")
    if not all(os.access(os.path.join(venv, "bin", name), os.X_OK) for name in ("python", "ansible-playbook", "ansible-galaxy")):
        return False
    result = subprocess.run([python, "-c", "import ansible, requests, yaml"], capture_output=True, check=False)
    return result.returncode == 0


@pytest.fixture(name="venv")
def fixture_venv():
    for venv in candidate_venvs():
        if usable(venv):
            return venv
    pytest.skip("no ansible-playbook with requests found: run make demo first, or set DEMO_VENV to a venv with ansible-core and requests")
    return None


def test_demo_end_to_end(venv, tmp_path):
    result = subprocess.run([sys.executable, DEMO, "--venv", venv, "--work-dir", str(tmp_path)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=180, check=False)
    lines = result.stdout.rstrip().splitlines()
    verdict = lines[-1] if lines else ""
    assert result.returncode == 0, result.stdout[-6000:]
    assert verdict.startswith("Demo OK: preview changed nothing"), verdict
    assert re.search(r"teardown deleted [1-9]\d* resources? \(", verdict), verdict
    assert verdict.endswith("re-run changed nothing")
    for run in ("Run 1 of 3", "Run 2 of 3", "Run 3 of 3"):
        assert run in result.stdout
    assert re.search(r"^  preview: +exit 0, .*\| simulator state unchanged$", result.stdout, re.MULTILINE)
    assert os.listdir(os.path.join(str(tmp_path), "collections", "ansible_collections", "kafkaops")) == ["confluent_cloud"]

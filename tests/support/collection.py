# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection under test: which ansible-core to install for a Python, a virtual environment with it, and the
collection built from a tree and installed from its tarball."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import tarfile

from . import ROOT

# The ansible-core series this collection is tested on (README.md, "Compatibility"), newest first, with the oldest
# and newest Python their controller runs on.
CORE_SERIES = (
    ("2.21", (3, 12), (3, 14)),
    ("2.20", (3, 12), (3, 14)),
    ("2.19", (3, 11), (3, 13)),
    ("2.18", (3, 11), (3, 13)),
    ("2.17", (3, 10), (3, 12)),
    ("2.16", (3, 10), (3, 12)),
)
# Paths inside the repository that must never end up in the collection tarball.
NOT_IN_TARBALL = (".venv", "build", "tests/output", ".git", ".cache")
# Files of the installed collection that must be byte for byte those of the tree it was built from.
CHECKED_DIRS = ("plugins/modules", "plugins/module_utils")


class SetupError(Exception):
    """A step before the playbooks run failed: the virtual environment, the build or the install."""


def ansible_core_spec(python=None):
    """The pip requirement for the newest tested ansible-core series whose controller runs on this Python
    (python: a (major, minor) tuple; default: the running one), e.g. "ansible-core>=2.19,<2.20" on 3.11.

    A whole series, never an open range: the demo and the benchmark run the ansible-core that make test tests on that
    Python, and a newer release that nothing tested yet is not picked up by surprise.
    """
    python = tuple(python or sys.version_info[:2])
    for series, oldest, newest in CORE_SERIES:
        if oldest <= python <= newest:
            major, minor = series.split(".")
            return "ansible-core>=%s,<%s.%d" % (series, major, int(minor) + 1)
    raise SetupError("no tested ansible-core runs its controller on Python %d.%d (see README.md, Compatibility)"
                     % python)


def run_quiet(cmd, what, cwd=ROOT, env=None, timeout=600):
    """Run cmd; its output if it succeeds, SetupError (with the output's end) if it fails."""
    result = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=timeout, check=False)
    if result.returncode != 0:
        raise SetupError("%s failed (exit %d): %s\n%s" % (what, result.returncode, " ".join(cmd), result.stdout[-4000:]))
    return result.stdout


def ensure_venv(venv, requirements=(), say=print):
    """Create venv with ansible_core_spec() and requirements unless its stamp file says it has them; return its
    Python. The stamp (VENV/.support-installed) names what was installed and with which Python."""
    python = os.path.join(venv, "bin", "python")
    stamp = os.path.join(venv, ".support-installed")
    wanted = " ".join([ansible_core_spec()] + list(requirements) + ["python", sys.version.split()[0]])
    if os.path.isfile(stamp) and os.access(python, os.X_OK):
        with open(stamp, encoding="utf-8") as handle:
            if handle.read().strip() == wanted:
                return python
    say("==> creating %s with %s (only once)" % (os.path.relpath(venv, ROOT), wanted))
    shutil.rmtree(venv, ignore_errors=True)
    run_quiet([sys.executable, "-m", "venv", venv], "creating the virtual environment")
    run_quiet([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", ansible_core_spec()]
              + list(requirements), "pip install")
    with open(stamp, "w", encoding="utf-8") as handle:
        handle.write(wanted + "\n")
    return python


def requirements_txt():
    """The collection's own requirements (requirements.txt), one per item."""
    with open(os.path.join(ROOT, "requirements.txt"), encoding="utf-8") as handle:
        return [line.strip() for line in handle if line.strip() and not line.startswith("#")]


def build_and_install(galaxy, work, source=ROOT, env=None):
    """Build the collection in source with the ansible-galaxy given, install the tarball into WORK/collections (after
    emptying it) and check both: nothing of NOT_IN_TARBALL in the tarball, CHECKED_DIRS installed as they are in
    source. Returns (tarball path, number of files in it)."""
    dist = os.path.join(work, "dist")
    collections_dir = os.path.join(work, "collections")
    shutil.rmtree(dist, ignore_errors=True)
    shutil.rmtree(collections_dir, ignore_errors=True)
    run_quiet([galaxy, "collection", "build", "--force", "--output-path", dist], "ansible-galaxy collection build",
              cwd=source, env=env)
    tarballs = sorted(name for name in os.listdir(dist) if name.endswith(".tar.gz"))
    if len(tarballs) != 1:
        raise SetupError("expected one tarball in %s, found %s" % (dist, tarballs or "none"))
    tarball = os.path.join(dist, tarballs[0])
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    leaked = sorted({name for name in names for prefix in NOT_IN_TARBALL
                     if name == prefix or name.startswith(prefix + "/")})
    if leaked:
        raise SetupError("the tarball holds files that galaxy.yml build_ignore should leave out: %s"
                         % ", ".join(leaked[:10]))
    run_quiet([galaxy, "collection", "install", "--force", "-p", collections_dir, tarball],
              "ansible-galaxy collection install", cwd=work, env=env)
    installed = os.path.join(collections_dir, "ansible_collections", "kafkaops", "confluent_cloud")
    for sub in CHECKED_DIRS:
        files = sorted(name for name in os.listdir(os.path.join(source, sub)) if name.endswith(".py"))
        match, mismatch, errors = filecmp.cmpfiles(os.path.join(source, sub), os.path.join(installed, sub), files,
                                                   shallow=False)
        if mismatch or errors or len(match) != len(files):
            raise SetupError("the installed collection differs from %s in %s: %s" % (source, sub, mismatch + errors))
    return tarball, len(names)

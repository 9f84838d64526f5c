# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the reliability suite, and the hook that writes its figures (--reliability-report) at the end of the
session: build/reliability/reliability.md for make reliability, the committed docs/reliability.md only for
make reliability-report."""

from __future__ import annotations

import os
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import rel_harness as h  # noqa: E402  pylint: disable=wrong-import-position
from rel_report import Report  # noqa: E402  pylint: disable=wrong-import-position

try:
    from hypothesis import configuration as hypothesis_configuration
except ImportError:  # pragma: no cover
    hypothesis_configuration = None
else:
    hypothesis_configuration.set_hypothesis_home_dir(os.path.join(h.BUILD, "hypothesis"))

REPORT = Report()
STARTED = time.time()


def pytest_addoption(parser):
    parser.addoption("--reliability-report", default=None, metavar="PATH",
                     help="write the figures of this run, as Markdown, to PATH (make reliability: "
                          "build/reliability/reliability.md; make reliability-report: docs/reliability.md)")


@pytest.fixture(scope="session")
def report():
    return REPORT


@pytest.fixture(scope="session")
def collection():
    """The collection, built from the working tree and installed into build/reliability/collections."""
    os.makedirs(h.BUILD, exist_ok=True)
    tarball = h.build_and_install()
    import ansible.release  # pylint: disable=import-outside-toplevel

    REPORT.meta.update(collection=tarball[:-len(".tar.gz")].split("-")[-1], ansible_core=ansible.release.__version__)
    return h.COLLECTIONS


@pytest.fixture
def nodeid(request):
    return request.node.nodeid


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call" or rep.outcome != "passed":
        if hasattr(rep, "wasxfail"):
            state = "xfailed" if rep.skipped else "xpassed"
        elif rep.when != "call" and rep.failed:
            state = "error"
        else:
            state = rep.outcome
        if rep.when != "teardown" or state != "passed":
            REPORT.set_outcome(item.nodeid, state)


def pytest_terminal_summary(terminalreporter):
    if not REPORT.rows:
        return
    fig = REPORT.figures()
    worst = fig["worst"]
    terminalreporter.write_sep("=", "reliability figures")
    terminalreporter.write_line(
        "scenarios %d (pass %d, xfail %d, failed %d), faults survived %d, clean failures %d, requests %d, "
        "worst wait overshoot %s, early retries %d, tracebacks %d, secrets found %d" % (
            fig["scenarios"], fig["passed"], fig["xfailed"], fig["failed"], fig["survived"], fig["clean_failures"],
            fig["requests"], "%+.2f s" % worst["overshoot"] if worst else "n/a", fig["early"], fig["tracebacks"],
            fig["secrets"]))
    terminalreporter.write_line("in the xfail rows of known bugs: %d tracebacks, %d secrets found" % (
        fig["tracebacks_known"], fig["secrets_known"]))
    for bug in REPORT.bugs():
        terminalreporter.write_line("known bug (xfail): " + bug)


def pytest_sessionfinish(session, exitstatus):
    path = session.config.getoption("--reliability-report")
    if not path or not REPORT.rows or exitstatus == pytest.ExitCode.INTERRUPTED:
        return
    committed = os.path.abspath(path) == os.path.join(h.ROOT, "docs", "reliability.md")
    text = REPORT.render(time.time() - STARTED, "make reliability-report" if committed else "make reliability")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)

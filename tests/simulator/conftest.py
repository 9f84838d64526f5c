"""Fixtures of the simulator tests, and the rule that a skipped test counts as a failure here."""

from __future__ import annotations

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import confluent_sim  # noqa: E402  pylint: disable=wrong-import-position
from simtest import AUTH, SpecValidator, base_seed, requests  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="module")
def sim():
    simulator = confluent_sim.start_simulator(base_seed())
    yield simulator
    simulator.stop()


@pytest.fixture
def sim_seed():
    """The seed every test starts from; a test module may override this fixture."""
    return base_seed()


@pytest.fixture(autouse=True)
def _fresh(request):
    if "sim" in request.fixturenames:
        request.getfixturevalue("sim").load_seed(request.getfixturevalue("sim_seed"))
    yield


@pytest.fixture(scope="module")
def spec(sim):
    return SpecValidator(sim.url)


@pytest.fixture
def api(sim):
    session = requests.Session()
    session.auth = AUTH
    yield session
    session.close()


# Every test here can run wherever the test requirements are installed, so a skip only ever means
# that something is missing or broken: report it as a failure, with the reason, instead of letting
# it pass unnoticed in the summary line.

SKIP_IS_FAILURE = "skipped, and a skip counts as a failure in tests/simulator: %s"


def _skip_reason(longrepr):
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = SKIP_IS_FAILURE % _skip_reason(report.longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if report.skipped:
        report.outcome = "failed"
        report.longrepr = SKIP_IS_FAILURE % _skip_reason(report.longrepr)


def pytest_terminal_summary(terminalreporter):
    totals = SpecValidator.totals
    if totals["responses"] or totals["schemas"]:
        terminalreporter.write_line(
            "OpenAPI checks: %(responses)d responses validated against Confluent's documents "
            "(%(openapi_core)d of them also by openapi-core), %(schemas)d schema validations" % totals)

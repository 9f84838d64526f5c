# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the contract test: Prism behind the recording router, and the collection under test.

Environment (tests/utils/ansible_test.sh CORE contract sets them; the defaults suit a run from the repository root):
  CONTRACT_COLLECTIONS_PATH  directory holding ansible_collections/kafkaops/confluent_cloud (default: build)
  CONTRACT_WORK_DIR          playbooks, Prism logs and temporary files (default: build/contract)
  CONTRACT_OPENAPI_DIR       Confluent's OpenAPI documents (default: ../shared/confluent-openapi)
  CONTRACT_PRISM             the prism executable (default: .venv/prism/node_modules/.bin/prism)
ansible-playbook is taken from the virtual environment of the Python that runs pytest.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import contract_harness as harness  # noqa: E402  pylint: disable=wrong-import-position

COLLECTION = ("kafkaops", "confluent_cloud")


def _raise_on_sigterm(signum, _frame):
    # pytest ignores SIGTERM by default, which would skip the fixtures' teardown and leave Prism running
    # (Prism would still die with this process, see contract_harness._die_with_parent).
    raise KeyboardInterrupt("signal %d" % signum)


signal.signal(signal.SIGTERM, _raise_on_sigterm)


@pytest.fixture(scope="session")
def work_dir():
    path = os.environ.get("CONTRACT_WORK_DIR") or os.path.join(harness.ROOT, "build", "contract")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


@pytest.fixture(scope="session")
def collections_path():
    """The directory that holds ansible_collections/kafkaops/confluent_cloud (the copy ansible_test.sh makes)."""
    path = os.path.abspath(os.environ.get("CONTRACT_COLLECTIONS_PATH") or os.path.join(harness.ROOT, "build"))
    if not os.path.isdir(os.path.join(path, "ansible_collections", *COLLECTION, "plugins")):
        pytest.fail("no collection in %s: run tests/utils/ansible_test.sh CORE contract (or make contract), "
                    "or set CONTRACT_COLLECTIONS_PATH" % os.path.join(path, "ansible_collections", *COLLECTION))
    return path


@pytest.fixture(scope="session")
def contract_api(work_dir):
    """Prism for each document behind the recording router, for the whole session; stopped even on failure."""
    try:
        api = harness.start_contract_api(os.path.join(work_dir, "prism"))
    except harness.HarnessError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield api
    finally:
        api.stop()
        with open(os.path.join(work_dir, "record.txt"), "w", encoding="utf-8") as handle:
            handle.writelines("%s  [%s]\n" % (exchange.describe(), exchange.identity) for exchange in api.exchanges)


@pytest.fixture(scope="session")
def client_library(collections_path):
    """The collection's own HTTP client and credential helpers, imported from the collection under test."""
    if collections_path not in sys.path:
        sys.path.insert(0, collections_path)
    # pylint: disable=import-outside-toplevel
    from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils import _base, _client, _errors

    return _client, _base, _errors

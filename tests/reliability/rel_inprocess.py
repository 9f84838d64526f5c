# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs a module's main() in this process (as tests/unit/plugins/modules/module_runner.py does), but against a real
simulator over HTTP, for examples too many to run through ansible-playbook one by one."""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import sys
import traceback

import rel_harness as h

CREDENTIAL_VARIABLES = ("CONFLUENT_CLOUD_API_KEY", "CONFLUENT_CLOUD_API_SECRET", "CONFLUENT_CLOUD_ACCESS_TOKEN",
                        "CONFLUENT_CLOUD_API_ENDPOINT")


def load_module(name):
    """A module of the collection installed by the suite (not of the working tree, and not of any other copy)."""
    if h.COLLECTIONS not in sys.path:
        sys.path.insert(0, h.COLLECTIONS)
    module = importlib.import_module("ansible_collections.kafkaops.confluent_cloud.plugins.modules." + name)
    if not os.path.abspath(module.__file__).startswith(h.INSTALLED):
        raise h.HarnessError("%s was imported from %s, not from the installed collection" % (name, module.__file__))
    return module


@contextlib.contextmanager
def module_args(args):
    try:
        from ansible.module_utils.testing import patch_module_args  # pylint: disable=import-outside-toplevel
    except ImportError:  # pragma: no cover - ansible-core < 2.19
        from ansible.module_utils import basic  # pylint: disable=import-outside-toplevel

        @contextlib.contextmanager
        def patch_module_args(values):
            original = basic._ANSIBLE_ARGS  # pylint: disable=protected-access
            basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": values}).encode("utf-8")  # pylint: disable=protected-access
            try:
                yield
            finally:
                basic._ANSIBLE_ARGS = original  # pylint: disable=protected-access
    with patch_module_args(args):
        yield


@contextlib.contextmanager
def without_credential_variables():
    saved = {name: os.environ.pop(name) for name in CREDENTIAL_VARIABLES if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


def run_main(module, args, check_mode=False):
    """The module's JSON result; an exception other than the module's own exit is returned as 'uncaught'."""
    args = dict(args, _ansible_check_mode=check_mode)
    stdout = io.StringIO()
    try:
        with module_args(args), contextlib.redirect_stdout(stdout):
            module.main()
    except SystemExit:
        pass
    except Exception:  # pylint: disable=broad-except
        return {"failed": True, "uncaught": traceback.format_exc(), "msg": "uncaught exception",
                "stdout": stdout.getvalue()}
    text = stdout.getvalue().strip()
    try:
        return json.loads(text.splitlines()[-1]) if text else {"failed": True, "msg": "no output", "uncaught": ""}
    except ValueError:
        return {"failed": True, "msg": "output is not JSON", "uncaught": text[-2000:]}

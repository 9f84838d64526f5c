"""Offline replacement for the get-pip.py script that ansible-test downloads.

ansible-test bootstraps pip into each virtual environment it creates by running
``~/.ansible/test/cache/get_pip_<version>.py`` with arguments such as
``--disable-pip-version-check pip==25.2 --no-setuptools --no-wheel``.
The real script comes from a host outside the package registries, so the test
harness stores this file under that name instead, next to a ``wheels``
directory holding the wheels the arguments ask for.  pip is run straight from
its wheel (the target environment has no pip yet) and installs everything from
that directory without contacting an index.
"""
from __future__ import annotations

import glob
import os
import sys

WHEEL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'wheels')
IGNORED_OPTIONS = ('--no-setuptools', '--no-wheel')


def find_pip_wheel(args: list[str]) -> str:
    """Return the path of the pip wheel matching the requested pip version."""
    versions = [arg.split('==', 1)[1] for arg in args if arg.startswith('pip==')]
    pattern = 'pip-%s-*.whl' % (versions[0] if versions else '*')
    wheels = sorted(glob.glob(os.path.join(WHEEL_DIR, pattern)))

    if not wheels:
        sys.exit('get-pip (offline): no wheel matching %s in %s' % (pattern, WHEEL_DIR))

    return wheels[-1]


def main() -> None:
    """Install pip and the requested packages from the local wheel directory."""
    args = [arg for arg in sys.argv[1:] if arg not in IGNORED_OPTIONS]

    sys.path.insert(0, find_pip_wheel(args))

    from pip._internal.cli.main import main as pip_main  # pylint: disable=import-outside-toplevel

    sys.exit(pip_main(['install', '--upgrade', '--force-reinstall', '--no-index', '--find-links', WHEEL_DIR] + args))


if __name__ == '__main__':
    main()

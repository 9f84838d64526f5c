"""Local simulator of the Confluent Cloud REST API (org/v2 environments, cmk/v2 Kafka clusters,
connect/v1 connectors, iam/v2 service accounts and API keys).

Standard library only. Shapes follow the OpenAPI documents of Confluent Cloud
(org/v2, cmk/v2, connect/v1, iam/v2 and apikeys/v2). See README.md in this folder
for the seed format, the command line and the ``/_sim/`` control API.

This file is the command line and the module that tests and tools import; the simulator itself is the package
``ccloud_sim`` next to it.
"""

from __future__ import annotations

import os
import sys

# The package next to this file; run as a script under python -I, this folder is not on sys.path by itself.
_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

# pylint: disable=wrong-import-position
from ccloud_sim import (  # noqa: E402
    SeedError, Simulator, credential_exports, is_loopback, load_seed_file, main, rehearse_text, start_simulator)
from ccloud_sim.cli import parse_args as _parse_args  # noqa: E402,F401  pylint: disable=unused-import

__all__ = ["Simulator", "SeedError", "start_simulator", "load_seed_file", "main", "credential_exports",
           "rehearse_text", "is_loopback"]

if __name__ == "__main__":
    sys.exit(main())

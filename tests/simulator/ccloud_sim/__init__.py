"""The Confluent Cloud API simulator as a package (standard library only).

``tests/simulator/confluent_sim.py`` is its command line and the module that tests and tools import; see
``tests/simulator/README.md`` for the layout.
"""

from __future__ import annotations

from .cli import credential_exports, is_loopback, main, rehearse_text, start_simulator
from .common import SeedError
from .seed import load_seed_file
from .simulator import Simulator

__all__ = ["Simulator", "SeedError", "start_simulator", "load_seed_file", "main", "credential_exports",
           "rehearse_text", "is_loopback"]

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the repository's tools and tests share: a simulator process, the collection built and installed, playbook
runs with their task results, and the evidence checker. See README.md beside this file.

Import it with the repository's tests/ directory on sys.path: ``from support import evidence``.
"""

from __future__ import annotations

import os

# The root of the tree this package is in: the repository, or the collection's copy that ansible-test runs in.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

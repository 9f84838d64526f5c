# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest


@pytest.fixture
def through_action_plugin():
    return True

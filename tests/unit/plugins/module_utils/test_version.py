# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import os

import yaml

from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._version import (
    COLLECTION_NAME,
    COLLECTION_VERSION,
)

GALAXY_YML = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "galaxy.yml")


def test_version_matches_galaxy_yml():
    with open(GALAXY_YML) as handle:
        galaxy = yaml.safe_load(handle)
    assert COLLECTION_VERSION == galaxy["version"]
    assert COLLECTION_NAME == "%s.%s" % (galaxy["namespace"], galaxy["name"])

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection's version, kept equal to galaxy.yml (a unit test checks it)."""

from __future__ import annotations

COLLECTION_NAME = "kafkaops.confluent_cloud"
COLLECTION_VERSION = "0.2.0"

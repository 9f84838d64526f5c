# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.kafkaops.confluent_cloud.plugins.modules.confluent_flink_compute_pool import main
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.api_bodies import compute_pool
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.modules.in_environment_cases import absent_cases

globals().update(absent_cases(main, "/fcpm/v2/compute-pools", "lfcp-", "flink_compute_pool", compute_pool,
                              "Flink compute pool"))

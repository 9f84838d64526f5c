# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.kafkaops.confluent_cloud.plugins.modules.confluent_ksqldb_cluster import main
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.api_bodies import ksqldb_cluster
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.modules.in_environment_cases import absent_cases, token_refused_cases

globals().update(absent_cases(main, "/ksqldbcm/v2/clusters", "lksqlc-", "ksqldb_cluster", ksqldb_cluster, "ksqlDB cluster"))
globals().update(token_refused_cases(main, "ksqldb_cluster", True))

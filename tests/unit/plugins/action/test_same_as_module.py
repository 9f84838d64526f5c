# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every module test again, through the module's action plugin: a local task must behave exactly like the module."""

from __future__ import annotations

from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.modules import (
    test_confluent_api_key,
    test_confluent_connector,
    test_confluent_connector_info,
    test_confluent_environment,
    test_confluent_environment_info,
    test_confluent_kafka_cluster,
    test_confluent_kafka_cluster_info,
    test_confluent_service_account,
    test_confluent_service_account_info,
    test_failure_results,
)

for _tests in (test_confluent_api_key, test_confluent_connector, test_confluent_connector_info,
               test_confluent_environment, test_confluent_environment_info, test_confluent_kafka_cluster,
               test_confluent_kafka_cluster_info, test_confluent_service_account, test_confluent_service_account_info,
               test_failure_results):
    _prefix = _tests.__name__.rsplit(".", 1)[1]
    for _name, _test in list(vars(_tests).items()):
        if _name.startswith("test_") and callable(_test):
            globals()["%s__%s" % (_prefix, _name[len("test_"):])] = _test

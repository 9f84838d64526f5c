# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Refusals of bad input name what the user set and what would be accepted, and never quote a secret."""

from __future__ import annotations

import pytest

from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._client import validate_id_prefix
from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._endpoint import validate_endpoint
from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._errors import ApiError


@pytest.mark.parametrize("value", ["env-a1b2c3", "env-1", "env-with/slash"])
def test_an_id_with_its_prefix_passes(value):
    assert validate_id_prefix("environment_id", value, "env-") is None


@pytest.mark.parametrize("value", ["c10500", "env-", "env1", "ENV-1", " env-1", "lkc-1", "en"])
def test_an_id_without_its_prefix_is_refused_naming_option_prefix_and_value(value):
    assert validate_id_prefix("environment_id", value, "env-") == (
        "environment_id must be an ID starting with env-, got %r" % value)


def test_an_endpoint_names_the_setting_it_came_from():
    with pytest.raises(ValueError) as refused:
        validate_endpoint("127.0.0.1:8080", "CONFLUENT_CLOUD_API_ENDPOINT")
    assert str(refused.value) == (
        "CONFLUENT_CLOUD_API_ENDPOINT must be an absolute https:// URL such as https://api.confluent.cloud (http:// is "
        "accepted for a loopback address only, such as http://127.0.0.1:8080), got '127.0.0.1:8080'")


def test_plain_http_to_a_remote_host_names_the_setting_and_the_loopback_exception():
    with pytest.raises(ValueError) as refused:
        validate_endpoint("http://10.0.0.1", "CONFLUENT_CLOUD_API_ENDPOINT")
    assert str(refused.value).startswith("Refusing plain http:// to 10.0.0.1, the host of CONFLUENT_CLOUD_API_ENDPOINT:")
    assert "http:// only to a loopback address" in str(refused.value)


@pytest.mark.parametrize("url", ["https://ci:s3cr3t-pw@api.confluent.cloud", "https://api.confluent.cloud/?token=s3cr3t-pw",
                                 "ftp://ci:s3cr3t-pw@api.confluent.cloud", "ci:s3cr3t-pw@api.confluent.cloud"])
def test_an_endpoint_refusal_never_quotes_a_password(url):
    with pytest.raises(ValueError) as refused:
        validate_endpoint(url)
    assert "s3cr3t-pw" not in str(refused.value)
    assert str(refused.value).startswith("api_endpoint must")


def test_hints_add_up_after_the_api_message_and_request_id():
    error = ApiError("GET", "/iam/v2/api-keys/KEY1", 401, "Unauthorized",
                     '{"errors": [{"status": "401", "title": "Authentication Required"}]}', "rid-1")
    error.add_hint("Cannot tell who owns KEY1")
    error.add_hint("Check the credentials")
    assert str(error) == ("GET /iam/v2/api-keys/KEY1 failed with HTTP 401 Unauthorized: Authentication Required "
                          "(X-Request-Id: rid-1). Cannot tell who owns KEY1. Check the credentials")

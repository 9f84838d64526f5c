# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json

from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._errors import (
    ApiError,
    RetriesExhausted,
    RetryAfterTooLong,
    TransportError,
    parse_error_body,
)

ORG_409 = {"errors": [{"id": "e1", "status": "409", "code": "resource_conflict", "title": "Conflict",
                       "detail": "environment env-1 still has clusters"}]}
CONNECT_401 = {"error": {"code": 401, "message": "Unauthorized"}}
FLAT_404 = {"error_code": 404, "message": "Connector orders-sink not found"}


def test_org_errors_shape():
    body, message = parse_error_body(json.dumps(ORG_409))
    assert body == ORG_409
    assert message == "Conflict: environment env-1 still has clusters"


def test_org_errors_shape_joins_several_errors():
    two = {"errors": [{"title": "A", "detail": "first"}, {"title": "B"}]}
    assert parse_error_body(json.dumps(two))[1] == "A: first; B"


def test_connect_error_shape():
    assert parse_error_body(json.dumps(CONNECT_401)) == (CONNECT_401, "Unauthorized")


def test_flat_error_code_shape():
    assert parse_error_body(json.dumps(FLAT_404)) == (FLAT_404, "Connector orders-sink not found")


def test_connect_success_body_has_no_message():
    body, message = parse_error_body('{"error": null}')
    assert body == {"error": None}
    assert message == '{"error": null}'


def test_html_body_gives_a_short_excerpt():
    html = "<html><head><title>502 Bad Gateway</title></head><body>" + "x" * 500 + "</body></html>"
    body, message = parse_error_body(html)
    assert body is None
    assert message.startswith("response body is not JSON: <html><head><title>502 Bad Gateway")
    assert len(message) < 260


def test_truncated_json_is_treated_as_text():
    body, message = parse_error_body('{"errors": [{"title": "Conf')
    assert body is None
    assert "not JSON" in message


def test_empty_body():
    assert parse_error_body("") == (None, "")
    assert parse_error_body(None) == (None, "")


def test_api_error_message_names_everything_a_user_needs():
    exc = ApiError("DELETE", "/org/v2/environments/env-1", 409, "Conflict", json.dumps(ORG_409), "rid-77")
    text = str(exc)
    for part in ("DELETE", "/org/v2/environments/env-1", "HTTP 409", "environment env-1 still has clusters", "rid-77"):
        assert part in text
    assert exc.to_result() == {"status": 409, "request_id": "rid-77", "error": ORG_409}


def test_api_error_without_request_id_says_so():
    assert "X-Request-Id: none" in str(ApiError("GET", "/x", 500, "", "", None))


def test_retries_exhausted_names_count_and_last_status():
    text = str(RetriesExhausted("GET", "/x", 503, "Service Unavailable", "", "rid", retries=5))
    assert text.startswith("Gave up after 5 retries")
    assert "HTTP 503" in text


def test_retry_after_too_long_names_requested_seconds():
    text = str(RetryAfterTooLong("DELETE", "/x", 429, "Too Many Requests", "", "rid", 120.0, 60))
    assert "120 seconds" in text
    assert "api_retry_max_delay (60)" in text


def test_transport_error_message():
    assert str(TransportError("GET", "/x", "connection refused", retries=2)) == (
        "Gave up after 2 retries: GET /x failed: connection refused")

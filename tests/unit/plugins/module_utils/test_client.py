# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64

import pytest
import requests

from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._client import (
    ConfluentCloudClient,
    basic_authorization,
    build_path,
    encode_segment,
    validate_path_value,
)
from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._endpoint import validate_endpoint
from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._errors import (
    ApiError,
    ProtocolError,
    RateLimitTimeout,
    RetriesExhausted,
    RetryAfterTooLong,
    TransportError,
)
from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._rate_limit import SharedRateLimit
from ansible_collections.kafkaops.confluent_cloud.plugins.module_utils._retry import RetryPolicy
from ansible_collections.kafkaops.confluent_cloud.tests.unit.plugins.fake_api import (
    FakeTime,
    ScriptedSession,
    connection_dropped,
    connection_refused,
    read_timeout,
    response,
)

ENDPOINT = "https://api.example.test"
PATH = "/connect/v1/environments/env-1/clusters/lkc-1/connectors/c1"


def make_client(script, retries=5, max_delay=60, rand=0.0, clock=None, rate_limit_timeout=300):
    clock = clock or FakeTime()
    client = ConfluentCloudClient(ENDPOINT, "Basic abc", "ua", retries=retries, retry_max_delay=max_delay,
                                  policy=RetryPolicy(max_delay, rand=lambda: rand, now=clock.time), sleep=clock.sleep,
                                  rate_limit_timeout=rate_limit_timeout)
    client.session = ScriptedSession(script)
    return client


def test_success_is_one_request():
    sleep = FakeTime()
    client = make_client(clock=sleep, script=[("DELETE", PATH, response(200, {"error": None}))])
    assert client.delete(PATH).status == 200
    assert len(client.session.requests) == 1
    assert client.retries_made == 0 and sleep.waits == []


def test_request_uses_timeout_verify_and_no_redirects():
    client = make_client([("GET", PATH, response(200, {}))])
    client.get(PATH)
    sent = client.session.requests[0]
    assert sent["timeout"] == 30 and sent["verify"] is True and sent["allow_redirects"] is False


def test_retry_after_is_honoured_with_jitter():
    sleep = FakeTime()
    client = make_client(clock=sleep, script=[
        ("DELETE", PATH, response(429, headers={"Retry-After": "7", "X-RateLimit-Reset": "30"})),
        ("DELETE", PATH, response(200, {"error": None})),
    ], rand=0.5)
    assert client.delete(PATH).status == 200
    assert sleep.waits == [pytest.approx(7 + 0.5 * 7 * 0.25)]
    assert client.retries_made == 1 and client.retry_reasons == ["HTTP 429"]
    assert client.seconds_waited == pytest.approx(sleep.waits[0])


# Retry-After on a 5xx: the server's wait, plus at most the documented jitter (a quarter of it, at least 0.1 s and
# at most 5 s; docs/docsite/rst/rate_limits.rst), counted as a retry of api_retries, not as a rate-limit wait.

@pytest.mark.parametrize("status", [500, 502, 503, 504])
@pytest.mark.parametrize("rand, expected", [(0.0, 7.0), (0.5, 7.875), (0.999999, 8.75)])
def test_retry_after_is_honoured_on_5xx_plus_at_most_the_jitter(status, rand, expected):
    clock = FakeTime()
    client = make_client(clock=clock, rand=rand, script=[
        ("DELETE", PATH, response(status, headers={"Retry-After": "7"})),
        ("DELETE", PATH, response(204)),
    ])
    assert client.delete(PATH).status == 204
    assert clock.waits == [pytest.approx(expected, abs=1e-5)]
    assert 7.0 <= clock.waits[0] <= 7.0 + 1.75
    assert client.retries_made == 1 and client.retry_reasons == ["HTTP %d" % status]
    assert client.seconds_waited == pytest.approx(expected, abs=1e-5)
    assert client.rate_limit_spent == 0.0 and client.throttled == 0


@pytest.mark.parametrize("rand, expected", [(0.0, 7.0), (0.999999, 8.75)])
def test_retry_after_as_an_http_date_is_honoured_on_503(rand, expected):
    clock = FakeTime()
    clock.now = 1_700_000_000.0  # 2023-11-14T22:13:20Z
    client = make_client(clock=clock, rand=rand, script=[
        ("GET", PATH, response(503, headers={"Retry-After": "Tue, 14 Nov 2023 22:13:27 GMT"})),
        ("GET", PATH, response(200, {})),
    ])
    assert client.get(PATH).status == 200
    assert clock.waits == [pytest.approx(expected, abs=1e-5)]


def test_a_small_retry_after_on_503_gets_the_smallest_jitter():
    clock = FakeTime()
    client = make_client(clock=clock, rand=0.999999, script=[
        ("GET", PATH, response(503, headers={"Retry-After": "0"})), ("GET", PATH, response(200, {}))])
    client.get(PATH)
    assert clock.waits == [pytest.approx(0.1, abs=1e-5)]


def test_a_large_retry_after_on_503_gets_at_most_five_seconds_of_jitter():
    clock = FakeTime()
    client = make_client(clock=clock, rand=0.999999, max_delay=120, script=[
        ("GET", PATH, response(503, headers={"Retry-After": "40"})), ("GET", PATH, response(200, {}))])
    client.get(PATH)
    assert clock.waits == [pytest.approx(45.0, abs=1e-4)]


def test_a_retry_after_on_503_beyond_the_max_delay_fails_at_once():
    clock = FakeTime()
    client = make_client(clock=clock, max_delay=60,
                         script=[("DELETE", PATH, response(503, headers={"Retry-After": "61"}))])
    with pytest.raises(RetryAfterTooLong) as info:
        client.delete(PATH)
    assert info.value.requested == 61.0 and info.value.status == 503
    assert clock.waits == [] and len(client.session.requests) == 1


def test_a_503_without_retry_after_backs_off_and_ignores_rate_limit_reset():
    clock = FakeTime()
    client = make_client(clock=clock, rand=0.5, script=[
        ("GET", PATH, response(503, headers={"X-RateLimit-Reset": "30"})), ("GET", PATH, response(200, {}))])
    client.get(PATH)
    assert clock.waits == [0.5]  # half of the first backoff ceiling of 1 s, not 30 s


def test_rate_limit_reset_is_used_when_retry_after_is_missing():
    sleep = FakeTime()
    client = make_client(clock=sleep, script=[
        ("DELETE", PATH, response(429, headers={"X-RateLimit-Reset": "3"})),
        ("DELETE", PATH, response(200, {"error": None})),
    ])
    client.delete(PATH)
    assert sleep.waits == [3.0]


def test_no_headers_falls_back_to_exponential_backoff():
    sleep = FakeTime()
    client = make_client(clock=sleep, script=[("GET", PATH, response(429))] * 3 + [("GET", PATH, response(200, {}))],
                         rand=0.999999)
    client.get(PATH)
    assert sleep.waits == [pytest.approx(1.0, rel=1e-5), pytest.approx(2.0, rel=1e-5), pytest.approx(4.0, rel=1e-5)]


def test_server_wait_longer_than_max_fails_at_once():
    sleep = FakeTime()
    client = make_client(clock=sleep, script=[("DELETE", PATH, response(429, headers={"Retry-After": "120"}))], max_delay=60)
    with pytest.raises(RetryAfterTooLong) as info:
        client.delete(PATH)
    assert info.value.requested == 120.0
    assert sleep.waits == [] and len(client.session.requests) == 1


def test_429s_are_waited_out_without_using_up_the_retries():
    clock = FakeTime()
    client = make_client(clock=clock, retries=1, script=[
        ("DELETE", PATH, response(429, headers={"Retry-After": "1"})) for dummy in range(4)] + [
        ("DELETE", PATH, response(200, {"error": None}))])
    assert client.delete(PATH).status == 200
    assert client.retries_made == 4 and client.retry_reasons == ["HTTP 429"] * 4 and client.throttled == 4
    assert clock.waits == [1.0] * 4
    assert client.seconds_waited == 4.0 and client.rate_limit_spent == 4.0


def test_429s_in_between_do_not_make_5xx_retries_last_longer():
    client = make_client(retries=1, script=[
        ("GET", PATH, response(503)), ("GET", PATH, response(429, headers={"Retry-After": "1"})),
        ("GET", PATH, response(503))])
    with pytest.raises(RetriesExhausted) as info:
        client.get(PATH)
    assert info.value.status == 503 and info.value.retries == 1
    assert client.retries_made == 2 and client.retry_reasons == ["HTTP 503", "HTTP 429"]


def test_the_rate_limit_timeout_ends_the_waits_with_how_long_and_how_many():
    clock = FakeTime()
    limited = response(429, {"error": {"code": 429, "message": "Too Many Requests"}},
                       headers={"Retry-After": "2", "X-Request-Id": "rid-429"})
    client = make_client(clock=clock, rate_limit_timeout=5, script=[("DELETE", PATH, limited)] * 3)
    with pytest.raises(RateLimitTimeout) as info:
        client.delete(PATH)
    # 2 s, 2 s, then the API asks for 2 s more with 1 s left: it fails without sleeping them.
    assert clock.waits == [2.0, 2.0]
    assert str(info.value) == (
        "Gave up on the rate limit: the API asked to wait 2 seconds more, beyond api_rate_limit_timeout (5 s) "
        "after waiting 4.0 s on the rate limit and 3 answers of HTTP 429. DELETE %s failed with HTTP 429 Too Many "
        "Requests: Too Many Requests (X-Request-Id: rid-429)" % PATH)
    assert info.value.to_result()["status"] == 429 and info.value.to_result()["request_id"] == "rid-429"
    assert client.retries_made == 2 and client.seconds_waited == 4.0


def test_the_rate_limit_timeout_spent_to_the_last_second_says_so():
    clock = FakeTime()
    client = make_client(clock=clock, rate_limit_timeout=3, rand=1.0, script=[("GET", PATH, response(429))] * 3)
    with pytest.raises(RateLimitTimeout) as info:
        client.get(PATH)
    # No server wait: backoff of up to 1, then 2 s, which spends the 3 s; the third 429 ends it.
    assert clock.waits == [1.0, 2.0]
    assert str(info.value).startswith("Gave up on the rate limit after waiting 3.0 s on the rate limit and 3 answers "
                                      "of HTTP 429, the whole api_rate_limit_timeout (3 s). GET %s failed with HTTP "
                                      "429" % PATH)


def test_a_rate_limit_timeout_of_zero_fails_at_the_first_429():
    clock = FakeTime()
    client = make_client(clock=clock, rate_limit_timeout=0,
                         script=[("DELETE", PATH, response(429, headers={"Retry-After": "1"}))])
    with pytest.raises(RateLimitTimeout, match="after waiting 0.0 s on the rate limit and 1 answer of HTTP 429"):
        client.delete(PATH)
    assert clock.waits == []


@pytest.mark.parametrize("headers", [
    {"Retry-After": "-5"},
    {"Retry-After": "soon"},
    {"Retry-After": "nan"},
    {"Retry-After": ""},
    {"X-RateLimit-Reset": "-1"},
    {"X-RateLimit-Reset": "1e400"},
    {"Retry-After": "Thu, 01 Jan 1970 00:00:00 GMT"},  # in the past (FakeTime starts at 1000)
    {"Retry-After": "0"},
])
def test_bad_or_no_server_waits_never_make_the_waits_exceed_the_budget(headers):
    clock = FakeTime()
    client = make_client(clock=clock, rate_limit_timeout=20, rand=0.999999,
                         script=[("DELETE", PATH, response(429, headers=headers))] * 60)
    with pytest.raises(RateLimitTimeout):
        client.delete(PATH)
    assert sum(clock.waits) <= 20.0 + 1e-9
    assert all(wait >= 0 for wait in clock.waits)


@pytest.mark.parametrize("headers", [{"Retry-After": "1e300"}, {"X-RateLimit-Reset": "99999999"}])
def test_a_huge_server_wait_fails_at_once_without_sleeping(headers):
    clock = FakeTime()
    client = make_client(clock=clock, script=[("DELETE", PATH, response(429, headers=headers))])
    with pytest.raises(RetryAfterTooLong):
        client.delete(PATH)
    assert clock.waits == []


def test_a_server_wait_beyond_what_is_left_of_the_budget_is_not_slept():
    clock = FakeTime()
    client = make_client(clock=clock, max_delay=3600, rate_limit_timeout=300,
                         script=[("DELETE", PATH, response(429, headers={"Retry-After": "1800"}))])
    with pytest.raises(RateLimitTimeout, match="asked to wait 1800 seconds more, beyond api_rate_limit_timeout"):
        client.delete(PATH)
    assert clock.waits == []


def test_retries_are_counted_and_exhausted():
    sleep = FakeTime()
    client = make_client(clock=sleep, script=[("GET", PATH, response(503))] * 3, retries=2)
    with pytest.raises(RetriesExhausted) as info:
        client.get(PATH)
    assert info.value.retries == 2 and info.value.status == 503
    assert len(client.session.requests) == 3 and len(sleep.waits) == 2


def test_zero_retries_means_one_attempt():
    sleep = FakeTime()
    client = make_client(clock=sleep, script=[("GET", PATH, response(502))], retries=0)
    with pytest.raises(RetriesExhausted):
        client.get(PATH)
    assert sleep.waits == []


def test_zero_retries_still_waits_out_a_429():
    client = make_client(retries=0, script=[("GET", PATH, response(429, headers={"Retry-After": "1"})),
                                            ("GET", PATH, response(200, {}))])
    assert client.get(PATH).status == 200


@pytest.mark.parametrize("status", [301, 307, 400, 401, 403, 405, 409, 422])
def test_client_errors_and_redirects_fail_without_retry(status):
    sleep = FakeTime()
    failure = response(status, {"errors": [{"title": "Nope"}]}, headers={"X-Request-Id": "rid-9"})
    client = make_client(clock=sleep, script=[("DELETE", PATH, failure)])
    with pytest.raises(ApiError) as info:
        client.delete(PATH)
    assert info.value.status == status and info.value.request_id == "rid-9" and "Nope" in str(info.value)
    assert sleep.waits == [] and len(client.session.requests) == 1


def test_404_is_returned_not_raised():
    client = make_client([("GET", PATH, response(404, {"error": {"code": 404, "message": "not found"}}))])
    assert client.get(PATH).status == 404


@pytest.mark.parametrize("failure", [connection_refused(), connection_dropped(), read_timeout()])
def test_transport_errors_are_retried(failure):
    sleep = FakeTime()
    client = make_client(clock=sleep, script=[("GET", PATH, failure), ("GET", PATH, response(200, {}))])
    assert client.get(PATH).status == 200
    assert client.retries_made == 1


def test_transport_errors_exhausted_raise_a_clean_error():
    client = make_client([("GET", PATH, connection_refused())] * 2, retries=1)
    with pytest.raises(TransportError) as info:
        client.get(PATH)
    assert "Gave up after 1 retries" in str(info.value) and "could not connect" in str(info.value)


@pytest.mark.parametrize("first, may_have_applied", [
    (read_timeout(), True),
    (connection_dropped(), True),
    (response(500), True),
    (response(503), True),
    (connection_refused(), False),
    (response(429, headers={"Retry-After": "0"}), False),
])
def test_unknown_outcome_rule_for_delete(first, may_have_applied):
    client = make_client([("DELETE", PATH, first), ("DELETE", PATH, response(404, {"error": {"code": 404}}))])
    answer = client.delete(PATH)
    assert answer.status == 404
    assert answer.earlier_attempt_may_have_applied is may_have_applied


@pytest.mark.parametrize("garbled", [
    requests.exceptions.ChunkedEncodingError("Connection broken: IncompleteRead(15 bytes read, 385 more expected)"),
    requests.exceptions.ContentDecodingError("Received response with content-encoding: gzip, but failed to decode it."),
])
def test_garbled_answers_are_retried_as_unknown_outcomes(garbled):
    client = make_client([("DELETE", PATH, garbled), ("DELETE", PATH, response(404))])
    answer = client.delete(PATH)
    assert answer.status == 404 and answer.earlier_attempt_may_have_applied is True
    assert client.retries_made == 1


def test_garbled_answers_exhausted_raise_a_clean_error():
    client = make_client([("GET", PATH, requests.exceptions.ContentDecodingError("bad gzip"))], retries=0)
    with pytest.raises(TransportError, match="could not be decoded"):
        client.get(PATH)


def test_other_request_errors_fail_at_once_without_traceback():
    client = make_client([("GET", PATH, requests.exceptions.InvalidHeader("Invalid leading whitespace"))])
    with pytest.raises(TransportError, match="could not be made"):
        client.get(PATH)
    assert client.retries_made == 0


def test_unknown_outcome_never_applies_to_get():
    client = make_client([("GET", PATH, read_timeout()), ("GET", PATH, response(404))])
    assert client.get(PATH).earlier_attempt_may_have_applied is False


@pytest.mark.parametrize("text", ["<html>login</html>", "[1, 2]", ""])
def test_json_of_a_success_that_is_not_a_json_object_is_a_protocol_error(text):
    client = make_client([("GET", PATH, response(200, text=text, headers={"X-Request-Id": "rid-7"}))])
    with pytest.raises(ProtocolError) as info:
        client.get(PATH).json()
    message = str(info.value)
    assert message.startswith("GET %s: the API answered HTTP 200 with a body that is not a JSON object: " % PATH)
    assert (text or "(empty body)") in message and "X-Request-Id: rid-7" in message
    assert "failed with" not in message
    assert info.value.to_result() == {"status": 200, "request_id": "rid-7", "error": None}


def test_list_all_follows_next_until_empty():
    page = "https://api.confluent.cloud/org/v2/environments?page_size=100&page_token="
    client = make_client([
        ("GET", "/org/v2/environments", response(200, {"data": [{"id": "a"}], "metadata": {"next": page + "t1"}})),
        ("GET", "/org/v2/environments", response(200, {"data": [{"id": "b"}], "metadata": {"next": page + "t2"}})),
        ("GET", "/org/v2/environments", response(200, {"data": [{"id": "c"}], "metadata": {"next": ""}})),
    ])
    assert [env["id"] for env in client.list_all("/org/v2/environments")] == ["a", "b", "c"]
    tokens = [r["params"].get("page_token") for r in client.session.requests]
    assert tokens == [None, "t1", "t2"]
    assert all(r["params"]["page_size"] == 100 for r in client.session.requests)
    assert all(r["url"] == ENDPOINT + "/org/v2/environments" for r in client.session.requests)


def test_list_all_stops_a_pagination_loop():
    page = {"data": [], "metadata": {"next": "https://x/org/v2/environments?page_token=same"}}
    client = make_client([("GET", "/org/v2/environments", response(200, page))] * 2)
    with pytest.raises(ProtocolError) as info:
        client.list_all("/org/v2/environments")
    assert str(info.value).startswith("GET /org/v2/environments: the API's pagination loops, page_token same repeats")


def test_list_all_of_a_list_that_answers_404_is_none():
    client = make_client([("GET", "/cmk/v2/clusters", response(404, {"errors": []}))])
    assert client.list_all("/cmk/v2/clusters", params={"environment": "env-1"}) is None
    assert client.session.requests[0]["params"] == {"environment": "env-1", "page_size": 100}


@pytest.mark.parametrize("value, encoded", [
    ("plain-name", "plain-name"),
    ("a/b", "a%2Fb"),
    ("50%", "50%25"),
    ("what?#x", "what%3F%23x"),
    ("with space", "with%20space"),
    ("../etc", "..%2Fetc"),
    ("ünï", "%C3%BCn%C3%AF"),
])
def test_path_values_are_one_segment(value, encoded):
    assert encode_segment(value) == encoded
    assert build_path("/x/{name}/y", name=value) == "/x/%s/y" % encoded


@pytest.mark.parametrize("value", ["", "   ", "\t", "a\nb", "nul\x00", "del\x7f", "c1\x85", ".", "..", "x" * 1025])
def test_bad_path_values_are_refused(value):
    assert validate_path_value("name", value)


@pytest.mark.parametrize("value", ["env-1", "a/b", "..x", "with space", "ünï", "%", "?", "ü" * 1024])
def test_good_path_values_pass(value):
    assert validate_path_value("name", value) is None


@pytest.mark.parametrize("url, expected", [
    ("https://api.confluent.cloud/", "https://api.confluent.cloud"),
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    ("http://127.9.9.9:1/base/", "http://127.9.9.9:1/base"),
    ("http://localhost:5000", "http://localhost:5000"),
    ("http://[::1]:5000", "http://[::1]:5000"),
])
def test_endpoints_accepted(url, expected):
    assert validate_endpoint(url) == expected


@pytest.mark.parametrize("url, fragment", [
    ("http://api.confluent.cloud", "Refusing plain http://"),
    ("http://10.0.0.1:8080", "Refusing plain http://"),
    ("http://localhost.example.com", "Refusing plain http://"),
    ("ftp://api.confluent.cloud", "absolute https://"),
    ("api.confluent.cloud", "absolute https://"),
    ("https://user:pw@api.confluent.cloud", "must not carry credentials"),
])
def test_endpoints_refused(url, fragment):
    with pytest.raises(ValueError, match=fragment.replace("?", r"\?")):
        validate_endpoint(url)


def test_basic_authorization():
    header = basic_authorization("KEY", "s3cr:et")
    assert base64.b64decode(header.split(" ", 1)[1]).decode() == "KEY:s3cr:et"


def test_the_shared_rate_limit_budget_is_taken_before_and_learnt_after_every_attempt(tmp_path):
    clock = FakeTime()
    exhausted = {"X-RateLimit-Limit": "2", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "0.7"}
    client = make_client(clock=clock, script=[
        ("DELETE", PATH, response(200, {}, headers=exhausted)),
        ("DELETE", PATH, response(429, {}, headers={"Retry-After": "2"})),
        ("DELETE", PATH, response(404, {})),
    ])
    client.rate_limit = SharedRateLimit(ENDPOINT, "Basic abc", directory=str(tmp_path), now=clock.time,
                                        sleep=clock.sleep)
    client.delete(PATH)
    assert client.delete(PATH).status == 404
    # 0.7 s for the spent budget; then 2 s (Retry-After, no jitter here) after the 429, after which the retry
    # is the first of the new window and goes at once.
    assert clock.waits == [pytest.approx(0.7), pytest.approx(2.0)]
    assert client.seconds_paced == pytest.approx(0.7) and client.seconds_waited == pytest.approx(2.0)


def test_an_attempt_without_an_answer_hands_on_the_first_turn_of_a_window(tmp_path):
    clock = FakeTime()
    rate_limit = SharedRateLimit(ENDPOINT, "Basic abc", directory=str(tmp_path), now=clock.time, sleep=clock.sleep)
    rate_limit.record(200, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "0"})
    client = make_client(clock=clock, retries=1, script=[("DELETE", PATH, connection_refused()),
                                                         ("DELETE", PATH, response(404, {}))])
    client.rate_limit = rate_limit
    assert client.delete(PATH).status == 404
    assert client.seconds_paced == 0.0


def test_the_budget_wait_counts_against_the_rate_limit_timeout_and_is_cut_by_it(tmp_path):
    clock = FakeTime()
    rate_limit = SharedRateLimit(ENDPOINT, "Basic abc", directory=str(tmp_path), now=clock.time, sleep=clock.sleep)
    rate_limit.record(200, {"X-RateLimit-Limit": "2", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "30"})
    client = make_client(clock=clock, rate_limit_timeout=10, script=[("DELETE", PATH, response(200, {}))])
    client.rate_limit = rate_limit
    assert client.delete(PATH).status == 200
    # 30 s of budget would exceed the 10 s the task may wait: the request went at once.
    assert clock.waits == [] and client.seconds_paced == 0.0


def test_retry_wait_and_rate_limit_wait_add_up_to_every_second_slept(tmp_path):
    clock = FakeTime()
    rate_limit = SharedRateLimit(ENDPOINT, "Basic abc", directory=str(tmp_path), now=clock.time, sleep=clock.sleep,
                                 rand=lambda: 0.5)
    budget = {"X-RateLimit-Limit": "2", "X-RateLimit-Remaining": "1", "X-RateLimit-Reset": "1"}
    spent = {"X-RateLimit-Limit": "2", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1", "Retry-After": "1"}
    client = make_client(clock=clock, rand=0.5, script=[
        ("DELETE", PATH, response(200, {}, headers=budget)),
        ("DELETE", PATH, response(429, {}, headers=spent)),
        ("DELETE", PATH, response(429, {}, headers=spent)),
        ("DELETE", PATH, response(200, {}, headers=budget)),
        ("DELETE", PATH, response(200, {}, headers=budget)),
    ])
    client.rate_limit = rate_limit
    for dummy in range(3):
        client.delete(PATH)
    assert client.retries_made == 2 and client.throttled == 2
    assert client.seconds_waited == pytest.approx(2 * (1 + 0.5 * 0.25))
    assert client.seconds_paced > 0  # paced after the 429s
    assert client.seconds_waited + client.seconds_paced == pytest.approx(sum(clock.waits))
    assert client.rate_limit_spent == pytest.approx(sum(clock.waits))

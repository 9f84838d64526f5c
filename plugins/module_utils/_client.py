# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one HTTP client every module uses to talk to the Confluent Cloud REST API."""

from __future__ import annotations

import base64
import json
import os
import socket
import threading
import time
import traceback
import unicodedata
from urllib.parse import parse_qs, quote, urlsplit

from ._errors import (
    ApiError,
    ProtocolError,
    RateLimitTimeout,
    RetriesExhausted,
    RetryAfterTooLong,
    TransportError,
    excerpt,
)
from ._retry import RETRYABLE_STATUSES, RetryPolicy

try:
    import requests
    from urllib3.exceptions import NewConnectionError
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

# Seconds a task may spend in all waiting on answers of 429 and on the shared rate-limit budget.
DEFAULT_RATE_LIMIT_TIMEOUT = 300
# The shortest wait after the first 429 of a request, doubling with each further one up to MAX_429_FLOOR.
MIN_429_WAIT = 0.25
MAX_429_FLOOR = 1.0
LIST_PAGE_SIZE = 100
# Confluent's IDs are at most 255 characters; names get room to spare while the request line stays sane.
MAX_PATH_VALUE_LENGTH = 1024


class ApiResponse:
    """An HTTP answer the caller accepts: a 2xx, or 404."""

    def __init__(self, method, path, response, earlier_attempt_may_have_applied=False):
        self.method = method
        self.path = path
        self.status = response.status_code
        self.reason = response.reason
        self.headers = response.headers
        self.text = response.text
        self.request_id = response.headers.get("X-Request-Id")
        # A DELETE whose earlier attempt got no answer or a 5xx may already have been carried out.
        self.earlier_attempt_may_have_applied = earlier_attempt_may_have_applied

    def json(self):
        """The body as a JSON object; a 2xx that is not JSON is an API failure, not a traceback."""
        try:
            body = json.loads(self.text)
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise ProtocolError(self.method, self.path, "the API answered HTTP %d with a body that is not a JSON object: %s"
                                % (self.status, excerpt(self.text or "(empty body)")), self.status, self.request_id)
        return body


class ConfluentCloudClient:
    """Sends idempotent GET/DELETE requests, retrying 429, 5xx, timeouts and connection errors.

    A 429 says that nothing was done and when to come back, so waiting on it is always safe: 429s are waited out
    within ``rate_limit_timeout`` seconds per task (with the waits for the shared budget), while ``retries`` counts
    the 5xx answers, timeouts and dropped connections of each request. ``sleep`` and ``policy`` are injectable so
    tests run without real waiting.
    """

    def __init__(self, endpoint, authorization, user_agent, timeout=30, retries=5, retry_max_delay=60,
                 validate_certs=True, policy=None, sleep=None, rate_limit=None,
                 rate_limit_timeout=DEFAULT_RATE_LIMIT_TIMEOUT):
        self.endpoint = endpoint
        self.timeout = timeout
        self.max_retries = retries
        self.rate_limit_timeout = float(rate_limit_timeout)
        self.verify = _verify_setting(validate_certs)
        self.policy = policy or RetryPolicy(retry_max_delay)
        self._sleep = sleep or time.sleep
        self.rate_limit = rate_limit
        # "Basic" for a Cloud API key, "Bearer" for an access token: some APIs take only the former.
        self.authorization_scheme = authorization.split(" ", 1)[0]
        self.session = requests.Session()
        self.session.headers.update({
            "Authorization": authorization,
            "User-Agent": user_agent,
            "Accept": "application/json",
        })
        # What the task's result reports: every retry (429s too) and the seconds slept before them ...
        self.retries_made = 0
        self.seconds_waited = 0.0
        # ... the seconds waited before sending, for the shared budget or this controller's pace ...
        self.seconds_paced = 0.0
        self.retry_reasons = []
        # ... and, against rate_limit_timeout, every wait caused by the rate limit, and the answers of 429.
        self.rate_limit_spent = 0.0
        self.throttled = 0

    def get(self, path, params=None):
        return self.request("GET", path, params=params)

    def delete(self, path, params=None):
        return self.request("DELETE", path, params=params)

    def request(self, method, path, params=None):
        """Return the final ApiResponse for a 2xx or 404; raise ConfluentCloudError otherwise.

        Redirects are not followed: they would carry the credentials elsewhere, and Confluent's API sends none.
        """
        url = self.endpoint + path
        outcome_unknown = False
        retry = 0  # retries after a 5xx, a timeout or a broken connection, at most api_retries
        throttled = 0  # answers of 429 to this request
        while True:
            if self.rate_limit:
                paced = self.rate_limit.acquire(max_wait=min(self.policy.max_delay, self.rate_limit_left()))
                self.seconds_paced += paced
                self.rate_limit_spent += paced
            try:
                response, requested = self._send(method, url, params)
            except requests.exceptions.SSLError as exc:
                raise TransportError(method, path, _describe_tls_error(exc), retries=retry)
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                    requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
                # No usable answer: the request may or may not have been carried out, so try again.
                outcome_unknown = outcome_unknown or (method == "DELETE" and _request_was_sent(exc))
                if retry >= self.max_retries:
                    raise TransportError(method, path, _describe_transport_error(exc, self.timeout), retries=retry)
                reason = "timeout" if isinstance(exc, requests.exceptions.Timeout) else "connection error"
                wait = self.policy.backoff(retry + 1)
            except requests.exceptions.RequestException as exc:
                raise TransportError(method, path, "the request could not be made: %s" % excerpt(str(exc)), retries=retry)
            else:
                status = response.status_code
                if status == 429:
                    throttled += 1
                    self.throttled += 1
                    wait = self._wait_for_429(method, path, response, retry, requested, throttled)
                    self._record_wait("HTTP 429", wait, rate_limited=True)
                    continue
                if status not in RETRYABLE_STATUSES:
                    if status >= 300 and status != 404:
                        raise ApiError(method, path, status, response.reason, response.text,
                                       response.headers.get("X-Request-Id"), retries=retry)
                    return ApiResponse(method, path, response, outcome_unknown)
                outcome_unknown = outcome_unknown or (method == "DELETE" and status >= 500)
                reason = "HTTP %d" % status
                wait = self._wait_for(method, path, response, retry, requested)
            retry += 1
            self._record_wait(reason, wait)

    def _send(self, method, url, params):
        """One attempt: the answer and the wait the server asked for, if it is one to retry.

        What the answer says of the shared rate-limit budget is recorded before anything else.
        """
        try:
            response = self.session.request(method, url, params=params, timeout=self.timeout,
                                            verify=self.verify, allow_redirects=False, stream=True)
            _read_body_within(response, self.timeout)
        except requests.exceptions.RequestException:
            if self.rate_limit:
                self.rate_limit.no_answer()
            raise
        status = response.status_code
        requested = self.policy.server_wait(status, response.headers) if status in RETRYABLE_STATUSES else None
        if self.rate_limit:
            self.rate_limit.record(status, response.headers, requested)
        return response, requested

    def list_all(self, path, params=None):
        """Every item of a paginated list (org/v2, cmk/v2, iam/v2), following metadata.next until it is empty.

        Returns None when the list itself answers 404 (its parent does not exist).
        """
        query = dict(params or {}, page_size=LIST_PAGE_SIZE)
        seen_tokens = set()
        items = []
        while True:
            response = self.get(path, params=query)
            if response.status == 404:
                return None
            body = response.json()
            items.extend(body.get("data") or [])
            token = _page_token((body.get("metadata") or {}).get("next"))
            if not token:
                return items
            if token in seen_tokens:
                raise ProtocolError("GET", path, "the API's pagination loops, page_token %s repeats" % token,
                                    response.status, response.request_id)
            seen_tokens.add(token)
            query["page_token"] = token

    def rate_limit_left(self):
        """Seconds this task may still wait on the rate limit."""
        return max(0.0, self.rate_limit_timeout - self.rate_limit_spent)

    def _wait_for_429(self, method, path, response, retry, requested, throttled):
        """The wait before trying again after a 429: what the server asked, within api_rate_limit_timeout."""
        request_id = response.headers.get("X-Request-Id")
        if requested is not None and requested > self.policy.max_delay:
            raise RetryAfterTooLong(method, path, response.status_code, response.reason, response.text,
                                    request_id, requested, int(self.policy.max_delay), retries=retry)
        left = self.rate_limit_left()
        if left <= 0 or (requested is not None and requested > left):
            raise RateLimitTimeout(method, path, response.status_code, response.reason, response.text, request_id,
                                   waited=self.rate_limit_spent, throttled=self.throttled,
                                   timeout=self.rate_limit_timeout, requested=requested if left > 0 else None,
                                   retries=retry)
        # Without a usable wait from the server, back off as for a 5xx, by the 429s of this request; a server that
        # keeps asking for no wait is not asked again more than about once a second.
        wait = self.policy.jittered(requested) if requested is not None else self.policy.backoff(throttled)
        wait = max(wait, min(MAX_429_FLOOR, MIN_429_WAIT * 2 ** (throttled - 1)))
        return min(wait, left)

    def _wait_for(self, method, path, response, retry, requested):
        request_id = response.headers.get("X-Request-Id")
        if requested is not None and requested > self.policy.max_delay:
            raise RetryAfterTooLong(method, path, response.status_code, response.reason, response.text,
                                    request_id, requested, int(self.policy.max_delay), retries=retry)
        if retry >= self.max_retries:
            raise RetriesExhausted(method, path, response.status_code, response.reason, response.text,
                                   request_id, retries=retry)
        if requested is not None:
            return self.policy.jittered(requested)
        return self.policy.backoff(retry + 1)

    def _record_wait(self, reason, wait, rate_limited=False):
        self.retries_made += 1
        self.seconds_waited += wait
        if rate_limited:
            self.rate_limit_spent += wait
        self.retry_reasons.append(reason)
        self._sleep(wait)


def basic_authorization(api_key, api_secret):
    token = base64.b64encode(("%s:%s" % (api_key, api_secret)).encode("utf-8")).decode("ascii")
    return "Basic " + token


def bearer_authorization(access_token):
    return "Bearer " + access_token


def validate_text_value(option, value):
    """Reject values that cannot be a name or an ID: blank, with control characters, or too long."""
    if not isinstance(value, str) or not value.strip():
        return "%s must not be empty or only whitespace" % option
    if any(unicodedata.category(char) == "Cc" for char in value):
        return "%s must not contain control characters, got %r" % (option, value)
    if len(value) > MAX_PATH_VALUE_LENGTH:
        return "%s is %d characters long; at most %d are accepted" % (option, len(value), MAX_PATH_VALUE_LENGTH)
    return None


def validate_path_value(option, value):
    """Reject values that cannot travel as exactly one URL path segment."""
    problem = validate_text_value(option, value)
    if problem:
        return problem
    if value in (".", ".."):
        # HTTP clients and proxies collapse dot segments, so such a value would address another URL.
        return "%s cannot be %r" % (option, value)
    return None


def validate_id_prefix(option, value, prefix):
    """Reject an ID without the prefix Confluent gives every ID of its kind: a typo, not an absent resource."""
    if not value.startswith(prefix) or value == prefix:
        return "%s must be an ID starting with %s, got %r" % (option, prefix, value)
    return None


def encode_segment(value):
    """Percent-encode a value as ONE path segment: '/', '?', '#', '%' and spaces are all escaped."""
    return quote(value, safe="")


def build_path(template, **values):
    return template.format(**dict((key, encode_segment(value)) for key, value in values.items()))


def _page_token(next_link):
    if not next_link:
        return None
    return (parse_qs(urlsplit(next_link).query).get("page_token") or [None])[0]


def _request_was_sent(exc):
    """False only when we know the request never reached the server (it could not connect)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return False
    cause = exc.args[0] if exc.args else None
    return not isinstance(getattr(cause, "reason", cause), NewConnectionError)


def _describe_transport_error(exc, timeout):
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "could not connect within api_timeout (%s s)" % timeout
    if isinstance(exc, requests.exceptions.Timeout):
        return "no response within api_timeout (%s s)" % timeout
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return "the response could not be decoded: %s" % excerpt(str(exc))
    cause = exc.args[0] if exc.args else exc
    cause = getattr(cause, "reason", cause)
    if isinstance(cause, NewConnectionError):
        return "could not connect: %s" % excerpt(str(cause).split(": ", 1)[-1])
    return "connection lost before a complete response: %s" % excerpt(str(cause))


def _read_body_within(response, seconds):
    """Read the whole body, cutting the connection if it takes longer than ``seconds`` in all.

    The socket timeout bounds each read only: a server or proxy that trickles its answer would otherwise hold the
    task for as long as it likes.
    """
    sock = getattr(getattr(response.raw, "connection", None), "sock", None)
    expired = []

    def cut():
        expired.append(True)
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    timer = threading.Timer(seconds, cut) if sock is not None else None
    if timer:
        timer.daemon = True
        timer.start()
    try:
        response.content  # pylint: disable=pointless-statement
    except requests.exceptions.RequestException:
        if expired:
            raise requests.exceptions.ReadTimeout("the answer did not arrive whole within %s s" % seconds)
        raise
    finally:
        if timer:
            timer.cancel()
    if expired:
        raise requests.exceptions.ReadTimeout("the answer did not arrive whole within %s s" % seconds)


def _verify_setting(validate_certs):
    """requests honours REQUESTS_CA_BUNDLE by itself; SSL_CERT_FILE, the OpenSSL convention, is added here."""
    if not validate_certs:
        return False
    if not (os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")) and os.environ.get("SSL_CERT_FILE"):
        return os.environ["SSL_CERT_FILE"]
    return True


def _describe_tls_error(exc):
    return (
        "TLS handshake with the endpoint failed, most often because its certificate could not be verified (%s). "
        "Point REQUESTS_CA_BUNDLE or SSL_CERT_FILE at the CA bundle that signed it, or set validate_certs=false "
        "only for a test endpoint you trust." % excerpt(str(exc.args[0] if exc.args else exc))
    )

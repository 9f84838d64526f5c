# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Errors raised by the client, and parsing of Confluent's three error body shapes."""

from __future__ import annotations

import json

EXCERPT_LENGTH = 200


class ConfluentCloudError(Exception):
    """Base class of everything the client raises; its str() is a complete user-facing message."""

    def to_result(self):
        """Extra keys for fail_json besides msg."""
        return {}


class ApiError(ConfluentCloudError):
    """The API answered with an HTTP status the caller does not accept."""

    def __init__(self, method, path, status, reason, body_text, request_id, retries=0):
        self.method = method
        self.path = path
        self.status = status
        self.reason = reason or ""
        self.request_id = request_id
        self.retries = retries
        self.error, self.message = parse_error_body(body_text)
        self.hint = None
        super().__init__(self._format())

    def add_hint(self, hint):
        """Say what the user can do about it, after the API's own message and any hint added before."""
        self.hint = "%s. %s" % (self.hint, hint) if self.hint else hint
        self.args = (self._format(),)

    def _format(self):
        text = self._describe()
        if self.retries:
            text += " (after %d retries)" % self.retries
        if self.hint:
            text += ". " + self.hint
        return text

    def _describe(self):
        status = "HTTP %d" % self.status
        if self.reason:
            status += " " + self.reason
        text = "%s %s failed with %s" % (self.method, self.path, status)
        if self.message:
            text += ": " + self.message
        return text + " (X-Request-Id: %s)" % (self.request_id or "none")

    def to_result(self):
        return {"status": self.status, "request_id": self.request_id, "error": self.error}


class RetriesExhausted(ApiError):
    """A retryable status persisted after every allowed retry."""

    def _format(self):
        return "Gave up after %d retries: %s" % (self.retries, self._describe())


class RetryAfterTooLong(ApiError):
    """The server asked for a wait longer than api_retry_max_delay."""

    def __init__(self, method, path, status, reason, body_text, request_id, requested, max_delay, retries=0):
        self.requested = requested
        self.max_delay = max_delay
        super().__init__(method, path, status, reason, body_text, request_id, retries)

    def _format(self):
        return (
            "The API asked to wait %g seconds before retrying, more than api_retry_max_delay (%d); "
            "not waiting. %s" % (self.requested, self.max_delay, self._describe())
        )


class RateLimitTimeout(ApiError):
    """The task spent api_rate_limit_timeout waiting on 429s and on the rate-limit budget, or the server asked for a
    wait beyond what was left of it."""

    def __init__(self, method, path, status, reason, body_text, request_id, waited, throttled, timeout,
                 requested=None, retries=0):
        self.waited = waited
        self.throttled = throttled
        self.timeout = timeout
        self.requested = requested
        super().__init__(method, path, status, reason, body_text, request_id, retries)

    def _format(self):
        spent = "after waiting %.1f s on the rate limit and %d answer%s of HTTP 429" % (
            self.waited, self.throttled, "" if self.throttled == 1 else "s")
        if self.requested is not None:
            text = "Gave up on the rate limit: the API asked to wait %g seconds more, beyond api_rate_limit_timeout " \
                   "(%g s) %s" % (self.requested, self.timeout, spent)
        else:
            text = "Gave up on the rate limit %s, the whole api_rate_limit_timeout (%g s)" % (spent, self.timeout)
        return "%s. %s" % (text, self._describe())


class RequestError(ConfluentCloudError):
    """A request that got no answer the caller can use, named by its method and path."""

    def __init__(self, method, path, text):
        self.method = method
        self.path = path
        super().__init__(text)


class ProtocolError(RequestError):
    """The API answered with a success that breaks its own protocol: a body that is not a JSON object, a list whose
    pagination loops."""

    def __init__(self, method, path, problem, status=None, request_id=None):
        self.status = status
        self.request_id = request_id
        text = "%s %s: %s" % (method, path, problem)
        if request_id:
            text += " (X-Request-Id: %s)" % request_id
        super().__init__(method, path, text)

    def to_result(self):
        return {"status": self.status, "request_id": self.request_id, "error": None}


class TaskFailure(ConfluentCloudError):
    """A failure the module decides on itself: bad input, a safety guard, an ambiguous name, a wait that timed out.

    ``result`` holds keys to return besides msg, such as the resource that the guard refused to delete.
    """

    def __init__(self, msg, **result):
        self.result = result
        super().__init__(msg)

    def to_result(self):
        return dict(self.result)


class TransportError(RequestError):
    """No usable HTTP response: connection refused or dropped, timeout, TLS failure."""

    def __init__(self, method, path, detail, retries=0):
        self.detail = detail
        self.retries = retries
        text = "%s %s failed: %s" % (method, path, detail)
        if retries:
            text = "Gave up after %d retries: %s" % (retries, text)
        super().__init__(method, path, text)


def parse_error_body(body_text):
    """Return (parsed_error, message) for any body the API or a proxy in front of it sends.

    Handles org/v2 ``{"errors": [{title, detail, ...}]}``, connect/v1 ``{"error": {code, message}}``
    and the flat ``{"error_code": 404, "message": ...}``; anything else yields a short excerpt.
    """
    text = (body_text or "").strip()
    if not text:
        return None, ""
    try:
        body = json.loads(text)
    except ValueError:
        return None, "response body is not JSON: %s" % excerpt(text)

    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors:
            return body, "; ".join(_describe_org_error(e) for e in errors)
        error = body.get("error")
        if isinstance(error, dict):
            return body, _first_text(error, ("message", "detail", "title")) or excerpt(text)
        if isinstance(error, str) and error:
            return body, error
        message = _first_text(body, ("message", "detail", "title"))
        if message:
            return body, message
    return body, excerpt(text)


def excerpt(text):
    """One line of at most EXCERPT_LENGTH characters of a body, for messages."""
    flat = " ".join(str(text).split())
    if len(flat) > EXCERPT_LENGTH:
        flat = flat[:EXCERPT_LENGTH] + "..."
    return flat


def _describe_org_error(error):
    if not isinstance(error, dict):
        return excerpt(error)
    parts = [str(error[key]) for key in ("title", "detail") if error.get(key)]
    if not parts and error.get("code"):
        parts.append(str(error["code"]))
    return ": ".join(parts) or excerpt(json.dumps(error))


def _first_text(mapping, keys):
    for key in keys:
        value = mapping.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None

# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A scripted stand-in for requests.Session: each test lists the answers, in order, and reads back the requests."""

from __future__ import annotations

import json

import requests
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import MaxRetryError, NewConnectionError


def response(status, body=None, headers=None, text=None):
    resp = requests.models.Response()
    resp.status_code = status
    resp.reason = requests.status_codes._codes.get(status, ("",))[0].replace("_", " ").title()
    if text is None:
        text = "" if body is None else json.dumps(body)
    resp._content = text.encode("utf-8")
    resp.encoding = "utf-8"
    resp.headers = CaseInsensitiveDict(headers or {})
    resp.headers.setdefault("X-Request-Id", "req-%d" % status)
    return resp


def connection_refused():
    cause = NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")
    return requests.exceptions.ConnectionError(MaxRetryError(None, "/", cause))


def connection_dropped():
    return requests.exceptions.ConnectionError("Connection aborted.", ConnectionResetError(104, "reset by peer"))


def read_timeout():
    return requests.exceptions.ReadTimeout("Read timed out.")


class ScriptedSession:
    """Answers requests from a list of (method, path_suffix, answer); an answer is a Response or an exception."""

    def __init__(self, script):
        self.script = list(script)
        self.requests = []
        self.headers = {}

    def request(self, method, url, params=None, **kwargs):
        self.requests.append(dict(method=method, url=url, params=dict(params or {}), **kwargs))
        if not self.script:
            raise AssertionError("unexpected request %s %s" % (method, url))
        expected_method, expected_suffix, answer = self.script.pop(0)
        assert method == expected_method, "expected %s, got %s %s" % (expected_method, method, url)
        assert url.endswith(expected_suffix), "expected ...%s, got %s" % (expected_suffix, url)
        if isinstance(answer, Exception):
            raise answer
        return answer

    @property
    def calls(self):
        return [(r["method"], r["url"]) for r in self.requests]


class FakeTime:
    """Stands in for the time module: sleeping records the wait and moves the clock on at once."""

    def __init__(self):
        self.waits = []
        self.now = 1000.0

    def sleep(self, seconds):
        self.waits.append(seconds)
        self.now += seconds

    def monotonic(self):
        return self.now

    def time(self):
        return self.now

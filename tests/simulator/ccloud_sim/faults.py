"""Fault rules: which requests they match and what they do instead of (or besides) the normal answer."""

from __future__ import annotations

import re
import threading

from .common import SeedError

FAULT_ACTIONS = ("respond", "hang", "drop", "apply_then_drop")
FAULT_KEYS = {"action", "method", "path", "count", "skip", "status", "body", "headers", "content_type",
              "content_length", "close", "seconds", "then", "comment", "id", "hits"}


def latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return "\r" not in text and "\n" not in text


class Fault:
    _ids = 0
    _id_lock = threading.Lock()

    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise SeedError("a fault must be a mapping")
        unknown = set(spec) - FAULT_KEYS
        if unknown:
            raise SeedError("unknown fault keys: %s" % ", ".join(sorted(unknown)))
        action = spec.get("action")
        if action not in FAULT_ACTIONS:
            raise SeedError("fault action must be one of %s" % ", ".join(FAULT_ACTIONS))
        self.action = action
        method = spec.get("method", "*")
        if isinstance(method, str):
            method = [method]
        if not isinstance(method, list) or not all(isinstance(m, str) for m in method):
            raise SeedError("fault method must be a string or a list of strings")
        self.methods = sorted({m.upper() for m in method})
        self.path = spec.get("path", ".*")
        if not isinstance(self.path, str):
            raise SeedError("fault path must be a regular expression string")
        try:
            self.regex = re.compile(self.path)
        except re.error as exc:
            raise SeedError("fault path %r is not a valid regular expression: %s" % (self.path, exc)) from None
        self.count = spec.get("count", 1)
        if isinstance(self.count, bool) or not isinstance(self.count, int) or (self.count < 1 and self.count != -1):
            raise SeedError("fault count must be a positive integer or -1 (forever)")
        self.skip = spec.get("skip", 0)
        if isinstance(self.skip, bool) or not isinstance(self.skip, int) or self.skip < 0:
            raise SeedError("fault skip must be an integer >= 0")
        self.status = spec.get("status", 500)
        if isinstance(self.status, bool) or not isinstance(self.status, int) or not 100 <= self.status <= 599:
            raise SeedError("fault status must be an HTTP status code")
        self.has_body = "body" in spec
        self.body = spec.get("body")
        self.headers = spec.get("headers") or {}
        if not isinstance(self.headers, dict):
            raise SeedError("fault headers must be a mapping")
        for hname, hvalue in self.headers.items():
            if hvalue is not None and (isinstance(hvalue, (dict, list)) or not latin1(str(hvalue))) \
                    or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", hname):
                raise SeedError("fault header %r: names must be tokens and values latin-1 text (or null to omit)"
                                % hname)
        self.content_type = spec.get("content_type")
        self.content_length = spec.get("content_length")
        if self.content_length is not None and (isinstance(self.content_length, bool)
                                                or not isinstance(self.content_length, int)
                                                or self.content_length < 0):
            raise SeedError("fault content_length must be an integer >= 0")
        self.close = bool(spec.get("close", False))
        self.seconds = spec.get("seconds", 0)
        if isinstance(self.seconds, bool) or not isinstance(self.seconds, (int, float)) or self.seconds < 0:
            raise SeedError("fault seconds must be a number >= 0")
        self.then = spec.get("then", "answer")
        if self.then not in ("answer", "drop"):
            raise SeedError("fault 'then' must be 'answer' or 'drop'")
        self.hits = 0
        with Fault._id_lock:
            Fault._ids += 1
            self.id = Fault._ids

    def matches(self, method, target):
        if "*" not in self.methods and method not in self.methods:
            return False
        return self.regex.search(target) is not None

    def describe(self):
        method = self.methods if len(self.methods) > 1 else self.methods[0]
        out = {"id": self.id, "action": self.action, "method": method, "path": self.path,
               "count": self.count, "skip": self.skip, "hits": self.hits}
        if self.action == "respond":
            out.update(status=self.status, headers=dict(self.headers))
            if self.has_body:
                out["body"] = self.body
            if self.content_type is not None:
                out["content_type"] = self.content_type
            if self.content_length is not None:
                out["content_length"] = self.content_length
            out["close"] = self.close
        if self.action == "hang":
            out.update(seconds=self.seconds, then=self.then)
        return out

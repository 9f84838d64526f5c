"""Routes, API families, the router, and the answers every API family shares: JSON, 204, and its error shape.

A route is one method on one path pattern (``/org/v2/environments/{environment_id}``), with the handler that
answers it. The router matches the path's decoded segments against every registered route: a path no route has
is a 404 in the ``{"errors": [...]}`` shape, a path whose routes lack the method is a 405 with ``Allow`` in the
family's own error shape; otherwise the handler answers with ``(status, headers, body)``.
"""

from __future__ import annotations

from collections import namedtuple
from urllib.parse import parse_qs

from .common import json_bytes

JSON_TYPE = ("Content-Type", "application/json")


def ok(obj):
    """200 with ``obj`` as JSON."""
    return 200, [JSON_TYPE], json_bytes(obj)


def no_content():
    return 204, [], b""


class ErrorStyle:
    """How one API family words its errors: the words of the errors the router and the authentication give for
    every family (``%(name)s`` takes a value of the situation), and ``error()``, the rest of its shape.
    ``RATE_HEADERS``: whether its answers carry the ``X-RateLimit-*`` headers (and a 429 ``Retry-After``)."""

    UNAUTHORIZED = RATE_LIMITED = NOT_ALLOWED = NOT_FOUND = ()
    RATE_HEADERS = True

    @staticmethod
    def error(request_id, status, *words, headers=(), source=None):
        raise NotImplementedError

    def _situation(self, request_id, status, words, values, headers=()):
        return self.error(request_id, status, *[word % values for word in words], headers=headers)

    def unauthorized(self, request_id, headers):
        return self._situation(request_id, 401, self.UNAUTHORIZED, {}, headers)

    def rate_limited(self, request_id, retry_after, headers):
        return self._situation(request_id, 429, self.RATE_LIMITED, {"retry_after": retry_after}, headers)

    def not_allowed(self, request_id, method, allowed):
        return self._situation(request_id, 405, self.NOT_ALLOWED, {"method": method}, [("Allow", allowed)])

    def not_found(self, request_id, detail):
        return self._situation(request_id, 404, self.NOT_FOUND, {"detail": detail})


class ErrorList(ErrorStyle):
    """``{"errors": [{"id", "status", "code", "title", "detail", "source"?}]}``: org/v2, cmk/v2 and iam/v2."""

    UNAUTHORIZED = ("user_unauthenticated", "Authentication Required",
                    "Valid authentication credentials must be provided")
    RATE_LIMITED = ("too_many_requests", "Too Many Requests", "Rate limit exceeded; retry after %(retry_after)d seconds")
    NOT_ALLOWED = ("method_not_allowed", "Method Not Allowed", "%(method)s is not supported on this resource")
    NOT_FOUND = ("resource_not_found", "Not Found", "%(detail)s")

    @staticmethod
    def error(request_id, status, *words, headers=(), source=None):
        code, title, detail = words
        err = {"id": request_id, "status": str(status), "code": code, "title": title, "detail": detail}
        if source:
            err["source"] = source
        return status, list(headers) + [JSON_TYPE], json_bytes({"errors": [err]})


class ErrorObject(ErrorStyle):
    """``{"error": {"code", "message"}}``: connect/v1."""

    UNAUTHORIZED = ("Unauthorized",)
    RATE_LIMITED = ("Too Many Requests",)
    NOT_ALLOWED = ("HTTP %(method)s is not allowed",)
    NOT_FOUND = ("%(detail)s",)

    @staticmethod
    def error(request_id, status, *words, headers=(), source=None):
        (message,) = words
        return status, list(headers) + [JSON_TYPE], json_bytes({"error": {"code": status, "message": message}})


class ErrorCode(ErrorStyle):
    """``{"error_code", "message"}``: Kafka REST v3 (kafkarest-v3.yaml). The code is the HTTP status unless a
    handler gives a finer one (40403, an unknown topic); a 401 is 40101. A 429 is the proxy's HTML page, and no
    answer carries rate-limit headers: the proxy sends none."""

    UNAUTHORIZED = ("Authentication failed",)
    NOT_ALLOWED = ("HTTP 405 Method Not Allowed",)
    NOT_FOUND = ("%(detail)s",)
    RATE_HEADERS = False
    # The example of TooManyRequestsErrorResponse in kafkarest-v3.yaml: a page of the proxy's Jetty DoSFilter.
    TOO_MANY_REQUESTS = (
        '<html> <head> <meta http-equiv="Content-Type" content="text/html;charset=utf-8"/> '
        "<title>Error 429 Too Many Requests</title> </head> <body> <h2>HTTP ERROR 429 Too Many Requests</h2> "
        "<table> <tr> <th>URI:</th> <td>/v3/clusters/my-cluster</td> </tr> <tr> <th>STATUS:</th> <td>429</td> "
        "</tr> <tr> <th>MESSAGE:</th> <td>Too Many Requests</td> </tr> <tr> <th>SERVLET:</th> <td>default</td> "
        "</tr> </table> </body> </html>")

    @staticmethod
    def error(request_id, status, message, error_code=None, headers=(), source=None):
        body = {"error_code": error_code or status, "message": message}
        return status, list(headers) + [JSON_TYPE], json_bytes(body)

    def unauthorized(self, request_id, headers):
        return self.error(request_id, 401, *self.UNAUTHORIZED, error_code=40101, headers=headers)

    def rate_limited(self, request_id, retry_after, headers):
        return 429, [("Content-Type", "text/html;charset=utf-8")], self.TOO_MANY_REQUESTS.encode("utf-8")


ERROR_LIST = ErrorList()
ERROR_OBJECT = ErrorObject()
ERROR_CODE = ErrorCode()


class Route:
    """One method on one path pattern; ``{name}`` segments match any segment and reach the handler as params."""

    __slots__ = ("method", "path", "handler", "parts")

    def __init__(self, method, path, handler):
        self.method = method
        self.path = path
        self.handler = handler
        self.parts = path.split("/")[1:]

    def match(self, segments):
        """The path parameters when the decoded ``segments`` fit the pattern, else None."""
        if len(segments) != len(self.parts):
            return None
        params = {}
        for part, segment in zip(self.parts, segments):
            if part.startswith("{") and part.endswith("}"):
                params[part[1:-1]] = segment
            elif part != segment:
                return None
        return params


def cloud_key(_segments):
    """The resource of the API keys that authenticate on a Cloud API path: ``cloud``."""
    return "cloud"


Family = namedtuple("Family", "name prefix routes errors seed_lists load_seed before_settings state purge env_state "
                    "cluster_state key_resource",
                    defaults=(ERROR_LIST, (), None, False, None, None, None, None, cloud_key))
Family.__doc__ = """One API family: its routes and error shape, and the hooks through which it takes part in the simulator.

name          the key of its resources in ``Simulator.data`` (when it has ``load_seed``)
prefix        the start of its paths: a request under it that fails authentication or the rate limit gets
              this family's error shape
routes        its ``Route`` table, each method of a path declared once, GET before DELETE (the Allow order)
errors        its ``ErrorStyle`` (default ``{"errors": [...]}``)
seed_lists    the top-level seed keys it reads, each checked to be a list before any family reads its entries
load_seed     ``(seed, now, data) -> its resources``; ``data`` holds those of the families read before it
before_settings  read before the seed's credentials, rate limit and delete delay (only the org family)
state         ``(sim, now) -> {key: value}``: its part of ``/_sim/state``
purge         ``(sim, now)``: drop what has finished being deleted
env_state     ``(sim, env_id, now) -> {key: value}``: its part of each environment in ``/_sim/state``
cluster_state ``(sim, cluster_id, now) -> {key: value}``: its part of each Kafka cluster in ``/_sim/state``
key_resource  ``(decoded path segments) -> resource``: the ``resource`` of the seed's API keys that authenticate
              with HTTP Basic on its paths (``cloud`` by default; a Kafka cluster id for Kafka REST); a credential
              that is no seeded API key counts as a Cloud API key
"""


class Request(namedtuple("Request", "sim method query base now request_id params errors")):
    """What a handler gets: the simulator, the request, the path parameters, and the error shape of its family."""

    __slots__ = ()

    def query_params(self):
        return parse_qs(self.query, keep_blank_values=True)

    def fail(self, status, *words, **kwargs):
        """An error answer in the family's shape: ``code, title, detail`` (and ``headers``, ``source``) for the
        ``{"errors": [...]}`` families, ``message`` for connect/v1."""
        return self.errors.error(self.request_id, status, *words, **kwargs)

    def not_found(self, detail):
        return self.errors.not_found(self.request_id, detail)


def find_by_id(family, param, missing):
    """A finder: ``(resource, None)`` for the resource of ``family`` whose id is the path parameter ``param``, or
    ``(None, the 404 answer)`` whose detail is ``missing % id``."""
    def find(req):
        item = req.sim.data[family].get(req.params[param])
        if item is None:
            return None, req.not_found(missing % req.params[param])
        return item, None
    return find


def resource_body(req, item):
    return item.body(req.base, req.sim.org_id)


def get_with(find, body=resource_body):
    """A GET handler: 200 with ``body(req, resource)`` of what ``find`` finds, or the error answer of ``find``."""
    def get(req):
        item, error = find(req)
        return error or ok(body(req, item))
    return get


def delete_with(find, delete):
    """A DELETE handler: the answer of ``delete(req, resource)`` for what ``find`` finds, or the error answer."""
    def remove(req):
        item, error = find(req)
        return error or delete(req, item)
    return remove


NO_FAMILY = Family("", "/", ())


class Router:
    """Every route of the registered families, in registration order."""

    def __init__(self, families):
        self.families = tuple(families)
        self.routes = [(family, route) for family in self.families for route in family.routes]

    def family_for(self, raw_path):
        """The family whose paths ``raw_path`` starts with; for any other path, one with the defaults (the
        ``{"errors": [...]}`` shape, Cloud API keys)."""
        for family in self.families:
            if raw_path.startswith(family.prefix):
                return family
        return NO_FAMILY

    def dispatch(self, request, segments):
        allowed = []
        for family, route in self.routes:
            params = route.match(segments)
            if params is None:
                continue
            if route.method == request.method:
                return route.handler(request._replace(params=params, errors=family.errors))
            allowed.append((family, route.method))
        if allowed:
            family = allowed[0][0]
            return family.errors.not_allowed(request.request_id, request.method,
                                             ", ".join(method for dummy, method in allowed))
        return ERROR_LIST.not_found(request.request_id, "No resource exists at this path")

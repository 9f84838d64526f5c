# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Confluent's unmodified OpenAPI documents served by Stoplight Prism, behind one recording loopback router.

Prism serves one document per process, so one ``prism mock --errors`` runs per document, each on its own loopback
port. The router listens on one more loopback port, forwards every request unchanged (method, target, headers and
body, byte for byte) to the Prism whose document owns the path prefix, relays the answer and records both. A test
then decides from the record whether Prism accepted each request (see ``Exchange.accepted``) and which operation of
the documents it addressed (see ``OperationIndex``).

The one change the router makes is to some ANSWERS, never to requests: Prism answers every list with the document's
example, whose ``metadata.next`` always links to another page, so a client that follows it would never stop. On a
list page that was requested WITH a ``page_token``, the router removes ``metadata.next`` from the answer; the first
page's link is still followed, so the request carrying the page_token still reaches Prism and is still checked.

Use it from pytest through the ``contract_api`` fixture of conftest.py, from Python with ``start_contract_api()``,
or by hand: ``python tests/contract/contract_harness.py`` prints the router's URL and logs each request until Ctrl-C.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
if os.path.dirname(HERE) not in sys.path:
    sys.path.append(os.path.dirname(HERE))  # tests/, for the map of documents shared with the simulator tests

# Which document answers which path prefix: tests/openapi_documents.py, the map the simulator tests use too.
from openapi_documents import DOCUMENTS, document_for, files  # noqa: E402  pylint: disable=wrong-import-position

DEFAULT_OPENAPI_DIR = os.path.join(os.path.dirname(ROOT), "shared", "confluent-openapi")
DEFAULT_PRISM = os.path.join(ROOT, ".venv", "prism", "node_modules", ".bin", "prism")
PRISM_ERROR_TYPE = "https://stoplight.io/prism/errors#"
ROUTER_ERROR_TYPE = "contract-router#"
HOP_BY_HOP = ("connection", "keep-alive", "transfer-encoding", "content-length")
START_TIMEOUT = 120
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class HarnessError(Exception):
    """The contract fixture itself could not do its job (Prism missing, a document missing, a port, ...)."""


def openapi_dir():
    return os.environ.get("CONTRACT_OPENAPI_DIR") or DEFAULT_OPENAPI_DIR


def prism_binary():
    return os.environ.get("CONTRACT_PRISM") or DEFAULT_PRISM


# --------------------------------------------------------------------------- operations of the documents

class Operation:
    """One operation of one document: method, path template and operationId."""

    def __init__(self, document, method, template, operation_id):
        self.document = document
        self.method = method
        self.template = template
        self.operation_id = operation_id
        self.params = template.count("{")
        self.regex = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$")

    def __repr__(self):
        return "%s %s (%s)" % (self.method, self.template, self.operation_id)


class OperationIndex:
    """Maps a request (method and raw path) to the operation of the documents it addresses, as Prism routes it.

    A path key that carries a literal query, such as connect-v1's ``.../connectors?expand=info,status,id``, is not
    a valid OpenAPI path and Prism never routes a request to it: a request with ``?expand=...`` reaches the plain
    ``.../connectors`` operation. Such keys are kept in ``unroutable`` and never matched.
    """

    def __init__(self, directory):
        self.operations = []
        self.unroutable = []
        for name in files():
            with open(os.path.join(directory, name), encoding="utf-8") as handle:
                document = yaml.safe_load(handle)
            for template, item in (document.get("paths") or {}).items():
                for method, operation in item.items():
                    if method not in HTTP_METHODS:
                        continue
                    entry = Operation(name, method.upper(), template, operation.get("operationId"))
                    (self.unroutable if "?" in template else self.operations).append(entry)

    def match(self, method, path, document):
        """The operation of ``document`` for METHOD PATH (PATH without the query, still percent-encoded), or None."""
        candidates = [op for op in self.operations
                      if op.document == document and op.method == method and op.regex.match(path)]
        # A literal segment beats a template parameter, as in Prism.
        return min(candidates, key=lambda op: op.params) if candidates else None

    def by_operation_id(self, operation_id):
        for operation in self.operations:
            if operation.operation_id == operation_id:
                return operation
        return None


class RequestKind:
    """A kind of request a test expects: ``METHOD /path/template`` or an operationId, with a query the request must
    carry: ``?name`` (present with any value) or ``?name=value`` (exactly this value, after URL decoding), joined with
    ``&``. For example ``GET /cmk/v2/clusters/{id}?environment`` or ``listOrgV2Environments?page_size=100&page_token``.
    """

    def __init__(self, text, index):
        self.text = text.strip()
        head, _sep, query = self.text.partition("?")
        parts = head.split()
        if len(parts) == 2 and parts[1].startswith("/"):
            self.method, self.template = parts[0].upper(), parts[1]
            operation = next((op for op in index.operations if op.method == self.method and op.template == self.template),
                             None)
        elif len(parts) == 1:
            operation = index.by_operation_id(parts[0])
            self.method, self.template = (operation.method, operation.template) if operation else (None, None)
        else:
            raise ValueError("request kind %r: expected 'METHOD /path/template[?query]' or 'operationId[?query]'" % text)
        if operation is None:
            unroutable = [op for op in index.unroutable if op.template == self.template or op.operation_id == head]
            hint = " (Prism never routes to that path key: it carries a literal query)" if unroutable else ""
            raise ValueError("request kind %r names no operation of the documents%s" % (text, hint))
        self.operation = operation
        self.query = []
        for item in query.split("&") if query else []:
            name, has_value, value = item.partition("=")
            self.query.append((name, value if has_value else None))

    def matches(self, exchange):
        operation = exchange.operation
        if operation is None or operation is not self.operation:
            return False
        for name, value in self.query:
            values = exchange.query.get(name)
            if values is None or (value is not None and value not in values):
                return False
        return True

    def __repr__(self):
        return self.text


# --------------------------------------------------------------------------- the record

class Exchange:
    """One request the router received and the answer it relayed."""

    def __init__(self, method, target, headers, body):
        self.method = method
        self.target = target
        split = urlsplit(target)
        self.path = split.path
        self.query = parse_qs(split.query, keep_blank_values=True)
        self.headers = headers  # [(name, value)] as received
        self.body = body
        self.document = None
        self.operation = None
        self.status = None
        self.response_headers = []
        self.response_body = b""
        self.rewritten = None  # what the router changed in the answer, if anything
        self.error = None  # why the router could not forward it

    def header(self, name, headers=None):
        for key, value in self.headers if headers is None else headers:
            if key.lower() == name.lower():
                return value
        return None

    def response_header(self, name):
        return self.header(name, self.response_headers)

    @property
    def identity(self):
        """Who sent it, whatever the scheme: the user name of a user:secret credential, or else the credential.

        "Basic a2V5OnNlY3JldA==" (key:secret), "Bearer token" and "Token token" give "key", "token" and "token".
        """
        authorization = (self.header("Authorization") or "").strip()
        credentials = authorization.partition(" ")[2].strip() or authorization
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except ValueError:
            return credentials
        return decoded.partition(":")[0] if ":" in decoded else credentials

    @property
    def violations(self):
        """Prism's request violations of this request, from its sl-violations header (all severities)."""
        raw = self.response_header("sl-violations")
        if not raw:
            return []
        try:
            found = json.loads(raw)
        except ValueError:
            return [{"location": ["request"], "message": "unparsable sl-violations header: %s" % raw}]
        return [item for item in found if (item.get("location") or ["request"])[0] == "request"]

    @property
    def response_violations(self):
        raw = self.response_header("sl-violations")
        try:
            found = json.loads(raw) if raw else []
        except ValueError:
            return []
        return [item for item in found if (item.get("location") or [""])[0] == "response"]

    @property
    def problem(self):
        """The problem+json error of Prism (or of the router) in the answer, if it is one."""
        content_type = (self.response_header("Content-Type") or "").lower()
        if "application/problem+json" not in content_type:
            return None
        try:
            body = json.loads(self.response_body or b"{}")
        except ValueError:
            return {"type": "?", "title": self.response_body[:200].decode("utf-8", "replace")}
        kind = str(body.get("type", ""))
        return body if kind.startswith((PRISM_ERROR_TYPE, ROUTER_ERROR_TYPE)) else None

    @property
    def accepted(self):
        """Whether Prism took this request as valid for its document.

        With ``--errors``, Prism answers a request that breaks the document with the document's own 4xx example
        (401 for a missing or wrong auth scheme, 400 or 422 for a bad or missing parameter) and lists what is wrong
        in an ``sl-violations`` header, or with its own ``application/problem+json`` error (404 no path matched,
        405 no method matched, 406 not acceptable, 422 without an example). A valid request gets the document's
        2xx example. So accepted means: routed to a Prism, a 2xx, no request violation and no problem body.
        """
        return (self.error is None and self.status is not None and 200 <= self.status < 300
                and not self.violations and self.problem is None)

    def reason(self):
        """Why the request was not accepted, in one line."""
        if self.error:
            return self.error
        bits = ["HTTP %s" % self.status]
        bits.extend("%s: %s" % (".".join(str(p) for p in item.get("location") or []), item.get("message"))
                    for item in self.violations)
        problem = self.problem
        if problem:
            bits.append("%s %s" % (problem.get("title"), problem.get("detail") or ""))
            bits.extend("%s: %s" % (".".join(str(p) for p in item.get("location") or []), item.get("message"))
                        for item in problem.get("validation") or [])
        return "; ".join(bits)

    def kind(self):
        operation = self.operation
        name = "%s %s" % (self.method, operation.template if operation else "%s (no operation)" % self.path)
        query = sorted(self.query)
        return name + ("?" + "&".join(query) if query else "")

    def describe(self):
        verdict = "accepted" if self.accepted else "NOT ACCEPTED: " + self.reason()
        operation = self.operation.operation_id if self.operation else "-"
        note = "  [answer: %s]" % self.rewritten if self.rewritten else ""
        return "%s %s -> %s [%s, %s] %s%s" % (self.method, self.target, self.status, self.document, operation,
                                              verdict, note)


# --------------------------------------------------------------------------- Prism

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent():
    """In the child before exec: get SIGTERM when the process that started it dies, even by SIGKILL (Linux)."""
    try:
        import ctypes  # pylint: disable=import-outside-toplevel

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def run_command(cmd, timeout, **kwargs):
    """(exit status, output) of cmd, in its own process group, which goes if this process is interrupted or dies."""
    with subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          start_new_session=True, preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
                          **kwargs) as process:
        try:
            output = process.communicate(timeout=timeout)[0]
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
        return process.returncode, output


class Prism:
    """``prism mock --errors DOCUMENT`` on a loopback port, in its own process group, logging to a file."""

    def __init__(self, binary, document, log_path):
        self.binary = binary
        self.document = document
        self.log_path = log_path
        self.port = None
        self.process = None
        self._log = None

    def start(self):
        self.port = free_port()
        self._log = open(self.log_path, "ab")  # pylint: disable=consider-using-with
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            [self.binary, "mock", "--errors", "--host", "127.0.0.1", "--port", str(self.port), self.document],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )

    def ready(self):
        """True once Prism accepts connections; HarnessError if it died."""
        if self.process.poll() is not None:
            raise HarnessError("Prism for %s exited with status %s before listening:\n%s"
                               % (os.path.basename(self.document), self.process.returncode, self.log_tail()))
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
            return True
        return False

    def log_tail(self, lines=30):
        with contextlib.suppress(OSError), open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return "".join(handle.readlines()[-lines:])
        return ""

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None


# --------------------------------------------------------------------------- the router

class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "contract-router"

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.api.verbose:
            sys.stderr.write("router: %s\n" % (format % args))

    def _relay(self):
        api = self.server.api
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        exchange = Exchange(self.command, self.path, list(self.headers.items()), body)
        prism = api.prism_for(exchange.path)
        if self.headers.get("Transfer-Encoding"):
            exchange.error = "chunked request bodies are not forwarded"
        elif prism is None:
            exchange.error = "no document serves %s (router prefixes: %s)" % (
                exchange.path, ", ".join(prefix for prefix, _family, _name in DOCUMENTS))
        else:
            exchange.document = os.path.basename(prism.document)
            exchange.operation = api.index.match(self.command, exchange.path, exchange.document)
            try:
                self._forward(prism, exchange)
            except (OSError, http.client.HTTPException) as exc:
                exchange.error = "forwarding to Prism (%s) failed: %s" % (exchange.document, exc)
        if exchange.error:
            problem = {"type": ROUTER_ERROR_TYPE + "NOT_FORWARDED", "title": exchange.error, "status": 502}
            exchange.status = 502
            exchange.response_headers = [("Content-Type", "application/problem+json")]
            exchange.response_body = json.dumps(problem).encode("utf-8")
        api.record(exchange)
        self.send_response_only(exchange.status)
        for name, value in exchange.response_headers:
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        if exchange.status >= 200 and exchange.status not in (204, 304):
            self.send_header("Content-Length", str(len(exchange.response_body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(exchange.response_body)

    def _forward(self, prism, exchange):
        connection = http.client.HTTPConnection("127.0.0.1", prism.port, timeout=60)
        try:
            connection.putrequest(exchange.method, exchange.target, skip_host=True, skip_accept_encoding=True)
            for name, value in exchange.headers:
                connection.putheader(name, value)
            connection.endheaders(exchange.body or None)
            response = connection.getresponse()
            exchange.status = response.status
            exchange.response_headers = response.getheaders()
            exchange.response_body = response.read()
        finally:
            connection.close()
        _end_pagination(exchange)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _relay


def _end_pagination(exchange):
    """Remove metadata.next from a list page requested with a page_token (see the module docstring)."""
    if exchange.method != "GET" or "page_token" not in exchange.query or not 200 <= exchange.status < 300:
        return
    if "json" not in (exchange.response_header("Content-Type") or "").lower():
        return
    try:
        body = json.loads(exchange.response_body)
    except ValueError:
        return
    metadata = body.get("metadata") if isinstance(body, dict) else None
    if isinstance(metadata, dict) and "next" in metadata:
        del metadata["next"]
        exchange.response_body = json.dumps(body, separators=(",", ":")).encode("utf-8")
        exchange.rewritten = "metadata.next removed"


class ContractApi:
    """The Prism processes and the router; the record of every exchange, in order."""

    def __init__(self, work_dir, documents_dir=None, prism=None, verbose=False):
        self.work_dir = work_dir
        self.documents_dir = documents_dir or openapi_dir()
        self.prism = prism or prism_binary()
        self.verbose = verbose
        self.index = None
        self.prisms = []  # [(prefix, Prism)]
        self.exchanges = []
        self._lock = threading.Lock()
        self._server = None
        self._thread = None
        self.url = None

    def start(self):
        self._check_prerequisites()
        self.index = OperationIndex(self.documents_dir)
        self.start_prisms()
        return self.start_router()

    def start_prisms(self):
        os.makedirs(self.work_dir, exist_ok=True)
        for prefix, _family, name in DOCUMENTS:
            log = os.path.join(self.work_dir, "prism-%s.log" % name[:-len(".yaml")])
            with contextlib.suppress(FileNotFoundError):
                os.remove(log)
            prism = Prism(self.prism, os.path.join(self.documents_dir, name), log)
            self.prisms.append((prefix, prism))
            prism.start()
        deadline = time.monotonic() + START_TIMEOUT
        waiting = [prism for _prefix, prism in self.prisms]
        while waiting:
            waiting = [prism for prism in waiting if not prism.ready()]
            if waiting and time.monotonic() > deadline:
                raise HarnessError("Prism did not listen within %d s for: %s\n%s" % (
                    START_TIMEOUT, ", ".join(os.path.basename(p.document) for p in waiting), waiting[0].log_tail()))
            if waiting:
                time.sleep(0.2)

    def start_router(self):
        """The router in a thread of this process, in front of ``self.prisms`` (objects with port and document)."""
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.api = self
        self._thread = threading.Thread(target=self._server.serve_forever, name="contract-router", daemon=True)
        self._thread.start()
        self.url = "http://127.0.0.1:%d" % self._server.server_address[1]
        return self

    def _check_prerequisites(self):
        missing = [name for name in files() if not os.path.isfile(os.path.join(self.documents_dir, name))]
        if missing:
            raise HarnessError("Confluent's OpenAPI documents are missing from %s: %s (set CONTRACT_OPENAPI_DIR)"
                               % (self.documents_dir, ", ".join(missing)))
        if not os.access(self.prism, os.X_OK):
            raise HarnessError("Prism is not installed at %s: run tests/utils/ansible_test.sh CORE contract "
                               "(or make contract), which installs it into .venv/prism" % self.prism)
        if not shutil.which("node"):
            raise HarnessError("node is not on PATH: Prism needs Node.js (18.20 or newer)")

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        for _prefix, prism in self.prisms:
            prism.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def prism_for(self, path):
        entry = document_for(path)
        return dict(self.prisms).get(entry[0]) if entry else None

    def record(self, exchange):
        with self._lock:
            self.exchanges.append(exchange)
        if self.verbose:
            sys.stderr.write(exchange.describe() + "\n")

    def mark(self):
        """A position in the record, for ``since``."""
        with self._lock:
            return len(self.exchanges)

    def since(self, mark):
        with self._lock:
            return list(self.exchanges[mark:])

    def by_identity(self, identity):
        with self._lock:
            return [exchange for exchange in self.exchanges if exchange.identity == identity]

    def logs(self, lines=15):
        return "\n".join("--- %s\n%s" % (os.path.basename(prism.log_path), prism.log_tail(lines))
                         for _prefix, prism in self.prisms)


def start_contract_api(work_dir, **kwargs):
    """Start the Prism processes and the router; use as ``with start_contract_api(dir) as api:``."""
    api = ContractApi(work_dir, **kwargs)
    try:
        return api.start()
    except BaseException:
        api.stop()
        raise


def check_exchanges(exchanges, expected, index):
    """The problems of a run whose requests are ``exchanges`` and whose declared request kinds are ``expected``.

    Every request must be accepted; each request is counted for the declared kind it satisfies with the most query
    conditions; every declared kind must be hit and no request may be of an undeclared kind.
    """
    kinds = [RequestKind(text, index) for text in expected]
    problems = ["not accepted by Prism: " + exchange.describe() for exchange in exchanges if not exchange.accepted]
    hit = set()
    for exchange in exchanges:
        matching = [kind for kind in kinds if kind.matches(exchange)]
        if matching:
            hit.add(max(matching, key=lambda kind: len(kind.query)).text)
        else:
            problems.append("a request of no declared kind: %s (kind: %s)" % (exchange.describe(), exchange.kind()))
    problems.extend("declared request kind never sent: %s" % kind.text for kind in kinds if kind.text not in hit)
    return problems


def main():
    work_dir = os.path.join(ROOT, "build", "contract", "manual")
    with start_contract_api(work_dir, verbose=True) as api:
        print(api.url, flush=True)
        sys.stderr.write("Prism logs in %s; Ctrl-C stops\n" % work_dir)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


if __name__ == "__main__":
    main()

"""The HTTP layer: the server that tracks its connections, and the handler that reads a request, applies the faults,
logs it and sends the simulator's answer; requests under /_sim/ go to the control API."""

from __future__ import annotations

import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import control
from .common import json_bytes

SIM_PREFIX = "/_sim/"


class SimServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *args, **kwargs):
        self._conns = set()
        self._conns_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def track(self, conn, add):
        with self._conns_lock:
            if add:
                self._conns.add(conn)
            else:
                self._conns.discard(conn)

    def close_all_connections(self):
        with self._conns_lock:
            conns = list(self._conns)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address):
        if getattr(self, "sim", None) is not None and self.sim.verbose:
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ConfluentCloudSimulator/1.0"
    disable_nagle_algorithm = True

    def version_string(self):
        return self.server_version

    def setup(self):
        super().setup()
        self.server.track(self.connection, True)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def log_request(self, code="-", size="-"):
        pass

    def log_message(self, *args):
        if self.server.sim.verbose:
            sys.stderr.write("confluent-sim: %s - %s\n" % (self.address_string(), args[0] % args[1:]))

    def do_GET(self):
        self._dispatch()

    do_DELETE = do_POST = do_PUT = do_PATCH = do_GET

    # ----------------------------------------------------------------- helpers

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(chunks)
        length = self.headers.get("Content-Length")
        if length:
            return self.rfile.read(int(length))
        return b""

    def _send(self, status, headers, body, request_id=None, content_length=None):
        self.send_response(status)
        names = {k.lower() for k, dummy in headers}
        if request_id is not None and "x-request-id" not in names:
            self.send_header("X-Request-Id", request_id)
        for key, value in headers:
            if value is None:
                continue
            self.send_header(key, str(value))
        no_body = status in (204, 304) or status < 200
        if no_body:
            body = b""
        elif "content-length" not in names:
            self.send_header("Content-Length", str(len(body) if content_length is None else content_length))
        elif not any(k.lower() == "content-length" and v is not None for k, v in headers):
            # Content-Length removed on purpose: the body is delimited by closing the connection.
            self.send_header("Connection", "close")
        self.end_headers()
        if body:
            self.wfile.write(body)
        self.wfile.flush()
        if content_length is not None and content_length != len(body):
            self.close_connection = True

    def _drop(self):
        self.close_connection = True
        try:
            self.wfile.flush()
        except OSError:
            pass

    def _base_url(self):
        sim = self.server.sim
        host = self.headers.get("Host")
        if not host:
            return sim.url
        return "%s://%s" % (sim._scheme, host)

    # ----------------------------------------------------------------- dispatch

    def _dispatch(self):
        sim = self.server.sim
        started = time.time()
        t0 = time.monotonic()
        sim.last_activity = t0
        method = self.command.upper()
        target = self.path
        try:
            body = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        if target == "/_sim" or target.startswith(SIM_PREFIX):
            self._control(method, target, body)
            return

        request_id = str(uuid.uuid4())
        generation = sim._generation
        authorization = self.headers.get("Authorization")
        kind, key = sim._authenticate(authorization)[:2]
        entry = {
            "method": method,
            "path": target,
            "auth": kind if kind in ("basic", "bearer") else "none",
            "key": key,
            "status": None,
            "started": started,
            "duration": 0.0,
            "user_agent": self.headers.get("User-Agent"),
            "request_id": request_id,
            "fault": None,
        }
        recorded = []

        def record(status=None):
            # The entry is logged before the client can see the outcome, so a test that
            # reads /_sim/log right after its request always finds it.
            if recorded:
                return
            recorded.append(True)
            entry["status"] = status
            entry["duration"] = time.monotonic() - t0
            sim._append_log(entry, generation)
            if sim.verbose:
                sys.stderr.write("confluent-sim: %s %s -> %s%s (%.3fs)\n" % (
                    method, target, status, " [%s]" % entry["fault"] if entry["fault"] else "",
                    entry["duration"]))

        try:
            fault = sim._take_fault(method, target)
            drop_after = False
            if fault is not None:
                entry["fault"] = fault.action
                if fault.action == "respond":
                    record(fault.status)
                    self._respond_fault(fault, request_id)
                    return
                if fault.action == "drop":
                    record()
                    self._drop()
                    return
                if fault.action == "hang":
                    sim._stop_event.wait(fault.seconds)
                    if fault.then == "drop" or sim._stop_event.is_set():
                        record()
                        self._drop()
                        return
                if fault.action == "apply_then_drop":
                    drop_after = True
            try:
                status, headers, payload = sim._process(method, target, authorization, self._base_url(),
                                                        request_id)
            except Exception:  # pylint: disable=broad-except
                import traceback

                sys.stderr.write("confluent-sim: internal error on %s %s\n%s" % (
                    method, target, traceback.format_exc()))
                status, headers = 500, [("Content-Type", "application/json")]
                payload = json_bytes({"errors": [{"id": request_id, "status": "500", "code": "simulator_error",
                                                  "title": "Internal Server Error",
                                                  "detail": "The simulator failed to handle this request"}]})
            if drop_after:
                entry["effect_status"] = status
                record()
                self._drop()
                return
            record(status)
            self._send(status, headers, payload, request_id)
        finally:
            record()

    def _respond_fault(self, fault, request_id):
        headers = []
        names = {k.lower() for k in fault.headers}
        body = fault.body
        if not fault.has_body or body is None:
            payload = b""
        elif isinstance(body, str):
            payload = body.encode("utf-8")
        else:
            payload = json_bytes(body)
        if "content-type" not in names and payload:
            if fault.content_type:
                headers.append(("Content-Type", fault.content_type))
            elif isinstance(body, str):
                headers.append(("Content-Type", "text/plain; charset=utf-8"))
            else:
                headers.append(("Content-Type", "application/json"))
        for k, v in fault.headers.items():
            headers.append((str(k), v))
        if fault.close:
            headers.append(("Connection", "close"))
        self._send(fault.status, headers, payload, request_id, content_length=fault.content_length)

    # ----------------------------------------------------------------- control API

    def _control(self, method, target, body):
        request_id = str(uuid.uuid4())
        status, obj = control.answer(self.server.sim, method, target, body)
        self._send(status, [("Content-Type", "application/json")], json_bytes(obj), request_id)

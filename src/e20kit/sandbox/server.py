"""Loopback HTTP server harness that platform plugins mount their vendor fakes on.

The demo and the end-to-end tests run real connectors over real HTTP, so fakes need a real
server: this one binds an ephemeral port on 127.0.0.1, serves from daemon threads with HTTP/1.1
keep-alive, injects faults on demand (:class:`FaultPlan`), records every request, and shuts
down cleanly (open keep-alive connections are closed and their threads joined).
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import math
import socket
import ssl
import struct
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import NamedTuple, cast
from urllib.parse import parse_qs, urlsplit

from .faults import FAULT_KINDS, FaultDecider, FaultPlan
from .routing import App, Headers, Request, Response, Router

__all__ = [
    "FAULT_KINDS",
    "App",
    "FaultPlan",
    "Headers",
    "LoggedRequest",
    "LoopbackServer",
    "Request",
    "Response",
    "Router",
]

logger = logging.getLogger(__name__)

_JOIN_TIMEOUT_S = 5.0


class LoggedRequest(NamedTuple):
    """One served request. ``status`` is what the client was sent; 0 for a reset connection."""

    method: str
    path: str
    query: dict[str, list[str]]
    status: int


class LoopbackServer:
    """Serves ``app`` on ``http://127.0.0.1:<free port>`` from a background thread.

    The server starts in the constructor, so both ``with LoopbackServer(app) as srv`` and a plain
    ``srv = LoopbackServer(app)`` followed by ``srv.stop()`` work. ``faults`` may be switched at
    any time; the new plan's fault sequence starts from its seed. ``tls`` (a server-side
    ``ssl.SSLContext``, e.g. from a test CA) serves ``https://`` instead, for clients that refuse
    plain HTTP such as msal's authority.
    """

    def __init__(
        self,
        app: Router | Callable[[Request], Response],
        *,
        faults: FaultPlan | None = None,
        host: str = "127.0.0.1",
        tls: ssl.SSLContext | None = None,
    ) -> None:
        if not ipaddress.ip_address(host).is_loopback or ":" in host:
            raise ValueError(f"the sandbox binds IPv4 loopback only, not {host!r}")
        self.app: App = app
        self._decider = FaultDecider(faults)
        self._log: list[LoggedRequest] = []
        self._injected: dict[str, int] = {}
        self._log_lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _HTTPServer((host, 0), self)
        if tls is not None:
            # the handshake happens in the connection's thread, never in the accepting one
            self._httpd.socket = tls.wrap_socket(
                self._httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self.scheme = "https" if tls is not None else "http"
        self.host = host
        self.port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"e20kit-loopback-{self.port}",
            daemon=True,
        )
        self._thread.start()

    @property
    def url(self) -> str:
        """Base URL without a trailing slash."""
        return f"{self.scheme}://{self.host}:{self.port}"

    @property
    def faults(self) -> FaultPlan | None:
        """The active fault plan (``None``: no faults, no latency)."""
        return self._decider.plan

    @faults.setter
    def faults(self, plan: FaultPlan | None) -> None:
        self._decider = FaultDecider(plan)

    @property
    def requests(self) -> list[LoggedRequest]:
        """A snapshot of every request served since start or :meth:`reset_log`."""
        with self._log_lock:
            return list(self._log)

    @property
    def injected(self) -> dict[str, int]:
        """How many faults of each kind were injected since start or :meth:`reset_log`."""
        with self._log_lock:
            return dict(self._injected)

    def reset_log(self) -> None:
        """Forget the recorded requests (e.g. between the two runs of an incremental test)."""
        with self._log_lock:
            self._log.clear()
            self._injected.clear()

    def stop(self) -> None:
        """Stop serving, close open connections and join every server thread. Idempotent."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._thread.join(_JOIN_TIMEOUT_S)
        self._httpd.close_connections()
        self._httpd.join_workers(_JOIN_TIMEOUT_S)
        self._httpd.server_close()

    def __enter__(self) -> LoopbackServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"LoopbackServer({self.url!r}, faults={self.faults!r})"

    # -- called from handler threads -------------------------------------------------------

    def _record(self, request: Request, status: int, fault: str | None) -> None:
        with self._log_lock:
            self._log.append(LoggedRequest(request.method, request.path, request.query, status))
            if fault is not None:
                self._injected[fault] = self._injected.get(fault, 0) + 1

    def _call_app(self, request: Request) -> Response:
        try:
            response = self.app(request)
        except Exception as exc:  # a broken fake must answer, not hang the client
            logger.exception("sandbox handler failed for %s %s", request.method, request.path)
            return Response.json({"error": "handler failed", "detail": repr(exc)}, 500)
        if not isinstance(response, Response) or not isinstance(response.body, bytes):
            detail = f"handler returned {response!r}, not a Response with a bytes body"
            logger.error("sandbox handler for %s %s: %s", request.method, request.path, detail)
            return Response.json({"error": "handler failed", "detail": detail}, 500)
        return response

    def _serve(self, handler: _Handler, request: Request, raw_query: str) -> None:
        decider = self._decider
        plan = decider.plan
        if plan is not None and plan.latency_s > 0:
            self._stopping.wait(plan.latency_s)
        kind = decider.decide(request.method, request.path, raw_query, request.body)
        if kind == "reset":
            self._record(request, 0, kind)
            handler.reset()
            return
        if kind == "429" and plan is not None:
            retry_after = str(max(0, math.ceil(plan.retry_after_s)))
            response = Response.text("Too Many Requests", 429, {"Retry-After": retry_after})
        elif kind == "5xx":
            response = Response.text("Service Unavailable", 503)
        else:
            response = self._call_app(request)
        if kind == "slow" and plan is not None:
            self._stopping.wait(plan.slow_s)
        self._record(request, response.status, kind)
        handler.answer(response, truncate=kind == "truncated")


class _HTTPServer(ThreadingHTTPServer):
    """Tracks connections and worker threads so :meth:`LoopbackServer.stop` leaks nothing."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], harness: LoopbackServer) -> None:
        self.harness = harness
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._workers: list[threading.Thread] = []
        super().__init__(address, _Handler)

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        worker = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name=f"{threading.current_thread().name}-conn",
            daemon=True,
        )
        with self._lock:
            self._workers = [w for w in self._workers if w.is_alive()]
            self._workers.append(worker)
            self._connections.add(request)
        worker.start()

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        with self._lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-answer (it stopped reading a huge body, its deadline
        fired) is ordinary for a fake: one DEBUG line naming the error, no traceback."""
        logger.debug("sandbox connection from %s failed: %r", client_address, sys.exc_info()[1])

    def close_connections(self) -> None:
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def join_workers(self, timeout: float) -> None:
        with self._lock:
            workers = list(self._workers)
        for worker in workers:
            worker.join(timeout)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "e20kit-sandbox"
    wbufsize = 1 << 16  # headers and body leave in one write: no delayed-ACK stalls

    def setup(self) -> None:
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def _dispatch(self) -> None:
        split = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers=Headers(list(self.headers.items())),
            body=self._read_body(),
        )
        cast(_HTTPServer, self.server).harness._serve(self, request, split.query)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _dispatch

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():  # trailers up to the blank line
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def answer(self, response: Response, *, truncate: bool = False) -> None:
        """Write ``response``; with ``truncate`` promise the full length, send half, close."""
        body = response.body
        sent = body[: len(body) // 2] if truncate else body
        declared = max(len(body), 1) if truncate else len(body)
        self.send_response(response.status)
        for name, value in (response.headers or {}).items():
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(declared))
        if truncate:
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(sent)
        self.wfile.flush()
        if truncate:
            self._hard_close(rst=False)

    def reset(self) -> None:
        """Drop the connection with a TCP reset and no answer."""
        self.close_connection = True
        self._hard_close(rst=True)

    def _hard_close(self, *, rst: bool) -> None:
        if rst:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
        self.wfile.close()  # drop the makefile() references so close() really closes
        self.rfile.close()
        self.connection.close()

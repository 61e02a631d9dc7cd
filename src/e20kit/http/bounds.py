"""Bounded requests: a total deadline per attempt and a cap on the decompressed body.

``timeout_s`` bounds each socket read, so a server that sends one byte every few seconds never
trips it. A :class:`Watch` bounds the whole attempt instead (connect, headers and body): one
shared watchdog thread shuts the attempt's socket down when its deadline passes, which wakes the
blocked read; the session then raises :class:`DeadlineExceeded`. The body is read in chunks and
counted after decompression, so a gzip bomb stops at ``max_response_mb`` with
:class:`ResponseTooLarge` instead of filling memory.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from typing import Any

import requests
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

CHUNK_BYTES = 64 * 1024
"""Body read size; urllib3 (>= 2.6) never decodes more than this per read."""
_COMPACT_MIN = 4096
"""Watchdog entries allowed before the finished ones are swept out."""


class DeadlineExceeded(requests.exceptions.Timeout):
    """One attempt ran past ``[http] deadline_s``; mapped to ConnectorDeadlineError."""


class ResponseTooLarge(requests.exceptions.RequestException):
    """The decompressed body passed ``[http] max_response_mb``; mapped to
    ConnectorResponseTooLargeError."""

    def __init__(self, *args: Any, read_bytes: int = 0, limit: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.read_bytes = read_bytes
        self.limit = limit


class Watch:
    """The deadline of the current attempt of one request (one per ``send``)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._token = 0
        self._done = False

    def arm(self, conn: Any) -> None:
        """A new attempt on ``conn`` starts: it gets the full deadline."""
        with self._lock:
            self._token += 1
            self._sock = getattr(conn, "sock", None)  # None until a new connection connects
            self.fired = False
            token = self._token
        WATCHDOG.schedule(self, token, time.monotonic() + self.seconds)

    def attach(self, sock: socket.socket | None) -> None:
        """The attempt's new connection is up; shut it at once if the deadline already passed."""
        with self._lock:
            if self._done:
                return
            self._sock = sock
            late = self.fired
        if late:
            _shut(sock)

    def disarm(self) -> None:
        with self._lock:
            self._done = True
            self._sock = None

    def pending(self, token: int) -> bool:
        """Whether the watchdog entry for attempt ``token`` still matters."""
        return not self._done and token == self._token

    def expire(self, token: int) -> None:
        """Called by the watchdog: stop the attempt ``token`` if it is still running."""
        with self._lock:
            if self._done or token != self._token:
                return
            self.fired = True
            sock = self._sock
        _shut(sock)


def _shut(sock: socket.socket | None) -> None:
    if sock is None:
        return  # still connecting (bounded by the connect timeout): attach() shuts it
    with contextlib.suppress(OSError):
        # the plain socket's shutdown, also for TLS: it wakes a read blocked in another thread
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watchdog:
    """One daemon thread for every watch of the process; cancelled entries expire as no-ops."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, Watch, int]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self._compact_at = _COMPACT_MIN

    def schedule(self, watch: Watch, token: int, at: float) -> None:
        with self._cond:
            heapq.heappush(self._heap, (at, next(self._order), watch, token))
            if len(self._heap) > self._compact_at:
                # finished requests leave their entries behind; drop them now and then so a
                # busy process does not hold deadline_s worth of them
                self._heap = [e for e in self._heap if e[2].pending(e[3])]
                heapq.heapify(self._heap)
                self._compact_at = max(_COMPACT_MIN, 2 * len(self._heap))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="e20kit-http-deadlines", daemon=True
                )
                self._thread.start()
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait()
                at, _, watch, token = self._heap[0]
                delay = at - time.monotonic()
                if delay > 0:
                    self._cond.wait(min(delay, 60.0))  # huge deadlines overflow the wait
                    continue
                heapq.heappop(self._heap)
            watch.expire(token)


WATCHDOG = _Watchdog()
CURRENT = threading.local()
"""``CURRENT.watch``: the watch of the request this thread is sending, if any."""


class _WatchedConnection:
    """Hands a freshly connected socket to the sending thread's watch (the response may keep
    the socket after the connection object let go of it, so the watch holds it itself)."""

    sock: socket.socket | None

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        watch: Watch | None = getattr(CURRENT, "watch", None)
        if watch is not None:
            watch.attach(self.sock)


class WatchedHTTPConnection(_WatchedConnection, HTTPConnection):
    pass


class WatchedHTTPSConnection(_WatchedConnection, HTTPSConnection):
    pass


class _WatchedPool:
    """Arms the sending thread's watch at the start of every attempt (first try and retries)."""

    def _make_request(self, conn: Any, *args: Any, **kwargs: Any) -> Any:
        watch: Watch | None = getattr(CURRENT, "watch", None)
        if watch is not None:
            watch.arm(conn)
        return super()._make_request(conn, *args, **kwargs)  # type: ignore[misc]


class WatchedHTTPConnectionPool(_WatchedPool, HTTPConnectionPool):
    ConnectionCls = WatchedHTTPConnection


class WatchedHTTPSConnectionPool(_WatchedPool, HTTPSConnectionPool):
    ConnectionCls = WatchedHTTPSConnection


POOL_CLASSES = {"http": WatchedHTTPConnectionPool, "https": WatchedHTTPSConnectionPool}


def read_bounded(response: requests.Response, limit: int) -> None:
    """Read ``response``'s body into it, stopping with :class:`ResponseTooLarge` past ``limit``
    decompressed bytes (the connection is closed then, not returned to the pool)."""
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_content(chunk_size=CHUNK_BYTES):
        total += len(chunk)
        if total > limit:
            response.close()
            raise ResponseTooLarge(
                f"response body larger than {limit} bytes once decompressed; stopped reading",
                read_bytes=total,
                limit=limit,
                request=response.request,
                response=response,
            )
        chunks.append(chunk)
    response._content = b"".join(chunks)
    response._content_consumed = True  # type: ignore[attr-defined]


__all__ = [
    "CHUNK_BYTES",
    "CURRENT",
    "POOL_CLASSES",
    "DeadlineExceeded",
    "ResponseTooLarge",
    "Watch",
    "read_bounded",
]

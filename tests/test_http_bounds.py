"""Bounded requests against a tiny socket server that misbehaves on purpose.

A slow drip (one byte at a time, each well within ``timeout_s``) must end at ``deadline_s`` with a
retriable typed error; a gzip bomb must stop at ``max_response_mb``. The tests assert the error
types and that the server could not send (or the client did not read) everything: no wall clock.
"""

from __future__ import annotations

import gzip
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from e20kit import (
    ConnectorDeadlineError,
    ConnectorResponseTooLargeError,
    ConnectorRetriableError,
    make_session,
)
from e20kit.http import HttpSettings
from e20kit.http.bounds import Watch

TOKEN = "tok-bounds-6502"


@dataclass
class Script:
    """What the server sends: ``head`` at once, then ``drip`` one byte per ``interval_s``."""

    head: bytes = b""
    drip: bytes = b""
    interval_s: float = 0.05
    connections: int = 0
    dripped: int = 0
    stop: threading.Event = field(default_factory=threading.Event)


def _serve(sock: socket.socket, script: Script) -> None:
    sock.settimeout(0.05)  # so the loop sees ``stop`` (close() does not wake accept())
    while not script.stop.is_set():
        try:
            conn, _ = sock.accept()
        except TimeoutError:
            continue
        except OSError:
            return
        conn.settimeout(None)
        script.connections += 1
        threading.Thread(target=_answer, args=(conn, script), daemon=True).start()


def _answer(conn: socket.socket, script: Script) -> None:
    with conn:
        request = b""
        while b"\r\n\r\n" not in request:
            data = conn.recv(4096)
            if not data:
                return
            request += data
        try:
            conn.sendall(script.head)
            for index in range(len(script.drip)):
                if script.stop.wait(script.interval_s):
                    return
                conn.sendall(script.drip[index : index + 1])
                script.dripped += 1
        except OSError:
            return  # the client hung up: that is the point


@pytest.fixture
def server() -> Iterator[tuple[str, Script]]:
    script = Script()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    thread = threading.Thread(target=_serve, args=(sock, script), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", script
    finally:
        script.stop.set()
        thread.join(5)
        sock.close()


def settings(**values: float) -> HttpSettings:
    base = {"timeout_s": 5.0, "retries": 0, "backoff_factor": 0.0, "deadline_s": 0.3}
    return HttpSettings.model_validate({**base, **values})


def response_head(length: int, *extra: str) -> bytes:
    lines = ["HTTP/1.1 200 OK", "Content-Type: application/json", "Connection: close"]
    lines.append(f"Content-Length: {length}")
    return ("\r\n".join([*lines, *extra]) + "\r\n\r\n").encode()


def test_headers_sent_one_byte_at_a_time_end_at_the_deadline(server: tuple[str, Script]) -> None:
    url, script = server
    script.drip = response_head(2) + b"{}"
    session = make_session("chat", settings=settings(), base_url=url, secrets=[TOKEN])
    with pytest.raises(ConnectorDeadlineError) as info:
        session.get_json(f"/api/v4/users?token={TOKEN}")
    err = info.value
    assert isinstance(err, ConnectorRetriableError)
    assert str(err).startswith(f"[chat {url}/api/v4/users?token=***] no complete answer within")
    assert TOKEN not in str(err)
    assert script.dripped < len(script.drip)  # the client stopped listening before the end


def test_a_body_sent_one_byte_at_a_time_ends_at_the_deadline(server: tuple[str, Script]) -> None:
    url, script = server
    body = b'{"users": [' + b" " * 500 + b"]}"
    script.head, script.drip = response_head(len(body)), body
    session = make_session("chat", settings=settings(), base_url=url)
    with pytest.raises(ConnectorDeadlineError):
        session.get("/api/v4/users")
    assert script.dripped < len(body)


def test_a_request_past_its_deadline_is_retried_like_a_timeout(
    server: tuple[str, Script],
) -> None:
    url, script = server
    script.drip = response_head(2) + b"{}"
    session = make_session("chat", settings=settings(retries=1), base_url=url)
    with pytest.raises(ConnectorDeadlineError):
        session.get("/x")
    assert script.connections == 2  # the first attempt, and one retry with a fresh deadline
    assert session.retry_count == 1


def test_a_prompt_server_is_not_affected_by_the_deadline(server: tuple[str, Script]) -> None:
    url, script = server
    script.head = response_head(12) + b'{"ok": true}'
    session = make_session("chat", settings=settings(), base_url=url)
    for _ in range(3):
        assert session.get_json("/x") == {"ok": True}


def test_a_gzip_bomb_stops_at_the_size_cap(server: tuple[str, Script]) -> None:
    url, script = server
    bomb = gzip.compress(b"[" + b" " * (16 * 1024 * 1024) + b"]", compresslevel=9)
    assert len(bomb) < 64 * 1024  # small on the wire...
    script.head = response_head(len(bomb), "Content-Encoding: gzip") + bomb
    session = make_session(
        "chat", settings=settings(max_response_mb=1, deadline_s=30), base_url=url
    )
    with pytest.raises(ConnectorResponseTooLargeError) as info:
        session.get_json("/api/v4/users")
    err = info.value
    assert str(err).startswith(f"[chat {url}/api/v4/users] response body larger than 1048576")
    assert "max_response_mb" in str(err)
    # ...and read only up to the cap plus one chunk, not the 16 MiB it expands to
    assert 1024 * 1024 < err.read_bytes <= 1024 * 1024 + 64 * 1024  # type: ignore[attr-defined]


def test_a_body_within_the_cap_is_read_whole(server: tuple[str, Script]) -> None:
    url, script = server
    body = gzip.compress(b"[" + b"1," * 100_000 + b"1]")
    script.head = response_head(len(body), "Content-Encoding: gzip") + body
    session = make_session(
        "chat", settings=settings(max_response_mb=1, deadline_s=30), base_url=url
    )
    assert len(session.get_json("/x")) == 100_001


def test_the_watchdog_sweeps_out_finished_requests() -> None:
    from e20kit.http.bounds import _Watchdog

    class Conn:
        sock = None

    dog = _Watchdog()
    for _ in range(10_000):
        watch = Watch(3600)
        dog.schedule(watch, 1, 1e12)  # far beyond any platform's wait limit, on purpose
        watch.disarm()
    live = Watch(3600)
    live.arm(Conn())
    dog.schedule(live, 1, 1e12)
    assert len(dog._heap) <= 4096 + 1
    assert any(entry[2] is live for entry in dog._heap)
    live.disarm()

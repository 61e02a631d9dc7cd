"""An unreachable host is one line without urllib3's text, and a refused loopback port is not
retried for 20 s (issue 24: a wrong port spent 21.6 s on retries, then printed urllib3's
``Max retries exceeded with url``)."""

from __future__ import annotations

import socket

import pytest

from e20kit.errors import ConnectorRetriableError
from e20kit.http import HttpSettings, make_session


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_refused_loopback_port_is_one_line_and_not_retried() -> None:
    port = _closed_port()
    slept: list[float] = []
    session = make_session(
        "chat",
        base_url=f"http://127.0.0.1:{port}",
        settings=HttpSettings(retries=5),
        sleep=slept.append,
    )
    with pytest.raises(ConnectorRetriableError) as info:
        session.get("/api/v4/users/me")
    message = str(info.value)
    assert f"cannot reach 127.0.0.1:{port}: connection refused" in message
    assert "Max retries" not in message and "NewConnectionError" not in message
    assert "\n" not in message
    assert slept == [] and session.retry_count == 0

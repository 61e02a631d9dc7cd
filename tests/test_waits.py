"""Long waits print one line with the reason and an estimate (issue 24), at default verbosity,
not under -q, and not for the short pauses of ordinary pacing."""

from __future__ import annotations

import logging

import pytest

from e20kit.cli.common import State, progress_bar, say_wait
from e20kit.http.waits import NOTICE_S, announce_wait, wait_listener


def test_a_long_wait_prints_one_line_with_reason_and_estimate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with progress_bar(State(), "collecting"):  # not a terminal: the plain line
        announce_wait("m365: Microsoft 365 quota window full", 601.6)
        announce_wait("mm: pacing", NOTICE_S / 2)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert "m365: Microsoft 365 quota window full; waiting 601.6 s (until " in lines[0]


def test_quiet_runs_print_no_wait_line(capsys: pytest.CaptureFixture[str]) -> None:
    with wait_listener(say_wait(State(verbosity=-1))):
        announce_wait("m365: quota window full", 601.6)
    assert capsys.readouterr().err == ""


def test_without_a_listener_a_long_wait_is_an_info_line(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="e20kit.wait"):
        announce_wait("chat: X-Ratelimit-Reset", 30.0)
    assert "chat: X-Ratelimit-Reset; waiting 30.0 s" in caplog.text


def test_a_long_retry_after_is_announced_before_the_session_sleeps() -> None:
    from e20kit.http import HttpSettings, make_session
    from e20kit.sandbox import LoopbackServer, Request, Response

    answers = iter([Response(503, b"", {"Retry-After": "7"}), Response.json({"ok": True})])

    def app(_request: Request) -> Response:
        return next(answers)

    heard: list[tuple[str, float]] = []
    slept: list[float] = []
    with LoopbackServer(app) as server, wait_listener(lambda r, s: heard.append((r, s))):
        session = make_session(
            "wiki", base_url=server.url, settings=HttpSettings(retries=1), sleep=slept.append
        )
        assert session.get_json("/x") == {"ok": True}
    assert slept == [7.0]
    assert heard == [("wiki: HTTP 503, retrying", 7.0)]

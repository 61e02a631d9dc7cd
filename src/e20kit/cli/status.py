"""``e20kit status``: the store at a glance, for the admin who wonders whether cron still works."""

from __future__ import annotations

import datetime as dt
import sys

import click

from ..status import ConnectorStatus, Status
from ..wording import counted
from .common import State, emit, handle_errors, pass_state

SHOWN_VALUE = 48
"""Characters of a bookmark's value shown (cursors can be long; --json has all of it)."""
SHOWN_BOOKMARKS = 4
"""Bookmarks listed per connector (Mattermost keeps one per channel)."""


def _when(moment: dt.datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "never"


def _connector_lines(c: ConnectorStatus, stale_after: int) -> list[str]:
    if c.newest_day is None:
        data = "no data yet"
    else:
        age = "today" if c.age_days == 0 else f"{counted(c.age_days or 0, 'day')} old"
        flag = f": STALE, over stale_after_days = {stale_after}" if c.stale else ""
        data = f"data up to {c.newest_day} ({age}{flag})"
    line = f"{c.name} ({c.type}): last collect {_when(c.last_collect)}; {data}"
    if c.last_run is not None:
        ok = "ok" if c.last_run.get("ok") else "FAILED"
        retries = c.last_run.get("retries") or 0
        line += f"; last run {ok}" + (f", {counted(retries, 'retry')}" if retries else "")
    lines = [line]
    for b in c.bookmarks[:SHOWN_BOOKMARKS]:
        value = b.value if len(b.value) <= SHOWN_VALUE else b.value[:SHOWN_VALUE] + "…"
        lines.append(f"    bookmark {b.stream}: {value} (moved {_when(b.updated_at)})")
    more = len(c.bookmarks) - SHOWN_BOOKMARKS
    if more > 0:
        newest = max(b.updated_at for b in c.bookmarks)
        lines.append(
            f"    … and {counted(more, 'more bookmark')}, the newest moved {_when(newest)} "
            "(--json lists them all)"
        )
    if c.check is not None:
        lines.append(f"    credentials: {c.check}")
    return lines


def status_lines(status: Status) -> list[str]:
    """The text ``e20kit status`` prints."""
    lines: list[str] = []
    last = status.last_run
    if last is None:
        lines.append("last run: none recorded")
    else:
        code = "" if last.exit_code is None else f", exit {last.exit_code}"
        lines.append(
            f"last run: {last.command} finished {_when(last.finished_at)}: {last.status}{code}"
        )
    lock = status.lock
    if lock.held and lock.holder is not None:
        h = lock.holder
        lines.append(
            f"lock: held by {h.command} since {_when(h.started_at)} (pid {h.pid} on {h.host})"
        )
    else:
        lines.append("lock: free")
    if lock.stale_run is not None:
        s = lock.stale_run
        lines.append(
            f"  {s.command} started {_when(s.started_at)} (pid {s.pid} on {s.host}) never "
            "finished: it was killed or crashed; the next run resumes from the bookmarks"
        )
    pending = {kind: sum(states.values()) for kind, states in status.pending.items()}
    if pending:
        parts = ", ".join(f"{kind} {n}" for kind, n in sorted(pending.items()))
        lines.append(f"deliveries not confirmed: {parts} (retried on the next run)")
    else:
        lines.append("deliveries not confirmed: none")
    if not status.connectors:
        lines.append("connectors: none configured")
    for c in status.connectors:
        lines += _connector_lines(c, status.stale_after_days)
    return lines


@click.command("status")
@click.option(
    "--check",
    is_flag=True,
    help="Also try each connector's credentials and URL (asks for one person; stores nothing). "
    "Needs the platform secrets.",
)
@pass_state
@handle_errors
def status_cmd(state: State, check: bool) -> None:
    """Each connector's last collect, newest data day, staleness and bookmarks; the lock; messages
    not confirmed; the last run's exit code. Reads the store only: no platform secret needed.

    Exit code 6 when --check found a connector whose credentials or URL do not work.
    """
    status = state.kit().status(check=check)
    emit(state, status.as_dict(), lambda: click.echo("\n".join(status_lines(status))))
    if not status.ok:
        sys.exit(6)


__all__ = ["status_cmd", "status_lines"]

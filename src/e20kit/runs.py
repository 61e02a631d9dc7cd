"""The ``runs`` table: every command that held the store's lock, its outcome and exit code.

:meth:`e20kit.Kit.lock` records a row when the lock is taken (``running``) and completes it when
the lock is released (``ok``, ``failed`` or ``interrupted``, with the exit code the command
reported), so ``e20kit status`` can say what ran last, how it ended, and who holds the lock now.
The row holds no member data: the command, times, exit code, process id and host.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from .clock import utc
from .errors import E20KitError
from .results import CollectResult
from .store import schema

INTERRUPTED = 130


@dataclass
class RunRecord:
    """The row of the command holding the lock; set ``exit_code`` before the lock is released."""

    command: str
    id: int | None = None
    exit_code: int | None = None
    """What the command will exit with (0 when it raised nothing and set nothing)."""
    counts: dict[str, Any] = field(default_factory=dict)
    """Technical counts worth keeping (facts written, messages sent); never member data."""


@dataclass(frozen=True)
class RunRow:
    """One recorded run, as ``e20kit status`` shows it."""

    command: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    exit_code: int | None
    pid: int | None
    host: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "finished_at": self.finished_at.isoformat(timespec="seconds")
            if self.finished_at
            else None,
            "status": self.status,
            "exit_code": self.exit_code,
            "pid": self.pid,
            "host": self.host,
        }


@contextlib.contextmanager
def recorded(engine: sa.Engine, command: str) -> Iterator[RunRecord]:
    """Record the block as one run of ``command`` (call it while holding the store's lock)."""
    record = RunRecord(command)
    detail = {"pid": os.getpid(), "host": socket.gethostname()}
    with engine.begin() as conn:
        inserted = conn.execute(
            sa.insert(schema.runs).values(
                command=command,
                started_at=dt.datetime.now(dt.UTC),
                status="running",
                detail=detail,
            )
        )
        key = inserted.inserted_primary_key
        record.id = int(key[0]) if key else None
    status, code = "failed", 1
    try:
        yield record
        code = record.exit_code or 0
        status = "ok" if code == 0 else "failed"
    except KeyboardInterrupt:
        status, code = "interrupted", INTERRUPTED
        raise
    except E20KitError as err:
        code = err.exit_code
        raise
    finally:
        with engine.begin() as conn:
            conn.execute(
                sa.update(schema.runs)
                .where(schema.runs.c.id == record.id)
                .values(
                    finished_at=dt.datetime.now(dt.UTC),
                    status=status,
                    detail={**detail, "exit_code": code, **record.counts},
                )
            )


def collect_counts(result: CollectResult) -> dict[str, Any]:
    """What a run keeps of a collection: facts written, and per connector ok and retries."""
    return {
        "facts_written": result.facts_written,
        "connectors": {
            r.name: {"ok": r.ok, "retries": r.retries, "facts_written": r.facts_written}
            for r in result.runs
        },
    }


def _row(row: Any) -> RunRow:
    detail = row.detail if isinstance(row.detail, dict) else {}
    started = utc(row.started_at)
    assert started is not None
    return RunRow(
        command=row.command,
        started_at=started,
        finished_at=utc(row.finished_at),
        status=row.status,
        exit_code=detail.get("exit_code"),
        pid=detail.get("pid"),
        host=detail.get("host"),
    )


def last_runs(conn: sa.Connection) -> tuple[RunRow | None, RunRow | None]:
    """(the newest finished run, the newest run still marked running)."""
    runs = schema.runs.c
    columns = (runs.command, runs.started_at, runs.finished_at, runs.status, runs.detail)
    finished = conn.execute(
        sa.select(*columns)
        .where(runs.finished_at.is_not(None))
        .order_by(runs.finished_at.desc(), runs.id.desc())
        .limit(1)
    ).first()
    running = conn.execute(
        sa.select(*columns).where(runs.finished_at.is_(None)).order_by(runs.id.desc()).limit(1)
    ).first()
    return (
        _row(finished) if finished is not None else None,
        _row(running) if running is not None else None,
    )


__all__ = ["RunRecord", "RunRow", "collect_counts", "last_runs", "recorded"]

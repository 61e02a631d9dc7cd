"""What ``e20kit status`` shows: each connector's freshness and bookmarks, the lock, pending
deliveries and the last run, read from the store alone (no platform secret), and, on request,
a credential check per connector that collects nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .clock import utc
from .errors import E20KitError, LockError
from .lock import run_lock
from .runs import RunRow, last_runs
from .store import schema

if TYPE_CHECKING:
    from .clock import OrgClock
    from .config import Config
    from .plugins import Plugins

PENDING_STATES = ("pending", "failed", "unknown")
"""Ledger states of messages not (known to be) delivered: retried, or waiting for a human."""


@dataclass(frozen=True)
class StoredBookmark:
    stream: str
    value: str
    updated_at: dt.datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "stream": self.stream,
            "value": self.value,
            "updated_at": self.updated_at.isoformat(timespec="seconds"),
        }


@dataclass(frozen=True)
class ConnectorStatus:
    """One configured connector, from the store."""

    name: str
    type: str
    last_collect: dt.datetime | None
    """When a collection last listed its people (or moved a bookmark)."""
    newest_day: dt.date | None
    """The newest day it has activity facts for."""
    age_days: int | None
    """Days from ``newest_day`` to today (1: yesterday's data is the newest)."""
    stale: bool
    """``age_days`` above ``[analytics] stale_after_days`` (or no data at all)."""
    bookmarks: tuple[StoredBookmark, ...]
    last_run: dict[str, Any] | None
    """The last recorded run's result for it: ``ok``, ``retries`` (throttling shows here:
    quota windows themselves are not kept between runs)."""
    check: str | None = None
    """``--check``: ``ok``, or the error the platform answered with."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "last_collect": self.last_collect.isoformat(timespec="seconds")
            if self.last_collect
            else None,
            "newest_day": self.newest_day.isoformat() if self.newest_day else None,
            "age_days": self.age_days,
            "stale": self.stale,
            "bookmarks": [b.as_dict() for b in self.bookmarks],
            "last_run": self.last_run,
            "check": self.check,
        }


@dataclass(frozen=True)
class LockState:
    held: bool
    holder: RunRow | None
    """The run that holds it (command, start, pid, host), when it was recorded."""
    stale_run: RunRow | None = None
    """A run recorded as running although nobody holds the lock: it was killed or crashed."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "held": self.held,
            "holder": self.holder.as_dict() if self.holder else None,
            "unfinished_run": self.stale_run.as_dict() if self.stale_run else None,
        }


@dataclass(frozen=True)
class Status:
    """``kit.status()``: everything ``e20kit status`` prints."""

    today: dt.date
    stale_after_days: int
    connectors: tuple[ConnectorStatus, ...]
    lock: LockState
    pending: dict[str, dict[str, int]]
    """Undelivered messages by kind, then state (``pending``, ``failed``, ``unknown``)."""
    last_run: RunRow | None
    checked: bool = False

    @property
    def ok(self) -> bool:
        """No failed credential check."""
        return all(c.check in (None, "ok") for c in self.connectors)

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "stale_after_days": self.stale_after_days,
            "connectors": [c.as_dict() for c in self.connectors],
            "lock": self.lock.as_dict(),
            "pending_deliveries": self.pending,
            "last_run": self.last_run.as_dict() if self.last_run else None,
            "checked": self.checked,
            "ok": self.ok,
        }


def _bookmarks(conn: sa.Connection, name: str) -> tuple[StoredBookmark, ...]:
    b = schema.bookmarks.c
    rows = conn.execute(
        sa.select(b.stream, b.value, b.updated_at).where(b.connector == name).order_by(b.stream)
    )
    out = []
    for stream, value, updated in rows:
        at = utc(updated)
        assert at is not None
        out.append(StoredBookmark(stream, value, at))
    return tuple(out)


def _newest_day(conn: sa.Connection, name: str) -> dt.date | None:
    """Its newest fact's day, read down the primary key (which starts with the day)."""
    f = schema.facts.c
    day = conn.execute(
        sa.select(f.day).where(f.source == name).order_by(f.day.desc()).limit(1)
    ).scalar()
    return day if isinstance(day, dt.date) else None


def _last_listed(conn: sa.Connection, name: str) -> dt.datetime | None:
    i = schema.identities.c
    return utc(conn.execute(sa.select(sa.func.max(i.updated_at)).where(i.source == name)).scalar())


def _pending(conn: sa.Connection) -> dict[str, dict[str, int]]:
    led = schema.ledger.c
    out: dict[str, dict[str, int]] = {}
    rows = conn.execute(
        sa.select(led.kind, led.state, sa.func.count())
        .where(led.state.in_(PENDING_STATES))
        .group_by(led.kind, led.state)
    )
    for kind, state, n in rows:
        out.setdefault(str(kind), {})[str(state)] = int(n)
    return out


def _lock(engine: sa.Engine, running: RunRow | None) -> LockState:
    """Probe the lock only when a run is recorded as running (a probe holds it for an instant,
    so a cron run starting in that instant would find it taken)."""
    if running is None:
        return LockState(held=False, holder=None)
    try:
        with run_lock(engine, "status"):
            pass
    except LockError:
        return LockState(held=True, holder=running)
    return LockState(held=False, holder=None, stale_run=running)


def _last_detail(conn: sa.Connection) -> dict[str, Any]:
    """The counts of the newest finished collect or run (the last one that reached platforms)."""
    runs = schema.runs.c
    detail = conn.execute(
        sa.select(runs.detail)
        .where(runs.finished_at.is_not(None), runs.command.in_(("collect", "run", "demo")))
        .order_by(runs.finished_at.desc(), runs.id.desc())
        .limit(1)
    ).scalar()
    return detail if isinstance(detail, dict) else {}


def check_credentials(
    config: Config, plugins: Plugins, clock: OrgClock, names: Sequence[str]
) -> Iterator[tuple[str, str]]:
    """(connector, ``ok`` or the error) after asking each platform for its first person:
    the credentials and the URL are tried, nothing is stored."""
    from .collect import prepare_connectors

    for prepared in prepare_connectors(config, plugins, names or None, clock=clock):
        try:
            connector = prepared.type.factory(prepared.context)
            try:
                next(iter(connector.people()), None)
            finally:
                connector.close()
        except E20KitError as err:
            yield prepared.name, str(err)
        else:
            yield prepared.name, "ok"


def store_status(
    engine: sa.Engine, config: Config, plugins: Plugins, clock: OrgClock, *, check: bool = False
) -> Status:
    """What ``e20kit status`` shows; ``check`` also tries each connector's credentials."""
    settings = config.settings
    today = clock.today()
    stale_after = settings.analytics.stale_after_days
    checks = (
        dict(check_credentials(config, plugins, clock, list(settings.connectors))) if check else {}
    )
    with engine.connect() as conn:
        last, running = last_runs(conn)
        per_connector = _last_detail(conn).get("connectors") or {}
        connectors = []
        for name, table in settings.connectors.items():
            newest = _newest_day(conn, name)
            bookmarks = _bookmarks(conn, name)
            moments = [
                m for m in (_last_listed(conn, name), *(b.updated_at for b in bookmarks)) if m
            ]
            age = (today - newest).days if newest is not None else None
            connectors.append(
                ConnectorStatus(
                    name=name,
                    type=str(table.get("type", name)),
                    last_collect=max(moments) if moments else None,
                    newest_day=newest,
                    age_days=age,
                    stale=age is None or age > stale_after,
                    bookmarks=bookmarks,
                    last_run=per_connector.get(name),
                    check=checks.get(name),
                )
            )
        pending = _pending(conn)
    return Status(
        today=today,
        stale_after_days=stale_after,
        connectors=tuple(connectors),
        lock=_lock(engine, running),
        pending=pending,
        last_run=last,
        checked=check,
    )


__all__ = [
    "ConnectorStatus",
    "LockState",
    "Status",
    "StoredBookmark",
    "check_credentials",
    "store_status",
]

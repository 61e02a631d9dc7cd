"""Guarding destructive work against a wrong reference day or a system clock that jumped.

A retention purge deletes for good. It trusts neither a ``--today`` after the real clock (plus
``[collect] clock_skew_minutes``), nor a system clock that is behind the last collect's time
(bookmarks record when they were written), nor any reference that would delete more than
``[privacy] max_purge_share`` of the stored facts at once (a clock years ahead). Each refusal is
one :class:`ClockGuardError` naming the reason and ``--force``.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from .clock import OrgClock, utc
from .config import Settings
from .errors import E20KitError
from .store import schema


class ClockGuardError(E20KitError):
    """Destructive work refused: its reference day or the system clock cannot be trusted."""

    exit_code = 2


def skew(settings: Settings) -> dt.timedelta:
    """How far ahead of the real clock a time may be before it counts as in the future."""
    return dt.timedelta(minutes=settings.collect.clock_skew_minutes)


def real_today(clock: OrgClock, settings: Settings) -> dt.date:
    """The latest organisation day the real clock (plus the skew) allows."""
    return clock.today(clock.now() + skew(settings))


def last_collect_at(conn: sa.Connection) -> dt.datetime | None:
    """When a bookmark was last written (the real clock of the last collect that stored)."""
    newest = conn.execute(sa.select(sa.func.max(schema.bookmarks.c.updated_at))).scalar()
    return utc(newest) if isinstance(newest, dt.datetime) else None


def purge_refusal(
    engine: sa.Engine, settings: Settings, clock: OrgClock, *, today: dt.date
) -> str | None:
    """Why a retention purge against ``today`` must not run without ``--force``, or None."""
    now = clock.now()
    allowed = real_today(clock, settings)
    if today > allowed:
        return (
            f"the reference day {today} is after the real clock's day ({clock.today(now)}); "
            "a purge against it would delete data that is still inside the retention window"
        )
    with engine.connect() as conn:
        last = last_collect_at(conn)
        if last is not None and now + skew(settings) < last:
            return (
                f"the system clock ({now:%Y-%m-%d %H:%M} UTC) is behind the last collect "
                f"({last:%Y-%m-%d %H:%M} UTC): it may have jumped"
            )
        days = settings.privacy.retention_days
        if not days:
            return None
        cutoff = today - dt.timedelta(days=days)
        facts = schema.facts
        total = conn.execute(sa.select(sa.func.count()).select_from(facts)).scalar() or 0
        if not total:
            return None
        doomed = (
            conn.execute(
                sa.select(sa.func.count()).select_from(facts).where(facts.c.day < cutoff)
            ).scalar()
            or 0
        )
    share = settings.privacy.max_purge_share
    if doomed / total > share:
        return (
            f"it would delete {doomed} of {total} stored facts ({doomed / total:.0%}, days "
            f"before {cutoff}), more than privacy.max_purge_share = {share:g} allows; check "
            "the system clock, --today and privacy.retention_days"
        )
    return None


def refuse_purge(engine: sa.Engine, settings: Settings, clock: OrgClock, *, today: dt.date) -> None:
    """Raise :class:`ClockGuardError` when :func:`purge_refusal` finds a reason."""
    reason = purge_refusal(engine, settings, clock, today=today)
    if reason is not None:
        raise ClockGuardError(
            f"retention purge refused: {reason}; nothing was purged (pass --force to purge anyway)",
            today=today,
        )


__all__ = [
    "ClockGuardError",
    "last_collect_at",
    "purge_refusal",
    "real_today",
    "refuse_purge",
    "skew",
]

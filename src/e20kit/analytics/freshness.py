"""As-of days: up to which day each platform's data is complete, and whether it is stale.

A day's data is complete once a collection ran after it ended: the as-of day of a platform is
its newest day with activity, but never the day of its last collection or later (that day's
facts were still coming in). Default periods end on the newest as-of day, not on the wall
clock's today, so a report never shows empty days as a drop in use.

The other end matters too: a platform whose data begins after the previous period's start
(connected recently, or its API reaches back only so far: Microsoft's reports keep 28 days)
makes every change against the previous period partly data arriving, not use growing; that
platform is flagged ``short_history``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..store import schema
from .period import Period


@dataclass(frozen=True)
class PlatformAsOf:
    """How current one platform's data is."""

    platform: str
    newest_day: dt.date | None
    """The newest day with any activity fact (``None``: no facts at all)."""
    oldest_day: dt.date | None
    """The oldest day with any activity fact: before it the platform has no history (Microsoft
    365 reports, for instance, reach back 30 to 180 days), which is not a quiet time."""
    collected_on: dt.date | None
    """The day (organisation time) of the last collection that listed the platform's people."""
    as_of: dt.date | None
    """The newest day whose data is complete: ``newest_day``, but before ``collected_on``."""
    age_days: int | None
    """Days from ``as_of`` to the report's today (1 = yesterday's data is the newest)."""
    stale: bool
    """``age_days`` above ``[analytics] stale_after_days``: its connector stopped delivering."""
    partial: bool
    """The period ends after ``as_of``: its last days have no data from this platform yet."""
    short_history: bool = False
    """Its data begins after the previous period's first day: the changes against the
    previous period count this platform's arrival, not only a change in use."""


def platforms_as_of(
    conn: sa.Connection,
    *,
    today: dt.date,
    timezone: str,
    stale_after_days: int,
    period: Period | None = None,
) -> tuple[PlatformAsOf, ...]:
    """Every platform's as-of day, from the day totals (no fact is read) and the identities."""
    totals, ident = schema.day_totals, schema.identities
    spans = {
        platform: (oldest, newest)
        for platform, oldest, newest in conn.execute(
            sa.select(
                totals.c.platform, sa.func.min(totals.c.day), sa.func.max(totals.c.day)
            ).group_by(totals.c.platform)
        ).all()
    }
    collected = dict(
        conn.execute(
            sa.select(ident.c.platform, sa.func.max(ident.c.updated_at)).group_by(ident.c.platform)
        ).all()
    )
    zone = ZoneInfo(timezone)
    out = []
    for platform in sorted(set(spans) | set(collected)):
        oldest, newest = spans.get(platform, (None, None))
        day = _date(newest)
        at = collected.get(platform)
        on = _aware(at).astimezone(zone).date() if isinstance(at, dt.datetime) else None
        as_of = day if day is None or on is None else min(day, on - dt.timedelta(days=1))
        age = (today - as_of).days if as_of is not None else None
        out.append(
            PlatformAsOf(
                platform=str(platform),
                newest_day=day,
                oldest_day=_date(oldest),
                collected_on=on,
                as_of=as_of,
                age_days=age,
                stale=age is None or age > stale_after_days,
                partial=False,
            )
        )
    return for_period(tuple(out), period) if period is not None else tuple(out)


def for_period(as_of: tuple[PlatformAsOf, ...], period: Period) -> tuple[PlatformAsOf, ...]:
    """``as_of`` with ``partial`` and ``short_history`` set for ``period``."""
    previous = period.previous().start
    return tuple(
        dataclasses.replace(
            p,
            partial=p.as_of is None or p.as_of < period.last_day,
            short_history=p.oldest_day is not None and p.oldest_day > previous,
        )
        for p in as_of
    )


def data_today(as_of: tuple[PlatformAsOf, ...]) -> dt.date | None:
    """The "today" a default period ends before: the day after the newest as-of day."""
    days = [p.as_of for p in as_of if p.as_of is not None]
    return max(days) + dt.timedelta(days=1) if days else None


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):  # SQLite hands back an aggregate's date as text
        return dt.date.fromisoformat(value[:10])
    return None


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


__all__ = ["PlatformAsOf", "data_today", "for_period", "platforms_as_of"]

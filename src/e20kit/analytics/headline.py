"""Headline figures of a period: participation, creators, stickiness, inequality.

The store rolls facts up to one row per active member (and platform); only those small rows
(active days, contributions, helping contributions, features) come back, without member keys.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from ..store import schema
from .activity import BlockSeries, block_series, full_blocks, with_member_days
from .inequality import inequality
from .model import Headline, Inequality, TimePoint
from .period import Period
from .scratch import Scratch, inline
from .sql import members, ratio

MemberRow = tuple[int, int, int, int]
"""(active days, contributions, helping contributions, distinct features) of one member."""


def member_rollup(
    conn: sa.Connection,
    start: dt.date,
    end: dt.date,
    *,
    by_platform: bool = False,
    src: Scratch | None = None,
) -> dict[str | None, list[MemberRow]]:
    """One row per member active in ``[start, end)`` (per platform with ``by_platform``).

    Reads ``src`` when given, else the store's facts directly.
    """
    if src is None:
        src = inline(start, end)
    group: list[sa.ColumnElement[object]] = [src.rows.c.member_key]
    if by_platform:
        group.insert(0, src.rows.c.platform)
    stmt = (
        sa.select(
            *([src.rows.c.platform] if by_platform else []),
            sa.func.count(sa.distinct(src.rows.c.d)),
            sa.func.sum(src.rows.c.con),
            sa.func.sum(src.rows.c.hlp),
            sa.func.count(sa.distinct(src.rows.c.feature)),
        )
        .where(src.in_span(start, end))
        .group_by(*group)
    )
    out: dict[str | None, list[MemberRow]] = defaultdict(list)
    for row in conn.execute(stmt).yield_per(5000):
        if by_platform:
            out[row[0]].append((int(row[1]), int(row[2] or 0), int(row[3] or 0), int(row[4])))
        else:
            out[None].append((int(row[0]), int(row[1] or 0), int(row[2] or 0), int(row[3])))
    return out


def members_on_record(conn: sa.Connection, end: dt.date) -> int:
    """Members not deactivated who had joined by ``end`` (or whose joining day is unknown)."""
    stmt = sa.select(sa.func.count()).where(
        members.c.active == sa.true(),
        sa.or_(members.c.joined_on.is_(None), members.c.joined_on < end),
    )
    return int(conn.execute(stmt).scalar_one())


def platform_members(conn: sa.Connection) -> dict[str, int]:
    """Members with an active account on each platform."""
    ident = schema.identities
    stmt = (
        sa.select(ident.c.platform, sa.func.count(sa.distinct(ident.c.member_key)))
        .where(ident.c.active == sa.true())
        .group_by(ident.c.platform)
    )
    return {str(p): int(n) for p, n in conn.execute(stmt)}


@dataclass(frozen=True)
class Series:
    daily: BlockSeries
    weekly: BlockSeries
    monthly: BlockSeries


def series_start(period: Period) -> dt.date:
    """The first day :func:`series` reads (a short period still gets a whole week and month)."""
    days = max(period.days, 7 * full_blocks(period.days, 7), 30 * full_blocks(period.days, 30))
    return period.end - dt.timedelta(days=days)


def series(
    conn: sa.Connection,
    period: Period,
    *,
    by_platform: bool = False,
    src: Scratch | None = None,
    weekly_blocks: sa.Table | None = None,
) -> dict[str | None, Series]:
    """Daily, weekly (full 7-day blocks) and monthly (full 30-day blocks) active members.

    Key ``None`` is across platforms; ``by_platform`` adds one key per active platform.

    Reads ``src`` when given, else the store's facts directly;
    ``weekly_blocks`` is the period's :func:`.blocks.member_blocks` of full weeks, if at hand.
    """
    if src is None:
        src = inline(series_start(period), period.end)
    weeks, months = full_blocks(period.days, 7), full_blocks(period.days, 30)
    span = max(period.days, 7 * weeks)  # a period under 7 days still gets one whole week
    daily = block_series(conn, src, period.end, 1, span, platforms=by_platform)
    weekly = block_series(
        conn, src, period.end, 7, weeks, platforms=by_platform, prebuilt=weekly_blocks
    )
    monthly = block_series(conn, src, period.end, 30, months, platforms=by_platform)
    empty_d = _empty(period.end, 1, span)
    empty_w = _empty(period.end, 7, weeks)
    empty_m = _empty(period.end, 30, months)
    out = {}
    for key in set(daily) | set(weekly) | set(monthly):
        days = daily.get(key, empty_d)
        in_period = days.points[span - period.days :]
        out[key] = Series(
            BlockSeries(in_period, sum(p.active for p in in_period)),
            with_member_days(weekly.get(key, empty_w), days),
            monthly.get(key, empty_m),
        )
    return out


def _empty(end: dt.date, size: int, count: int) -> BlockSeries:
    points = tuple(
        TimePoint(end - dt.timedelta(days=size * (i + 1)), size, 0, 0, 0)
        for i in range(count - 1, -1, -1)
    )
    return BlockSeries(points, 0)


def _mean(points: Sequence[TimePoint]) -> float:
    return sum(p.active for p in points) / len(points) if points else 0.0


def build_headline(
    population: int, rows: Sequence[MemberRow], blocks: Series, *, lorenz_points: int = 20
) -> tuple[Headline, Inequality]:
    """Headline and inequality from per-member rows and the block series."""
    active = len(rows)
    creators = sum(1 for r in rows if r[1] > 0)
    contributions_total = sum(r[1] for r in rows)
    helping_total = sum(r[2] for r in rows)
    dau = _mean(blocks.daily.points)
    mau = _mean(blocks.monthly.points)
    weekly_active = sum(p.active for p in blocks.weekly.points)
    ineq = inequality((r[1] for r in rows), points=lorenz_points)
    headline = Headline(
        members=population,
        active_members=active,
        participation_rate=ratio(min(active, population), population),
        dau=dau,
        wau=_mean(blocks.weekly.points),
        mau=mau,
        stickiness=ratio(dau, mau),
        creators=creators,
        consumers=active - creators,
        creator_share=ratio(creators, active),
        consumer_share=ratio(active - creators, active),
        contributions=contributions_total,
        helping_share=ratio(helping_total, contributions_total),
        active_days_per_week=ratio(blocks.weekly.member_days, weekly_active),
        features_per_member=ratio(sum(r[3] for r in rows), active),
        gini=ineq.gini,
        top1_share=ineq.top1_share,
        top10_share=ineq.top10_share,
    )
    return headline, ineq


__all__ = [
    "MemberRow",
    "Series",
    "build_headline",
    "member_rollup",
    "members_on_record",
    "platform_members",
    "series",
    "series_start",
]

"""Newcomers: retention by joining-week cohort, week-1 drop-out and newcomer creators.

Week 1 is the joining week: days 0-6 after ``members.joined_on``; week ``n`` is days
``7(n-1)`` to ``7n - 1``. A week is only reported once every member of the cohort has lived
through it before the period's end; small cohorts are suppressed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa

from .model import Cohort, Newcomers
from .period import Period
from .permember import MemberFacts
from .scratch import Scratch, lit
from .sql import block, members, ratio

RETENTION_WEEKS = (1, 4, 8, 12)


def cohorts(
    conn: sa.Connection, src: Scratch, period: Period, *, weeks: int, k: int
) -> tuple[Cohort, ...]:
    """Cohorts of the ``weeks`` 7-day blocks before the period's end, oldest first."""
    end = period.end
    first = end - dt.timedelta(days=7 * weeks)
    cohort = block(end, 7, members.c.joined_on)
    joined = sa.and_(members.c.joined_on >= first, members.c.joined_on < end)
    sizes = {
        int(index): int(n)
        for index, n in conn.execute(
            sa.select(cohort, sa.func.count()).where(joined).group_by(cohort)
        )
    }
    offset = src.days_since(members.c.joined_on)
    week = offset // lit(7) + lit(1)
    stmt = (
        sa.select(cohort, week, sa.func.count(sa.distinct(src.rows.c.member_key)))
        .select_from(src.rows.join(members, members.c.member_key == src.rows.c.member_key))
        .where(
            joined,
            src.in_span(first, end),
            offset >= lit(0),
            offset < lit(7 * max(RETENTION_WEEKS)),
        )
        .group_by(cohort, week)
    )
    active: dict[int, dict[int, int]] = defaultdict(dict)
    for index, week_no, n in conn.execute(stmt):
        active[int(index)][int(week_no)] = int(n)
    out: list[Cohort] = []
    base = dict.fromkeys(RETENTION_WEEKS, 0)
    retained = dict.fromkeys(RETENTION_WEEKS, 0)
    for index in range(weeks - 1, -1, -1):
        start = end - dt.timedelta(days=7 * (index + 1))
        size = sizes.get(index, 0)
        if size == 0:
            continue
        retention: dict[int, float | None] = {}
        for w in RETENTION_WEEKS:
            seen = start + dt.timedelta(days=6 + 7 * w) <= end
            retention[w] = ratio(active[index].get(w, 0), size) if seen and size >= k else None
            if seen:
                base[w] += size
                retained[w] += active[index].get(w, 0)
        out.append(Cohort(start, size, retention, suppressed=size < k))
    if not out:
        return ()
    # Weekly cohorts are often smaller than k; all of them together usually are not.
    total = sum(c.size for c in out)
    pooled = {w: ratio(retained[w], base[w]) if base[w] >= k else None for w in RETENTION_WEEKS}
    return (Cohort(out[0].week_start, total, pooled, suppressed=total < k, pooled=True), *out)


def newcomers(
    conn: sa.Connection,
    src: Scratch,
    period: Period,
    *,
    newcomer_days: int,
    k: int,
    period_active: Sequence[MemberFacts],
) -> Newcomers:
    """Newcomer activity in the period, and who dropped out after their first week."""
    end = period.end
    since = end - dt.timedelta(days=newcomer_days)
    joined = sa.and_(members.c.joined_on >= since, members.c.joined_on < end)
    total = int(conn.execute(sa.select(sa.func.count()).where(joined)).scalar_one())
    active = sum(1 for m in period_active if m.newcomer)
    creators = sum(1 for m in period_active if m.newcomer and m.creator)
    offset = src.days_since(members.c.joined_on)
    observable = sa.and_(joined, members.c.joined_on <= end - dt.timedelta(days=28))
    early = (
        sa.select(
            src.rows.c.member_key,
            sa.func.max(sa.case((offset < lit(7), 1), else_=0)).label("w1"),
            sa.func.max(sa.case((offset >= lit(7), 1), else_=0)).label("later"),
        )
        .select_from(src.rows.join(members, members.c.member_key == src.rows.c.member_key))
        .where(
            observable,
            offset >= lit(0),
            src.in_span(since, end),
            offset < lit(28),
        )
        .group_by(src.rows.c.member_key)
        .subquery()
    )
    week1, dropped = conn.execute(
        sa.select(
            sa.func.sum(early.c.w1),
            sa.func.sum(sa.case((sa.and_(early.c.w1 == 1, early.c.later == 0), 1), else_=0)),
        )
    ).one()
    week1, dropped = int(week1 or 0), int(dropped or 0)
    small = total < k
    return Newcomers(
        newcomers=total,
        active=active,
        creators=creators,
        creator_share=None if small else ratio(creators, active),
        week1_active=week1,
        dropped=dropped,
        dropout=None if small or week1 < k else ratio(dropped, week1),
    )


__all__ = ["RETENTION_WEEKS", "cohorts", "newcomers"]

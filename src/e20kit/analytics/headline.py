"""Headline figures of a period: participation, creators, stickiness, inequality.

Per-member figures (active days, contributions, features) come from the
day bytes of :mod:`.cube` and the contribution sums of :mod:`.contributions`; only those small
rows are combined here, without member keys.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import sqlalchemy as sa

from ..store import schema
from .activity import (
    BlockSeries,
    DayFlags,
    block_series,
    full_blocks,
    iso_weeks,
    lead_days,
    whole_points,
    with_member_days,
)
from .contributions import per_member
from .cube import Bytes, Cube, Ints, active_days, features_used
from .inequality import inequality
from .model import Headline, Inequality, TimePoint
from .period import Period
from .sql import ratio
from .totals import DayTotals


@dataclass(frozen=True)
class MemberRows:
    """Per active member (no keys): active days, contributions and distinct features, as
    parallel arrays."""

    days: Ints
    contributions: Ints
    features: Ints

    @classmethod
    def of(cls, days: Bytes, con: Ints) -> MemberRows:
        """The rows of ``days`` (one row of day bytes each) with any activity."""
        counted = active_days(days)
        active = counted > 0
        return cls(counted[active], con[active], features_used(days)[active])

    def __len__(self) -> int:
        return len(self.days)


def member_rollup(
    cube: Cube,
    start: dt.date,
    end: dt.date,
    contributions: Ints,
    *,
    by_platform: bool = False,
) -> dict[str | None, MemberRows]:
    """The members active in ``[start, end)`` (per platform with ``by_platform``).

    ``contributions`` are the pairs' contributions in the same days.
    """
    cols = cube.cols(start, end)
    con = contributions
    if not by_platform:
        return {None: MemberRows.of(cube.members[:, cols], per_member(cube, con))}
    out: dict[str | None, MemberRows] = {}
    for i, name in enumerate(cube.platforms):
        mine = cube.pair_platform == i
        rows = MemberRows.of(cube.by_platform[name][:, cols], con[mine])
        if len(rows):
            out[name] = rows
    return out


def platform_members(
    conn: sa.Connection, people: Mapping[str, OnRecord], end: dt.date
) -> dict[str, int]:
    """Members on record at ``end`` (the headline's rule) with an active account per platform."""
    ident = schema.identities
    stmt = (
        sa.select(ident.c.platform, ident.c.member_key)
        .where(ident.c.active == sa.true())
        .distinct()
    )
    counts: Counter[str] = Counter()
    for platform, key in conn.execute(stmt):
        person = people.get(str(key))
        if person is not None and person.on_record(end):
            counts[str(platform)] += 1
    return dict(counts)


class OnRecord(Protocol):
    """A member as :class:`~e20kit.analytics.permember.Member` (which imports this module)."""

    def on_record(self, end: dt.date) -> bool: ...


@dataclass(frozen=True)
class Series:
    daily: BlockSeries
    weekly: BlockSeries
    monthly: BlockSeries


def series_start(period: Period) -> dt.date:
    """The first day :func:`series` reads: the period's (a period shorter than a week or a
    month still gets one whole week or month)."""
    days = max(period.days, 7 * full_blocks(period.days, 7), 30 * full_blocks(period.days, 30))
    return period.end - dt.timedelta(days=days)


def series(
    cube: Cube, totals: DayTotals, period: Period, *, by_platform: bool = False
) -> dict[str | None, Series]:
    """Daily, weekly (ISO weeks, Monday to Sunday) and monthly (30-day blocks) active members.

    Blocks cover every day of the period: weeks that the period cuts are partial blocks at
    either end (see :class:`~.activity.Weeks`), and 30-day blocks are counted back from the
    period's end with a partial first one when the length does not divide; each point's
    ``days`` say how long it is. Key ``None`` is across platforms; ``by_platform`` adds one key
    per platform of the cube.
    """
    weeks = iso_weeks(period.start, period.end)
    months, month_lead = full_blocks(period.days, 30), lead_days(period.days, 30)
    span = max(period.days, 7 * full_blocks(period.days, 7))  # under 7 days: one whole week
    start = series_start(period)
    out = {}
    for key in [None, *(cube.platforms if by_platform else ())]:
        flags = DayFlags.of(cube, totals, key, start, period.end)
        days = block_series(flags, 1, span)
        in_period = days.points[span - period.days :]
        out[key] = Series(
            BlockSeries(in_period, sum(p.active or 0 for p in in_period)),
            with_member_days(block_series(flags, 7, weeks.count, weeks.lead, weeks.tail), days),
            block_series(flags, 30, months, month_lead),
        )
    return out


def _mean(points: Sequence[TimePoint]) -> float:
    return sum(p.active or 0 for p in points) / len(points) if points else 0.0


def build_headline(
    population: int, rows: MemberRows, blocks: Series, *, helping: int, lorenz_points: int = 20
) -> tuple[Headline, Inequality]:
    """Headline and inequality from the active members' rows and the block series;
    ``helping`` is the period's total of helping contributions."""
    active = len(rows)
    creators = int(np.count_nonzero(rows.contributions > 0))
    contributions_total = int(rows.contributions.sum())
    dau = _mean(blocks.daily.points)
    mau = _mean(whole_points(blocks.monthly.points, 30))
    # a member active in a partial block counts for the block's share of a week
    week_exposure = sum((p.active or 0) * p.days for p in blocks.weekly.points) / 7
    ineq = inequality(rows.contributions, points=lorenz_points)
    headline = Headline(
        members=population,
        active_members=active,
        participation_rate=ratio(min(active, population), population),
        dau=dau,
        wau=_mean(whole_points(blocks.weekly.points, 7)),
        mau=mau,
        stickiness=ratio(dau, mau),
        creators=creators,
        consumers=active - creators,
        creator_share=ratio(creators, active),
        consumer_share=ratio(active - creators, active),
        contributions=contributions_total,
        helping_share=ratio(helping, contributions_total),
        active_days_per_week=ratio(blocks.weekly.member_days, week_exposure),
        features_per_member=ratio(int(rows.features.sum()), active),
        gini=ineq.gini,
        top1_share=ineq.top1_share,
        top10_share=ineq.top10_share,
    )
    return headline, ineq


__all__ = [
    "MemberRows",
    "Series",
    "build_headline",
    "member_rollup",
    "platform_members",
    "series",
    "series_start",
]

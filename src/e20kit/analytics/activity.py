"""Active members by day, 7-day and 30-day block, per platform or across platforms.

Counts come from the day bytes of :mod:`.cube` (a member active on two platforms counts once
across platforms) and the contribution sums from :mod:`.totals`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ..store.rollup import CREATOR
from .cube import Cube, Flags, Ints, block_activity, has_bits
from .model import TimePoint
from .totals import DayTotals


@dataclass(frozen=True)
class BlockSeries:
    """Blocks of one size, oldest first, plus the member-days behind them."""

    points: tuple[TimePoint, ...]
    member_days: int
    """Sum over blocks of the distinct active days of each member active in the block."""


@dataclass(frozen=True)
class DayFlags:
    """One key's (a platform's, or all platforms') members by day over ``[start, end)``:
    active at all, and contributing; plus the day's contributions."""

    start: dt.date
    end: dt.date
    active: Flags
    creators: Flags
    contributions: Ints

    @classmethod
    def of(
        cls, cube: Cube, totals: DayTotals, key: str | None, start: dt.date, end: dt.date
    ) -> DayFlags:
        days = cube.rows(key)[:, cube.cols(start, end)]
        daily = totals.contributions.get(key)
        con = (
            daily[totals.cols(start, end)]
            if daily is not None
            else np.zeros((end - start).days, dtype=np.int64)
        )
        return cls(start, end, days != 0, has_bits(days, CREATOR), con)


def block_series(flags: DayFlags, size: int, count: int, lead: int = 0) -> BlockSeries:
    """``count`` blocks of ``size`` days ending where ``flags`` end, oldest first, after a
    partial first block of ``lead`` days (none when 0) so that every day is read.

    ``member_days`` is only filled for daily blocks (it is the sum of their active members);
    :func:`with_member_days` fills it for longer blocks.
    """
    whole = flags.end - dt.timedelta(days=size * count)
    cols = slice((whole - flags.start).days, None)
    active = block_activity(flags.active[:, cols], size, count)
    creators = block_activity(flags.creators[:, cols], size, count)
    con = flags.contributions[cols].reshape(count, size).sum(axis=1)
    points = [
        TimePoint(
            whole + dt.timedelta(days=size * i),
            size,
            int(active[i]),
            int(creators[i]),
            int(con[i]),
        )
        for i in range(count)
    ]
    if lead:
        first = (whole - flags.start).days - lead
        part = slice(first, first + lead)
        points.insert(
            0,
            TimePoint(
                whole - dt.timedelta(days=lead),
                lead,
                int(np.count_nonzero(flags.active[:, part].any(axis=1))),
                int(np.count_nonzero(flags.creators[:, part].any(axis=1))),
                int(flags.contributions[part].sum()),
            ),
        )
    return BlockSeries(tuple(points), int(active.sum()) if size == 1 else 0)


def with_member_days(blocks: BlockSeries, daily: BlockSeries) -> BlockSeries:
    """``blocks`` with the member-days of the daily series falling inside them.

    A member's distinct active days in a block add up over days to the block's sum of daily
    active members, so no extra pass is needed.
    """
    if not blocks.points:
        return blocks
    first = blocks.points[0].start
    last = blocks.points[-1].start + dt.timedelta(days=blocks.points[-1].days)
    days = sum(p.active for p in daily.points if first <= p.start < last)
    return BlockSeries(blocks.points, days)


def full_blocks(days: int, size: int) -> int:
    """How many whole blocks of ``size`` fit in ``days`` (at least one)."""
    return max(1, days // size)


def lead_days(days: int, size: int) -> int:
    """Days of the partial first block that, with :func:`full_blocks`, covers every one of
    ``days`` (0 when they divide, or when ``days`` is shorter than one block, which then gets
    one whole block ending with the period)."""
    return days % size if days >= size else 0


def whole_points(points: tuple[TimePoint, ...], size: int) -> list[TimePoint]:
    """The points of whole blocks only (averages over blocks leave a partial one out)."""
    return [p for p in points if p.days == size]


__all__ = [
    "BlockSeries",
    "block_series",
    "full_blocks",
    "lead_days",
    "whole_points",
    "with_member_days",
]

"""Active members by day, ISO week and 30-day block, per platform or across platforms.

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


def _partial(flags: DayFlags, start: dt.date, days: int) -> TimePoint:
    """One block of ``days`` (fewer than a whole block) from ``start``."""
    first = (start - flags.start).days
    part = slice(first, first + days)
    return TimePoint(
        start,
        days,
        int(np.count_nonzero(flags.active[:, part].any(axis=1))),
        int(np.count_nonzero(flags.creators[:, part].any(axis=1))),
        int(flags.contributions[part].sum()),
    )


def block_series(
    flags: DayFlags, size: int, count: int, lead: int = 0, tail: int = 0
) -> BlockSeries:
    """``count`` blocks of ``size`` days, oldest first, between a partial first block of
    ``lead`` days and a partial last block of ``tail`` days (none when 0) that ends where
    ``flags`` end, so that every day is read.

    ``member_days`` is only filled for daily blocks (it is the sum of their active members);
    :func:`with_member_days` fills it for longer blocks.
    """
    whole_end = flags.end - dt.timedelta(days=tail)
    whole = whole_end - dt.timedelta(days=size * count)
    cols = slice((whole - flags.start).days, (whole_end - flags.start).days)
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
        points.insert(0, _partial(flags, whole - dt.timedelta(days=lead), lead))
    if tail:
        points.append(_partial(flags, whole_end, tail))
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
    days = sum(p.active or 0 for p in daily.points if first <= p.start < last)
    return BlockSeries(blocks.points, days)


def full_blocks(days: int, size: int) -> int:
    """How many whole blocks of ``size`` fit in ``days`` (at least one)."""
    return max(1, days // size)


def lead_days(days: int, size: int) -> int:
    """Days of the partial first block that, with :func:`full_blocks`, covers every one of
    ``days`` (0 when they divide, or when ``days`` is shorter than one block, which then gets
    one whole block ending with the period)."""
    return days % size if days >= size else 0


@dataclass(frozen=True)
class Weeks:
    """How a period splits into ISO weeks (Monday to Sunday), the weeks people plan in.

    ``count`` whole weeks start on the Monday ``first``; the ``lead`` days before it are a
    partial first week and the ``tail`` days after the last whole week a partial last week, so
    every day of the period is in exactly one block. A period shorter than a week gets one
    whole 7-day block ending with it (reaching back before its start), and a period of 7 to 12
    days that holds no whole ISO week gets 7-day blocks counted back from its end (a partial
    first one when the length does not divide): a weekly figure always has a whole week.
    """

    first: dt.date
    count: int
    lead: int = 0
    tail: int = 0

    @property
    def start(self) -> dt.date:
        """The first day a block covers."""
        return self.first - dt.timedelta(days=self.lead)

    @property
    def end(self) -> dt.date:
        """The day after the last block."""
        return self.first + dt.timedelta(days=7 * self.count + self.tail)

    def bounds(self) -> list[tuple[dt.date, dt.date]]:
        """Each block's ``[start, end)``, oldest first, partial ones included."""
        whole_end = self.first + dt.timedelta(days=7 * self.count)
        out = [
            (self.first + dt.timedelta(days=7 * i), self.first + dt.timedelta(days=7 * i + 7))
            for i in range(self.count)
        ]
        if self.lead:
            out.insert(0, (self.start, self.first))
        if self.tail:
            out.append((whole_end, self.end))
        return out


def iso_weeks(start: dt.date, end: dt.date) -> Weeks:
    """The :class:`Weeks` of the days ``[start, end)``."""
    days = (end - start).days
    first = start + dt.timedelta(days=-start.weekday() % 7)  # the first Monday on or after
    last = end - dt.timedelta(days=end.weekday())  # the last Monday on or before the end
    count = (last - first).days // 7
    if count > 0:
        return Weeks(first, count, (first - start).days, (end - last).days)
    whole = full_blocks(days, 7)  # no whole ISO week in the period: count back from its end
    return Weeks(end - dt.timedelta(days=7 * whole), whole, lead_days(days, 7))


def whole_points(points: tuple[TimePoint, ...], size: int) -> list[TimePoint]:
    """The points of whole blocks only (averages over blocks leave a partial one out)."""
    return [p for p in points if p.days == size]


__all__ = [
    "BlockSeries",
    "Weeks",
    "block_series",
    "full_blocks",
    "iso_weeks",
    "lead_days",
    "whole_points",
    "with_member_days",
]

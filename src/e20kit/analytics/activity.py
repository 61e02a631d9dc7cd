"""Active members by day, 7-day and 30-day block, per platform or across platforms.

Counts come from the day bytes of :mod:`.cube` (a member active on two platforms counts once
across platforms) and the contribution sums from :mod:`.totals`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..store.rollup import CREATOR
from .cube import Cube, block_activity
from .model import TimePoint
from .totals import DayTotals


@dataclass(frozen=True)
class BlockSeries:
    """Blocks of one size, oldest first, plus the member-days behind them."""

    points: tuple[TimePoint, ...]
    member_days: int
    """Sum over blocks of the distinct active days of each member active in the block."""


def block_series(
    cube: Cube, totals: DayTotals, end: dt.date, size: int, count: int, *, platforms: bool
) -> dict[str | None, BlockSeries]:
    """``count`` blocks of ``size`` days ending at ``end`` (exclusive), oldest first.

    Key ``None`` is across platforms; with ``platforms`` every platform active in the cube has
    its own key too. ``member_days`` is only filled for daily blocks (it is the sum of their
    active members); :func:`with_member_days` fills it for longer blocks.
    """
    start = end - dt.timedelta(days=size * count)
    cols = cube.cols(start, end)
    keys: list[str | None] = [None, *(cube.platforms if platforms else ())]
    out: dict[str | None, BlockSeries] = {}
    for key in keys:
        rows = cube.rows(key)[:, cols]
        active = block_activity(rows, size, count)
        creators = block_activity(rows, size, count, CREATOR)
        daily_con = totals.contributions.get(key)
        con = (
            daily_con[totals.cols(start, end)].reshape(count, size).sum(axis=1)
            if daily_con is not None
            else [0] * count
        )
        points = tuple(
            TimePoint(
                start + dt.timedelta(days=size * i),
                size,
                int(active[i]),
                int(creators[i]),
                int(con[i]),
            )
            for i in range(count)
        )
        member_days = int(active.sum()) if size == 1 else 0
        out[key] = BlockSeries(points, member_days)
    return out


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


__all__ = ["BlockSeries", "block_series", "full_blocks", "with_member_days"]

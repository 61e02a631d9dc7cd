"""Active members by day, 7-day and 30-day block, per platform or across platforms.

One query per block size: ``count(DISTINCT member_key)`` per block inside the store, one row per
block (and platform) back, read from the narrow copy of the facts (:mod:`.scratch`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .blocks import Counts, block_counts, member_blocks
from .model import TimePoint
from .scratch import Scratch


@dataclass(frozen=True)
class BlockSeries:
    """Blocks of one size, oldest first, plus the member-days behind them."""

    points: tuple[TimePoint, ...]
    member_days: int
    """Sum over blocks of the distinct active days of each member active in the block."""


def block_series(
    conn: sa.Connection,
    src: Scratch,
    end: dt.date,
    size: int,
    count: int,
    *,
    platforms: bool = False,
    prebuilt: sa.Table | None = None,
) -> dict[str | None, BlockSeries]:
    """``count`` blocks of ``size`` days ending at ``end`` (exclusive), oldest first.

    Key ``None`` is across platforms (a member active on two platforms counts once); with
    ``platforms`` every platform active in the span has its own key too. ``member_days`` is only
    filled for daily blocks (it is the sum of their active members); :func:`with_member_days`
    fills it for longer blocks. ``prebuilt`` is the :func:`.blocks.member_blocks` table of these
    blocks when the caller has it already.
    """
    if size == 1 or (prebuilt is None and not platforms):
        # one count(DISTINCT ...) query beats building a member-block table for a single use
        found = _direct(conn, src, end, size, count, by_platform=False)
        if platforms:
            found.update(_direct(conn, src, end, size, count, by_platform=True))
    elif prebuilt is not None:
        found = block_counts(conn, prebuilt, platforms=platforms)
    else:
        with member_blocks(conn, src, end, size, count) as table:
            found = block_counts(conn, table, platforms=platforms)
    found.setdefault(None, {})
    out: dict[str | None, BlockSeries] = {}
    for platform, blocks in found.items():
        points = []
        for index in range(count - 1, -1, -1):
            active, creators, contrib = blocks.get(index, (0, 0, 0))
            first = end - dt.timedelta(days=size * (index + 1))
            points.append(TimePoint(first, size, active, creators, contrib))
        member_days = sum(v[0] for v in blocks.values()) if size == 1 else 0
        out[platform] = BlockSeries(tuple(points), member_days)
    return out


def _direct(
    conn: sa.Connection, src: Scratch, end: dt.date, size: int, count: int, *, by_platform: bool
) -> Counts:
    start = end - dt.timedelta(days=size * count)
    # straight from the store, days group on the stored ``day`` (its primary key index starts
    # with it, so SQLite needs no sort)
    by_day = size == 1 and "day" in src.rows.c
    key: sa.ColumnElement[Any] = src.rows.c.day if by_day else src.block(end, size)
    group: list[sa.ColumnElement[Any]] = [key] + ([src.rows.c.platform] if by_platform else [])
    stmt = (
        sa.select(
            *group,
            sa.func.count(sa.distinct(src.rows.c.member_key)),
            sa.func.count(sa.distinct(src.contributor_key())),
            sa.func.sum(src.rows.c.con),
        )
        .where(src.in_span(start, end))
        .group_by(*group)
    )
    found: Counts = defaultdict(dict)
    for row in conn.execute(stmt):
        if by_day:
            day = row[0] if isinstance(row[0], dt.date) else dt.date.fromisoformat(str(row[0]))
            index = (end - day).days - 1
        else:
            index = int(row[0])
        platform = row[1] if by_platform else None
        values = row[2:] if by_platform else row[1:]
        found[platform][index] = (int(values[0]), int(values[1]), int(values[2] or 0))
    return found


def with_member_days(blocks: BlockSeries, daily: BlockSeries) -> BlockSeries:
    """``blocks`` with the member-days of the daily series falling inside them.

    A member's distinct active days in a block add up over days to the block's sum of daily
    active members, so no extra query is needed.
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

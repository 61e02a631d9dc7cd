"""Active members by day, 7-day and 30-day block, per platform or across platforms.

One query per block size: facts are rolled up per member and block inside the store, and only
one row per block (and platform) comes back.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .model import TimePoint
from .sql import block, contributions, facts, in_span


@dataclass(frozen=True)
class BlockSeries:
    """Blocks of one size, oldest first, plus the member-days behind them."""

    points: tuple[TimePoint, ...]
    member_days: int
    """Sum over blocks of the distinct active days of each member active in the block."""


def block_series(
    conn: sa.Connection, end: dt.date, size: int, count: int, *, by_platform: bool = False
) -> dict[str | None, BlockSeries]:
    """``count`` blocks of ``size`` days ending at ``end`` (exclusive), oldest first.

    Keys are platform names with ``by_platform``, else ``None`` (across platforms: a member
    active on two platforms counts once).
    """
    start = end - dt.timedelta(days=size * count)
    blk = block(end, size).label("blk")
    keys: list[sa.ColumnElement[Any]] = [facts.c.member_key, blk]
    if by_platform:
        keys.append(facts.c.platform)
    contributed = sa.case((contributions() > 0, 1), else_=0)
    inner = (
        sa.select(
            *keys,
            sa.func.count(sa.distinct(facts.c.day)).label("days"),
            sa.func.max(contributed).label("creator"),
            sa.func.sum(contributions()).label("contributions"),
        )
        .where(in_span(start, end))
        .group_by(*(k.element if isinstance(k, sa.Label) else k for k in keys))
        .subquery("member_blocks")
    )
    outer_keys = [inner.c.blk] + ([inner.c.platform] if by_platform else [])
    rows = sa.select(
        *outer_keys,
        sa.func.count().label("active"),
        sa.func.sum(inner.c.days),
        sa.func.sum(inner.c.creator),
        sa.func.sum(inner.c.contributions),
    ).group_by(*outer_keys)
    found: dict[str | None, dict[int, tuple[int, int, int, int]]] = defaultdict(dict)
    for row in conn.execute(rows):
        platform = row[1] if by_platform else None
        offset = 2 if by_platform else 1
        found[platform][int(row[0])] = (
            int(row[offset]),
            int(row[offset + 1] or 0),
            int(row[offset + 2] or 0),
            int(row[offset + 3] or 0),
        )
    if not by_platform:
        found.setdefault(None, {})
    out: dict[str | None, BlockSeries] = {}
    for platform, blocks in found.items():
        points = []
        for index in range(count - 1, -1, -1):
            active, _days, creators, contrib = blocks.get(index, (0, 0, 0, 0))
            first = end - dt.timedelta(days=size * (index + 1))
            points.append(TimePoint(first, size, active, creators, contrib))
        member_days = sum(v[1] for v in blocks.values())
        out[platform] = BlockSeries(tuple(points), member_days)
    return out


def full_blocks(days: int, size: int) -> int:
    """How many whole blocks of ``size`` fit in ``days`` (at least one)."""
    return max(1, days // size)


__all__ = ["BlockSeries", "block_series", "full_blocks"]

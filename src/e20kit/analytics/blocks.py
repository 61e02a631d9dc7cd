"""Active members per 7- or 30-day block from one pass: distinct (member, platform, block) first.

``count(DISTINCT member_key)`` per block and platform makes SQLite sort the span's facts once per
query; weekly and monthly figures across platforms and per platform would sort them four times.
Grouping the facts once into one row per member, platform and block (a seventh or a thirtieth of
the rows) leaves both counts to cheap queries over that small temporary table.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

import sqlalchemy as sa

from ..store.schema import KEY
from .scratch import Scratch

NAME = "e20kit_analytics_blocks"


@contextlib.contextmanager
def member_blocks(
    conn: sa.Connection, src: Scratch, end: dt.date, size: int, count: int
) -> Iterator[sa.Table]:
    """A temporary table of one row per member, platform and block (``blk``, 0 = the last)
    of ``count`` ``size``-day blocks ending at ``end``: contributed at all (``cf``) and the
    contributions (``con``). Dropped after the block."""
    table = sa.Table(
        f"{NAME}_{size}_{count}_{src.offset(end)}",
        sa.MetaData(),
        sa.Column("member_key", KEY, nullable=False),
        sa.Column("platform", sa.String(100), nullable=False),
        sa.Column("blk", sa.Integer, nullable=False),
        sa.Column("cf", sa.Integer, nullable=False),
        sa.Column("con", sa.Integer, nullable=False),
        prefixes=["TEMPORARY"],
    )
    start = end - dt.timedelta(days=size * count)
    blk = src.block(end, size)
    rows = (
        sa.select(
            src.rows.c.member_key,
            src.rows.c.platform,
            blk,
            sa.func.max(src.rows.c.cf),
            sa.func.sum(src.rows.c.con),
        )
        .where(src.in_span(start, end))
        .group_by(src.rows.c.member_key, src.rows.c.platform, blk)
    )
    table.drop(conn, checkfirst=True)
    table.create(conn)
    try:
        conn.execute(table.insert().from_select([c.name for c in table.c], rows))
        yield table
    finally:
        with contextlib.suppress(sa.exc.DBAPIError):  # see scratch.scratch
            table.drop(conn, checkfirst=True)


Counts = dict[str | None, dict[int, tuple[int, int, int]]]
"""Platform (``None``: across platforms) -> block index -> (active, creators, contributions)."""


def block_counts(conn: sa.Connection, blocks: sa.Table, *, platforms: bool) -> Counts:
    """Per block across platforms and, with ``platforms``, per platform too."""
    mb = blocks.c
    found: Counts = defaultdict(dict)
    across = sa.select(
        mb.blk,
        sa.func.count(sa.distinct(mb.member_key)),
        sa.func.count(sa.distinct(sa.case((mb.cf == 1, mb.member_key), else_=None))),
        sa.func.sum(mb.con),
    ).group_by(mb.blk)
    for index, active, creators, contrib in conn.execute(across):
        found[None][int(index)] = (int(active), int(creators), int(contrib or 0))
    if platforms:
        # (member, platform, block) is unique: rows are members, cf flags are creators
        per = sa.select(
            mb.blk, mb.platform, sa.func.count(), sa.func.sum(mb.cf), sa.func.sum(mb.con)
        ).group_by(mb.blk, mb.platform)
        for index, platform, active, creators, contrib in conn.execute(per):
            found[platform][int(index)] = (int(active), int(creators), int(contrib or 0))
    return found


__all__ = ["Counts", "block_counts", "member_blocks"]

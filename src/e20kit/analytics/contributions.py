"""Contribution counts per member and per container, from the store's ``contribution_days``.

The rollup holds only positive contributions, one row per day, member-platform pair and
container, numbered rather than named: SQL sums and counts them without touching the facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import sqlalchemy as sa

from ..store.rollup import epoch_day
from ..store.schema import activity_containers, contribution_days
from .cube import Cube, Ints

Rows = list[tuple[Any, ...]]


def contribution_rows(conn: sa.Connection, bounds: Sequence[dt.date]) -> Rows:
    """Per member-platform pair: contributions from each of the ascending ``bounds`` but the
    last, up to the last; :func:`member_contributions` turns them into the ranges' own.

    (Sums from a day on need one comparison per row; a range's own sum would need two.)
    """
    t = contribution_days.c
    days = [epoch_day(day) for day in bounds]
    since = [
        sa.func.sum(sa.case((t.day >= sa.literal_column(str(day)), t.con), else_=0))
        for day in days[1:-1]
    ]
    stmt = (
        sa.select(t.pair, sa.func.sum(t.con), *since)
        .where(t.day >= days[0], t.day < days[-1])
        .group_by(t.pair)
    )
    return list(conn.execute(stmt).cursor.fetchall())


def member_contributions(cube: Cube, rows: Rows, ranges: int) -> list[Ints]:
    """:func:`contribution_rows` of ``ranges + 1`` bounds as arrays over the pairs of ``cube``:
    the contributions of each range, oldest first."""
    since = [np.zeros(len(cube.pair_member), np.int64) for _ in range(ranges + 1)]
    if rows:
        numbers = np.array(rows, dtype=np.int64)
        pairs = cube.pairs_of_ids(numbers[:, 0])
        known = pairs >= 0  # always, while the rollups are fresh
        for i in range(ranges):
            since[i][pairs[known]] = numbers[known, i + 1]
    return [since[i] - since[i + 1] for i in range(ranges)]


def per_member(cube: Cube, per_pair: Ints) -> Ints:
    """Pair figures summed per member."""
    summed = np.bincount(cube.pair_member, weights=per_pair, minlength=len(cube.keys))
    return summed.astype(np.int64)


def container_contributors(
    conn: sa.Connection, start: dt.date, end: dt.date, *, enough: int
) -> dict[tuple[str, str], int]:
    """(platform, container) -> members with a positive contribution in ``[start, end)``,
    counted exactly up to ``enough`` (beyond it, a count may come back as ``enough``).

    Liveliness only asks whether a container reaches a small threshold, two by default, and
    "more than one" needs no ``count(DISTINCT ...)``: a container's least and greatest
    contributor differ.
    """
    t, k = contribution_days.c, activity_containers.c
    counted: sa.ColumnElement[int] = (
        sa.case((sa.func.min(t.pair) == sa.func.max(t.pair), 1), else_=2)
        if enough <= 2
        else sa.func.count(sa.distinct(t.pair))
    )
    per_container = (
        sa.select(t.container, counted.label("n"))
        .where(t.day >= epoch_day(start), t.day < epoch_day(end), t.container != 0)
        .group_by(t.container)
        .subquery()
    )
    stmt = sa.select(k.platform, k.container, per_container.c.n).join(
        per_container, per_container.c.container == k.id
    )
    return {(str(p), str(c)): int(n) for p, c, n in conn.execute(stmt)}


__all__ = [
    "Rows",
    "container_contributors",
    "contribution_rows",
    "member_contributions",
    "per_member",
]

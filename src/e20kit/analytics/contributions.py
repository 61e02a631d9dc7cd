"""Contributors per container, counted by SQL in the store's ``contribution_days``, and
per-pair figures summed per member.

The rollup holds only positive contributions, one row per day, member-platform pair and
container, numbered rather than named: SQL counts them without touching the facts.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import sqlalchemy as sa

from ..store.rollup import epoch_day
from ..store.schema import activity_containers, contribution_days
from .cube import Cube, Ints


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


__all__ = ["container_contributors", "per_member"]

"""Contribution counts per member and per container, read from the store's partial indexes.

Contribution facts are a small share of all facts, and two partial indexes on ``facts`` hold
exactly them (:mod:`e20kit.store.schema`): these queries read those indexes, never the table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import repeat
from typing import Any

import numpy as np
import sqlalchemy as sa

from ..store.schema import CONTRIBUTION_ACTIONS_SQL
from .cube import Cube, Ints

Span = tuple[dt.date, dt.date]


def _facts(conn: sa.Connection, index: str) -> str:
    """``facts``, on SQLite with the index named: its planner, without statistics, would take
    the primary key's day range and read every fact of the period instead."""
    return f"facts INDEXED BY {index}" if conn.dialect.name == "sqlite" else "facts"


def _query(sql: str, days: dict[str, dt.date]) -> sa.TextClause:
    return sa.text(sql).bindparams(
        *(sa.bindparam(name, value, type_=sa.Date) for name, value in days.items())
    )


Rows = list[tuple[Any, ...]]


def contribution_rows(conn: sa.Connection, bounds: Sequence[dt.date]) -> Rows:
    """Per member and platform: contributions from each of the ascending ``bounds`` but the last
    up to the last; :func:`member_contributions` turns them into the consecutive ranges'.

    (Sums from a day on need one comparison per fact; a range's own sum would need two.)
    """
    days = {f"b{i}": day for i, day in enumerate(bounds)}
    sums = ["sum(count)"] + [
        f"sum(CASE WHEN day >= :b{i} THEN count ELSE 0 END)" for i in range(1, len(bounds) - 1)
    ]
    stmt = _query(
        f"SELECT member_key, platform, {', '.join(sums)} "
        f"FROM {_facts(conn, 'ix_facts_contributions')} "
        f"WHERE action IN ({CONTRIBUTION_ACTIONS_SQL}) "
        f"AND day >= :b0 AND day < :b{len(bounds) - 1} "
        "GROUP BY member_key, platform",
        days,
    )
    return list(conn.execute(stmt).cursor.fetchall())


def member_contributions(cube: Cube, rows: Rows, ranges: int) -> list[Ints]:
    """:func:`contribution_rows` of ``ranges + 1`` bounds as arrays over the pairs of ``cube``:
    the contributions of each range, oldest first."""
    since = [np.zeros(len(cube.pair_member), np.int64) for _ in range(ranges + 1)]
    platform_index = {p: i for i, p in enumerate(cube.platforms)}
    if rows:
        member_keys, platform_names, *columns = zip(*rows, strict=True)
        members = np.fromiter(map(cube.index.get, member_keys, repeat(-1)), np.int64, len(rows))
        platforms = np.fromiter(
            map(platform_index.get, platform_names, repeat(-1)), np.int64, len(rows)
        )
        pairs = cube.pairs_of(members, platforms)
        known = (members >= 0) & (platforms >= 0) & (pairs >= 0)  # always, with fresh rollups
        for out, column in zip(since, columns, strict=False):
            out[pairs[known]] = np.array(column, dtype=np.int64)[known]
    return [since[i] - since[i + 1] for i in range(ranges)]


def per_member(cube: Cube, per_pair: Ints) -> Ints:
    """Pair figures summed per member."""
    summed = np.bincount(cube.pair_member, weights=per_pair, minlength=len(cube.keys))
    return summed.astype(np.int64)


def container_contributors(
    conn: sa.Connection, start: dt.date, end: dt.date
) -> dict[tuple[str, str], int]:
    """(platform, container) -> members with a positive contribution in ``[start, end)``."""
    stmt = _query(
        "SELECT platform, container, count(DISTINCT member_key) "
        f"FROM {_facts(conn, 'ix_facts_container_contributors')} "
        f"WHERE action IN ({CONTRIBUTION_ACTIONS_SQL}) AND count > 0 AND container != '' "
        "AND day >= :start AND day < :end GROUP BY platform, container",
        {"start": start, "end": end},
    )
    return {(str(p), str(k)): int(n) for p, k, n in conn.execute(stmt)}


__all__ = [
    "Rows",
    "container_contributors",
    "contribution_rows",
    "member_contributions",
    "per_member",
]

"""One row per 32-day span holding that span's rollup rows packed into arrays.

A report needs every ``activity_spans`` row of its days and every member's contributions per
day: some 10^5 small rows for a large organisation. Read as rows, turning them into Python
objects costs more than everything computed from them; read as one packed row per span, they
arrive as a few byte strings that numpy takes as they are. The packs are derived data: SQL keeps
``activity_spans`` and ``contribution_days`` exact, and :func:`repack` rewrites the pack of
every span whose days changed, inside the same refresh.

Layout (little-endian): ``pairs`` holds the span's pair ids ascending (int64), ``days`` 32 day
bytes per pair (as in ``activity_spans``), ``contributions`` the days with contributions only
(most member-days have none): their cell numbers (``pair row * 32 + day``, int32) followed by
their counts (int32).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa

from ..errors import StoreError
from . import schema

SPAN_DAYS = 32
"""Days per span: an ``activity_spans`` row holds four 64-bit integers of eight one-byte days."""
PAIR = np.dtype("<i8")
CELL = np.dtype("<i4")


@dataclass(frozen=True)
class Pack:
    """One span's rows: ``pairs`` ascending and their ``days`` (one row of 32 bytes each); the
    positive contributions as ``cells`` (``pair row * 32 + day``) and their ``values``."""

    span: int
    pairs: npt.NDArray[np.int64]
    days: npt.NDArray[np.uint8]
    cells: npt.NDArray[np.int64]
    values: npt.NDArray[np.int64]


def _pack(conn: sa.Connection, span: int) -> Pack:
    spans, cd = schema.activity_spans.c, schema.contribution_days.c
    rows = conn.execute(
        sa.select(spans.pair, spans.q0, spans.q1, spans.q2, spans.q3)
        .where(spans.span == span)
        .order_by(spans.pair)
    ).cursor.fetchall()
    numbers = np.array(rows, dtype=np.int64).reshape(len(rows), 5)
    pairs = numbers[:, 0].copy()
    days = np.ascontiguousarray(numbers[:, 1:]).astype("<i8").view(np.uint8)
    first = span * SPAN_DAYS
    per_day = conn.execute(
        sa.select(cd.pair, cd.day, sa.func.sum(cd.con))
        .where(cd.day >= first, cd.day < first + SPAN_DAYS)
        .group_by(cd.pair, cd.day)
    ).cursor.fetchall()
    found = np.array(per_day, dtype=np.int64).reshape(len(per_day), 3)
    cells = np.searchsorted(pairs, found[:, 0]) * SPAN_DAYS + (found[:, 1] - first)
    if len(found) and found[:, 2].max() > np.iinfo(CELL).max:
        raise StoreError(f"a member has over 2^31 contributions on a day of span {span}")
    return Pack(span, pairs, days.reshape(len(pairs), SPAN_DAYS), cells, found[:, 2].copy())


def repack(conn: sa.Connection, spans: Iterable[int]) -> None:
    """Rewrite the packs of ``spans`` from ``activity_spans`` and ``contribution_days``."""
    table = schema.span_packs
    for span in sorted(set(spans)):
        conn.execute(table.delete().where(table.c.span == span))
        pack = _pack(conn, span)
        if len(pack.pairs):
            conn.execute(
                table.insert().values(
                    span=span,
                    pairs=pack.pairs.astype(PAIR).tobytes(),
                    days=pack.days.tobytes(),
                    contributions=pack.cells.astype(CELL).tobytes()
                    + pack.values.astype(CELL).tobytes(),
                )
            )


def read_packs(conn: sa.Connection, first_span: int, last_span: int) -> list[Pack]:
    """The packs of spans ``first_span`` to ``last_span`` that hold any activity."""
    table = schema.span_packs.c
    stmt = sa.select(table.span, table.pairs, table.days, table.contributions).where(
        table.span >= first_span, table.span <= last_span
    )
    packs = []
    for span, pairs, days, contributions in conn.execute(stmt).cursor.fetchall():
        ids = np.frombuffer(pairs, dtype=PAIR).astype(np.int64)
        flat = np.frombuffer(contributions, dtype=CELL).astype(np.int64)
        packs.append(
            Pack(
                int(span),
                ids,
                np.frombuffer(days, dtype=np.uint8).reshape(len(ids), SPAN_DAYS),
                flat[: len(flat) // 2],
                flat[len(flat) // 2 :],
            )
        )
    return packs


__all__ = ["Pack", "read_packs", "repack"]

"""A narrow, per-connection copy of the facts the metrics read, built once per computation.

Every metric scans the period's facts. Reading the store's ``facts`` directly means turning ISO
dates into day numbers (``julianday`` on SQLite) and testing action names on every row of every
query; the copy does both once: ``d`` is the whole days from a fact's day to the ``anchor`` (the
day after the last one held, so ``d >= 1``), ``con``/``hlp`` are the fact's contribution and
helping counts and ``cf`` flags contribution actions. Metric queries then filter and bucket with
integer arithmetic. The copy is a TEMPORARY table: private to the connection on SQLite and
PostgreSQL alike, and dropped when the computation ends.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.expression import ColumnElement

from ..store.schema import KEY
from .sql import CONTRIBUTION, contributions, date_literal, days_between, facts, helping, in_span

NAME = "e20kit_analytics_facts"

narrow = sa.Table(
    NAME,
    sa.MetaData(),
    sa.Column("member_key", KEY, nullable=False),
    sa.Column("d", sa.Integer, nullable=False),
    sa.Column("platform", sa.String(100), nullable=False),
    sa.Column("feature", sa.String(20), nullable=False),
    sa.Column("container", sa.String(300), nullable=False),
    sa.Column("n", sa.Integer, nullable=False),
    sa.Column("con", sa.Integer, nullable=False),
    sa.Column("hlp", sa.Integer, nullable=False),
    sa.Column("cf", sa.Integer, nullable=False),
    prefixes=["TEMPORARY"],
)
"""One row per fact in ``[start, anchor)``."""


def lit(value: int) -> ColumnElement[int]:
    """An integer rendered inline, so SELECT and GROUP BY compile alike (PostgreSQL needs it)."""
    return sa.literal_column(str(int(value)), sa.Integer())


@dataclass(frozen=True)
class Scratch:
    """The facts of days ``start`` (inclusive) to ``anchor`` (exclusive), shaped as
    :data:`narrow`: the temporary table itself, or (:func:`inline`) the same SELECT on the store's
    facts as a subquery, for a single query where copying would not pay."""

    start: dt.date
    anchor: dt.date
    rows: sa.FromClause = narrow

    def offset(self, day: dt.date) -> int:
        """``d`` of facts on ``day``."""
        return (self.anchor - day).days

    def in_span(self, start: dt.date, end: dt.date) -> ColumnElement[bool]:
        """Facts of days ``[start, end)``, which must lie inside the copy."""
        if start < self.start or end > self.anchor:
            raise ValueError(
                f"days {start}..{end} are outside the copy {self.start}..{self.anchor}"
            )
        if start == self.start and end == self.anchor:
            return sa.true()  # every row: no test at all
        if "day" in self.rows.c:  # inline: compare days as stored, not computed offsets
            day = self.rows.c.day
            return sa.and_(day >= start, day < end)
        d = self.rows.c.d
        return sa.and_(d > lit(self.offset(end)), d <= lit(self.offset(start)))

    def block(self, end: dt.date, size: int) -> ColumnElement[int]:
        """Index of the ``size``-day block counted back from ``end`` (0 = the last block)."""
        index = self.rows.c.d - lit(self.offset(end) + 1)
        return index if size == 1 else index // lit(size)

    def days_since(self, earlier: ColumnElement[dt.date]) -> ColumnElement[int]:
        """Whole days from the date ``earlier`` to each fact's day."""
        return days_between(date_literal(self.anchor), earlier) - self.rows.c.d

    def contributor_key(self) -> ColumnElement[object]:
        """Member key on contribution facts, else NULL: ``count(DISTINCT ...)`` counts creators."""
        return sa.case((self.rows.c.cf == lit(1), self.rows.c.member_key), else_=None)


def _source(start: dt.date, end: dt.date, *extra: sa.ColumnElement[Any]) -> sa.Select[Any]:
    cf = sa.case((facts.c.action.in_(CONTRIBUTION), 1), else_=0)
    return sa.select(
        *extra,
        facts.c.member_key,
        days_between(date_literal(end), facts.c.day).label("d"),
        facts.c.platform,
        facts.c.feature,
        facts.c.container,
        facts.c.count.label("n"),
        contributions().label("con"),
        helping().label("hlp"),
        cf.label("cf"),
    ).where(in_span(start, end))


def inline(start: dt.date, end: dt.date) -> Scratch:
    """The facts of ``[start, end)`` read straight from the store, shaped like the copy."""
    return Scratch(start, end, _source(start, end, facts.c.day).subquery(NAME))


@contextlib.contextmanager
def scratch(conn: sa.Connection, start: dt.date, end: dt.date) -> Iterator[Scratch]:
    """Copy the facts of ``[start, end)`` into :data:`narrow` for the block; drop it after."""
    narrow.drop(conn, checkfirst=True)
    narrow.create(conn)
    conn.execute(narrow.insert().from_select([c.name for c in narrow.c], _source(start, end)))
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"ANALYZE {NAME}")  # autovacuum never analyses temporary tables
    try:
        yield Scratch(start, end)
    finally:
        # after a failed statement PostgreSQL refuses everything until the rollback, which
        # discards the table anyway
        with contextlib.suppress(sa.exc.DBAPIError):
            narrow.drop(conn, checkfirst=True)


__all__ = ["NAME", "Scratch", "inline", "lit", "narrow", "scratch"]

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
    """The facts of days ``start`` (inclusive) to ``anchor`` (exclusive), as :data:`narrow`."""

    start: dt.date
    anchor: dt.date

    def offset(self, day: dt.date) -> int:
        """``d`` of facts on ``day``."""
        return (self.anchor - day).days

    def in_span(self, start: dt.date, end: dt.date) -> ColumnElement[bool]:
        """Facts of days ``[start, end)``, which must lie inside the copy."""
        if start < self.start or end > self.anchor:
            raise ValueError(
                f"days {start}..{end} are outside the copy {self.start}..{self.anchor}"
            )
        return sa.and_(narrow.c.d > lit(self.offset(end)), narrow.c.d <= lit(self.offset(start)))

    def block(self, end: dt.date, size: int) -> ColumnElement[int]:
        """Index of the ``size``-day block counted back from ``end`` (0 = the last block)."""
        index = narrow.c.d - lit(self.offset(end) + 1)
        return index if size == 1 else index // lit(size)

    def days_since(self, earlier: ColumnElement[dt.date]) -> ColumnElement[int]:
        """Whole days from the date ``earlier`` to each fact's day."""
        return days_between(date_literal(self.anchor), earlier) - narrow.c.d

    @staticmethod
    def contributor_key() -> ColumnElement[object]:
        """Member key on contribution facts, else NULL: ``count(DISTINCT ...)`` counts creators."""
        return sa.case((narrow.c.cf == lit(1), narrow.c.member_key), else_=None)


@contextlib.contextmanager
def scratch(conn: sa.Connection, start: dt.date, end: dt.date) -> Iterator[Scratch]:
    """Copy the facts of ``[start, end)`` into :data:`narrow` for the block; drop it after."""
    narrow.drop(conn, checkfirst=True)
    narrow.create(conn)
    cf = sa.case((facts.c.action.in_(CONTRIBUTION), 1), else_=0)
    source = sa.select(
        facts.c.member_key,
        days_between(date_literal(end), facts.c.day),
        facts.c.platform,
        facts.c.feature,
        facts.c.container,
        facts.c.count,
        contributions(),
        helping(),
        cf,
    ).where(in_span(start, end))
    conn.execute(narrow.insert().from_select([c.name for c in narrow.c], source))
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"ANALYZE {NAME}")  # autovacuum never analyses temporary tables
    try:
        yield Scratch(start, end)
    finally:
        # after a failed statement PostgreSQL refuses everything until the rollback, which
        # discards the table anyway
        with contextlib.suppress(sa.exc.DBAPIError):
            narrow.drop(conn, checkfirst=True)


__all__ = ["NAME", "Scratch", "lit", "narrow", "scratch"]

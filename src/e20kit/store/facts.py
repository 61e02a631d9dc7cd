"""The hot path of collection: upserting fact rows with as little per-row work as possible.

SQLAlchemy's per-parameter processing costs more than SQLite's own insert, so fact batches go
through ``exec_driver_sql`` with plain tuples (dates as ISO text on SQLite, which is exactly how
SQLAlchemy's ``Date`` type stores them there).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

FACT_COLUMNS = (
    "day",
    "member_key",
    "platform",
    "action",
    "feature",
    "container",
    "count",
    "source",
)
_KEY = "day, member_key, platform, action, feature, container"

FactRow = tuple[dt.date, str, str, str, str, str, int, str]


def _statement(dialect: str) -> str:
    columns = ", ".join(FACT_COLUMNS)
    if dialect == "sqlite":
        # REPLACE writes a replaced fact anew (with a new rowid) and fires no trigger, which is
        # how the analytics' rollups see what changed at no cost per fact (see store.rollup)
        marks = ", ".join(["?"] * len(FACT_COLUMNS))
        return f"INSERT OR REPLACE INTO facts ({columns}) VALUES ({marks})"
    marks = ", ".join(["%s"] * len(FACT_COLUMNS))
    return (
        f"INSERT INTO facts ({columns}) VALUES ({marks}) "
        f"ON CONFLICT ({_KEY}) DO UPDATE SET count = excluded.count, source = excluded.source"
    )


def _member_then_day(row: FactRow) -> tuple[str, dt.date]:
    return row[1], row[0]


def upsert_facts(conn: sa.Connection, rows: Sequence[FactRow]) -> None:
    """Insert or overwrite facts by key; ``rows`` follow :data:`FACT_COLUMNS`.

    Rows go in member order: the member index is the one that grows at random places, and
    touching its pages in order keeps a batch's writes local.
    """
    if not rows:
        return
    dialect = conn.dialect.name
    ordered = sorted(rows, key=_member_then_day)
    if dialect == "sqlite":
        params: list[tuple[object, ...]] = [(r[0].isoformat(), *r[1:]) for r in ordered]
    else:
        params = list(ordered)
    conn.exec_driver_sql(_statement(dialect), params)

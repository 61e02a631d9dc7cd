"""The hot path of collection: upserting fact rows with as little per-row work as possible.

SQLAlchemy's per-parameter processing costs more than SQLite's own insert, so fact batches go
through ``exec_driver_sql`` with plain tuples (dates as ISO text on SQLite, which is exactly how
SQLAlchemy's ``Date`` type stores them there).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

import sqlalchemy as sa

from . import schema

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


def delete_facts(
    conn: sa.Connection,
    source: str,
    start: dt.date,
    end: dt.date,
    *,
    container: str | None = None,
    actions: Collection[str] = (),
) -> int:
    """Delete ``source``'s facts of days ``[start, end)`` (optionally one container and some
    actions); returns how many went. This is how a connector's ``Replace`` is applied."""
    facts = schema.facts
    cond = [facts.c.source == source, facts.c.day >= start, facts.c.day < end]
    if container is not None:
        cond.append(facts.c.container == container)
    if actions:
        cond.append(facts.c.action.in_(sorted(actions)))
    deleted = conn.execute(facts.delete().where(*cond)).rowcount
    return max(deleted or 0, 0)

"""Reading a store in tests: totals, rows as dicts, whole-store snapshots and comparisons.

Every helper takes a :class:`~e20kit.Kit`, an SQLAlchemy engine or a store URL, so a plugin
test needs no knowledge of the store's tables beyond their names.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import sqlalchemy as sa

from ..kit import Kit
from ..store import create_engine, schema

StoreLike = Kit | sa.Engine | str
"""A kit, an engine, or a store URL (opened, and migrated, for the call)."""

DERIVED_TABLES = (
    "activity_pairs",
    "activity_spans",
    "span_packs",
    "activity_containers",
    "contribution_days",
    "day_totals",
    "rollup_dirty",
    "rollup_state",
)
"""Rollups rebuilt from ``facts``: their ids follow write order, so two equal stores may differ."""

DEFAULT_IGNORE_TABLES = ("schema_version", "audit_log", "disclosure_key", *DERIVED_TABLES)
"""Besides the rollups: the schema version, the audit trail (who did what when: no two runs
share it) and the disclosure key (drawn at random for each store)."""
DEFAULT_IGNORE_COLUMNS = ("updated_at", "created_at", "applied_at")
"""Columns holding when a row was written, which no two runs share."""


@contextlib.contextmanager
def _engine(store: StoreLike) -> Iterator[sa.Engine]:
    if isinstance(store, Kit):
        yield store.engine
    elif isinstance(store, sa.Engine):
        yield store
    else:
        engine = create_engine(store)  # an e20kit store, migrated like the kit's
        try:
            yield engine
        finally:
            engine.dispose()


def _table(name: str) -> sa.Table:
    table = schema.metadata.tables.get(name)
    if table is None:
        known = ", ".join(sorted(schema.metadata.tables))
        raise KeyError(f"the store has no table {name!r}; tables: {known}")
    return table


def _sort_key(row: Iterable[Any]) -> tuple[tuple[int, str, Any], ...]:
    """Orders rows whatever their values (None, JSON mappings, bytes) without TypeErrors."""
    out: list[tuple[int, str, Any]] = []
    for value in row:
        if value is None:
            out.append((0, "", ""))
        elif isinstance(value, bool | int | float | decimal.Decimal):
            out.append((1, "number", value))
        elif isinstance(value, str | bytes | dt.date | dt.time):
            out.append((2, type(value).__name__, value))
        else:
            out.append((3, type(value).__name__, repr(value)))
    return tuple(out)


def store_rows(store: StoreLike, table: str) -> list[dict[str, Any]]:
    """Every row of ``table`` as a column -> value dict, in a stable order."""
    columns = _table(table).columns
    with _engine(store) as engine, engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(sa.select(*columns))]
    return [dict(zip(columns.keys(), row, strict=True)) for row in sorted(rows, key=_sort_key)]


def fact_totals(
    store: StoreLike, *, by: tuple[str, str] = ("platform", "action"), platform: str | None = None
) -> dict[tuple[str, str], int]:
    """Sum of stored fact counts per ``(platform, action)`` (or the two columns ``by`` names),
    of one ``platform`` only if given."""
    facts = schema.facts
    first, second = (facts.c[name] for name in by)
    query = sa.select(first, second, sa.func.sum(facts.c.count)).group_by(first, second)
    if platform is not None:
        query = query.where(facts.c.platform == platform)
    with _engine(store) as engine, engine.connect() as conn:
        return {(str(a), str(b)): int(n) for a, b, n in conn.execute(query)}


def people_totals(store: StoreLike, *, active_only: bool = False) -> dict[str, int]:
    """Number of stored identities (platform accounts) per platform."""
    ident = schema.identities
    query = sa.select(ident.c.platform, sa.func.count()).group_by(ident.c.platform)
    if active_only:
        query = query.where(ident.c.active)
    with _engine(store) as engine, engine.connect() as conn:
        return {str(platform): int(n) for platform, n in conn.execute(query)}


def store_snapshot(
    store: StoreLike,
    *,
    ignore_tables: Iterable[str] = (),
    ignore_columns: Iterable[str] = (),
) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted; ``ignore_columns`` are ``column`` or ``table.column`` names.

    Two snapshots are equal when the stores hold the same data; the dict's keys are table names.
    """
    skip_tables = set(ignore_tables)
    skip_columns = set(ignore_columns)
    out: dict[str, list[tuple[Any, ...]]] = {}
    with _engine(store) as engine, engine.connect() as conn:
        for table in schema.metadata.sorted_tables:
            if table.name in skip_tables:
                continue
            columns = [
                c
                for c in table.columns
                if c.name not in skip_columns and f"{table.name}.{c.name}" not in skip_columns
            ]
            rows = [tuple(r) for r in conn.execute(sa.select(*columns))]
            out[table.name] = sorted(rows, key=_sort_key)
    return out


def assert_same_store(
    a: StoreLike,
    b: StoreLike,
    *,
    ignore_tables: Iterable[str] = DEFAULT_IGNORE_TABLES,
    ignore_columns: Iterable[str] = DEFAULT_IGNORE_COLUMNS,
) -> None:
    """Fail, naming each differing table and a few of its differing rows, unless ``a == b``.

    By default the schema version, the derived rollup tables and write timestamps are left out:
    two collections of the same data (one with faults, one clean) must agree on everything else.
    """
    tables, columns = tuple(ignore_tables), tuple(ignore_columns)
    left = store_snapshot(a, ignore_tables=tables, ignore_columns=columns)
    right = store_snapshot(b, ignore_tables=tables, ignore_columns=columns)
    problems = []
    for name in left:
        if left[name] == right[name]:
            continue
        only_a = [r for r in left[name] if r not in right[name]]
        only_b = [r for r in right[name] if r not in left[name]]
        problems.append(
            f"table {name}: {len(left[name])} rows vs {len(right[name])}; only in the first: "
            f"{_few(only_a)}; only in the second: {_few(only_b)}"
        )
    if problems:
        raise AssertionError("the stores differ:\n  " + "\n  ".join(problems))


def _few(rows: list[tuple[Any, ...]], limit: int = 3) -> str:
    shown = ", ".join(repr(r) for r in rows[:limit])
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return f"[{shown}]{more}" if rows else "none"


def bookmarks(store: StoreLike, connector: str | None = None) -> Mapping[str, str]:
    """Stored bookmarks: ``stream -> value`` for ``connector`` (or ``connector/stream``)."""
    rows = store_rows(store, "bookmarks")
    if connector is not None:
        return {r["stream"]: r["value"] for r in rows if r["connector"] == connector}
    return {f"{r['connector']}/{r['stream']}": r["value"] for r in rows}


__all__ = [
    "DEFAULT_IGNORE_COLUMNS",
    "DEFAULT_IGNORE_TABLES",
    "DERIVED_TABLES",
    "StoreLike",
    "assert_same_store",
    "bookmarks",
    "fact_totals",
    "people_totals",
    "store_rows",
    "store_snapshot",
]

"""Dialect-aware ``INSERT ... ON CONFLICT DO UPDATE`` for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite


def upsert(
    conn: sa.Connection,
    table: sa.Table,
    rows: Sequence[dict[str, Any]],
    *,
    update: Sequence[str] | None = None,
    keep_known: Sequence[str] = (),
    once_true: Sequence[str] = (),
) -> None:
    """Insert ``rows``; on a primary-key clash overwrite the ``update`` columns (default: all).

    Of those, a ``keep_known`` column keeps its stored value when the new one is NULL, and a
    ``once_true`` (boolean) column stays true once it was.
    """
    if not rows:
        return
    keys = [c.name for c in table.primary_key.columns]
    columns = update if update is not None else [c for c in rows[0] if c not in keys]
    dialect = conn.dialect.name
    stmt: Any
    if dialect == "postgresql":
        stmt = postgresql.insert(table)
    elif dialect == "sqlite":
        stmt = sqlite.insert(table)
    else:  # pragma: no cover - create_engine refuses other backends
        raise NotImplementedError(dialect)
    if columns:
        stored = table.c
        set_: dict[str, Any] = {}
        for name in columns:
            new = stmt.excluded[name]
            if name in keep_known:
                set_[name] = sa.func.coalesce(new, stored[name])
            elif name in once_true:
                set_[name] = sa.or_(new, stored[name])
            else:
                set_[name] = new
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_=set_)
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    conn.execute(stmt, list(rows))

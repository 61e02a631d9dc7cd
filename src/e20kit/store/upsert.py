"""Dialect-aware ``INSERT ... ON CONFLICT DO UPDATE`` for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    kept_while_false: Mapping[str, str] | None = None,
) -> None:
    """Insert ``rows``; on a primary-key clash overwrite the ``update`` columns (default: all).

    Of those, a ``keep_known`` column keeps its stored value when the new one is NULL, a
    ``once_true`` (boolean) column stays true once it was, and a ``kept_while_false`` column
    (mapped to a boolean column) keeps its stored value while that flag is false before and after.
    """
    kept = kept_while_false or {}
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
            elif name in kept:
                flag = kept[name]
                stays = sa.and_(stored[flag].is_(False), stmt.excluded[flag].is_(False))
                set_[name] = sa.case((stays, stored[name]), else_=new)
            else:
                set_[name] = new
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_=set_)
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    conn.execute(stmt, list(rows))

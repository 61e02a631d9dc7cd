"""Bookmarks: where each connector's stream got to, committed with the facts they cover."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import sqlalchemy as sa

from . import schema
from .upsert import upsert


def read_bookmarks(conn: sa.Connection, connector: str) -> dict[str, str]:
    """Stream -> bookmark value of one connector instance."""
    table = schema.bookmarks
    query = sa.select(table.c.stream, table.c.value).where(table.c.connector == connector)
    return {str(s): str(v) for s, v in conn.execute(query)}


def write_bookmarks(
    conn: sa.Connection, connector: str, values: Mapping[str, str], *, now: dt.datetime
) -> None:
    """Insert or overwrite the bookmarks of ``connector``'s streams."""
    rows = [
        {"connector": connector, "stream": s, "value": v, "updated_at": now}
        for s, v in values.items()
    ]
    upsert(conn, schema.bookmarks, rows)


__all__ = ["read_bookmarks", "write_bookmarks"]

"""Members' attributes as they were: department, leader flag, joining day and whether active.

The analytics group a period by what was true in it (docs/privacy.md, "Membership as of the
period"): a move, join or leave after a report was written must not change that report when
it is written again, or the change could be subtracted from it. Collect calls
:func:`record` after every directory read; a changed member's open row is closed the day before
and a new one opened.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from . import schema
from .values import stored_date

ATTRIBUTES = ("department", "is_leader", "joined_on", "active")


def _current(conn: sa.Connection) -> dict[str, tuple[Any, ...]]:
    m = schema.members.c
    rows = conn.execute(sa.select(m.member_key, *(m[a] for a in ATTRIBUTES))).all()
    return {str(r[0]): tuple(r[1:]) for r in rows}


def _open(conn: sa.Connection) -> dict[str, tuple[int, tuple[Any, ...]]]:
    h = schema.member_history.c
    rows = conn.execute(
        sa.select(h.id, h.member_key, *(h[a] for a in ATTRIBUTES)).where(h.valid_to.is_(None))
    ).all()
    return {str(r[1]): (int(r[0]), tuple(r[2:])) for r in rows}


def _insert(
    conn: sa.Connection, rows: Iterable[tuple[str, tuple[Any, ...]]], since: dt.date | None
) -> None:
    values = [
        {
            "member_key": key,
            "valid_from": since,
            "valid_to": None,
            **dict(zip(ATTRIBUTES, attrs, strict=True)),
        }
        for key, attrs in rows
    ]
    if values:
        conn.execute(schema.member_history.insert(), values)


def seed(conn: sa.Connection) -> None:
    """One open row per member, valid since before history began."""
    _insert(conn, _current(conn).items(), None)


def record(conn: sa.Connection, today: dt.date) -> int:
    """Open a row from ``today`` for every member whose attributes changed (closing the old
    one at ``today``) or who is new; returns how many rows were opened."""
    current, known = _current(conn), _open(conn)
    changed = [key for key, attrs in current.items() if key in known and known[key][1] != attrs]
    h = schema.member_history
    if changed:
        conn.execute(
            h.update().where(h.c.id == sa.bindparam("row")).values(valid_to=today),
            [{"row": known[key][0]} for key in changed],
        )
    new = [key for key in current if key not in known]
    _insert(conn, ((key, current[key]) for key in changed), today)
    _insert(conn, ((key, current[key]) for key in new), None)
    return len(changed) + len(new)


def as_of(conn: sa.Connection, day: dt.date) -> dict[str, tuple[Any, ...]]:
    """Each member's attributes (in :data:`ATTRIBUTES` order) on ``day``: the row valid then,
    else the earliest row (the member's first known state)."""
    h = schema.member_history.c
    rows = conn.execute(
        sa.select(h.member_key, h.valid_from, h.valid_to, *(h[a] for a in ATTRIBUTES))
    ).all()
    found: dict[str, tuple[Any, ...]] = {}
    earliest: dict[str, tuple[dt.date, tuple[Any, ...]]] = {}
    for key, start, end, *attrs in rows:
        start_day = None if start is None else stored_date(start)
        end_day = None if end is None else stored_date(end)
        if (start_day is None or start_day <= day) and (end_day is None or day < end_day):
            found[str(key)] = tuple(attrs)
        first = start_day or dt.date.min
        if str(key) not in earliest or first < earliest[str(key)][0]:
            earliest[str(key)] = (first, tuple(attrs))
    return {key: found.get(key, attrs) for key, (_, attrs) in earliest.items()}


def disclosure_key(conn: sa.Connection) -> bytes:
    """The store's random disclosure key, created on first use."""
    t = schema.disclosure_key
    found = conn.execute(sa.select(t.c.key).where(t.c.id == 1)).scalar()
    if found is None:
        found = secrets.token_hex(32)
        conn.execute(t.insert().values(id=1, key=found))
    return bytes.fromhex(str(found))


__all__ = ["ATTRIBUTES", "as_of", "disclosure_key", "record", "seed"]

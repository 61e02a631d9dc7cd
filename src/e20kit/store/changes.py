"""Which days' facts changed since the rollups were last refreshed (:mod:`.rollup`).

Every change to ``facts`` is noticed, whoever makes it (collection, a correction, a script with
plain SQL): on PostgreSQL, statement-level triggers note the days in ``rollup_dirty``. SQLite
has only row triggers, and with one on inserts every insert or upsert of a fact opens a
statement journal: measured, collection ran at 40 % of its speed. So on SQLite row triggers note
only the rarer deletes and in-place updates, and new rows are found by rowid: each refresh
remembers the greatest rowid it has seen (``rollup_state``), and e20kit writes facts with
``INSERT OR REPLACE``, which gives a replaced row a new, greater rowid. Deleting the newest row
would let SQLite hand its rowid out again, so that lowers the mark.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from . import schema
from .values import stored_date

_SEEN = "facts_rowid"


def _note(day: str) -> str:
    # not INSERT OR IGNORE: SQLite lets the conflict policy of the statement that fired the
    # trigger (an upsert's, say) override the one inside it
    return (
        f"INSERT INTO rollup_dirty (day) SELECT {day} "
        f"WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty WHERE day = {day});"
    )


_SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS facts_rollup_delete AFTER DELETE ON facts BEGIN "
    f"{_note('OLD.day')} "
    "UPDATE rollup_state SET value = (SELECT coalesce(max(rowid), 0) FROM facts) "
    f"WHERE key = '{_SEEN}' AND value >= OLD.rowid "
    "AND OLD.rowid > (SELECT coalesce(max(rowid), 0) FROM facts); END",
    # an update that rewrites an unchanged count changes nothing the rollups hold
    "CREATE TRIGGER IF NOT EXISTS facts_rollup_update AFTER UPDATE ON facts "
    "WHEN NEW.count IS NOT OLD.count OR NEW.day IS NOT OLD.day "
    "OR NEW.member_key IS NOT OLD.member_key OR NEW.platform IS NOT OLD.platform "
    "OR NEW.action IS NOT OLD.action OR NEW.feature IS NOT OLD.feature "
    f"OR NEW.container IS NOT OLD.container BEGIN {_note('OLD.day')} {_note('NEW.day')} END",
)

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION e20kit_rollup_dirty_{name}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rollup_dirty (day) SELECT DISTINCT day FROM ({rows}) AS changed
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$
"""

_PG_TRIGGER = (
    "CREATE OR REPLACE TRIGGER facts_rollup_{name} AFTER {event} ON facts "
    "REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION e20kit_rollup_dirty_{name}()"
)

_PG = (
    ("insert", "INSERT", "NEW TABLE AS new_rows", "SELECT day FROM new_rows"),
    ("delete", "DELETE", "OLD TABLE AS old_rows", "SELECT day FROM old_rows"),
    (
        "update",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "SELECT day FROM old_rows UNION SELECT day FROM new_rows",
    ),
)


def install_triggers(conn: sa.Connection) -> None:
    """Create the triggers that note changed days (idempotent)."""
    if conn.dialect.name == "sqlite":
        for ddl in _SQLITE_TRIGGERS:
            conn.exec_driver_sql(ddl)
        return
    for name, event, tables, rows in _PG:
        conn.exec_driver_sql(_PG_FUNCTION.format(name=name, rows=rows))
        conn.exec_driver_sql(_PG_TRIGGER.format(name=name, event=event, tables=tables))


def _newest_rowid(conn: sa.Connection) -> int:
    return int(conn.execute(sa.text("SELECT coalesce(max(rowid), 0) FROM facts")).scalar() or 0)


def _seen(conn: sa.Connection) -> int:
    """The greatest facts rowid the rollups have seen (SQLite)."""
    state = schema.rollup_state
    found = conn.execute(sa.select(state.c.value).where(state.c.key == _SEEN)).scalar()
    return int(found or 0)


def mark_seen(conn: sa.Connection) -> None:
    """After a refresh: every fact written so far is in the rollups."""
    if conn.dialect.name != "sqlite":
        return
    state = schema.rollup_state
    conn.execute(state.delete().where(state.c.key == _SEEN))
    conn.execute(state.insert().values(key=_SEEN, value=_newest_rowid(conn)))


def _note_new_rows(conn: sa.Connection) -> None:
    seen = _seen(conn)
    if _newest_rowid(conn) <= seen:
        return
    conn.execute(
        sa.text(
            "INSERT INTO rollup_dirty (day) SELECT DISTINCT day FROM facts WHERE rowid > :seen "
            "AND NOT EXISTS (SELECT 1 FROM rollup_dirty d WHERE d.day = facts.day)"
        ),
        {"seen": seen},
    )


def has_changes(conn: sa.Connection) -> bool:
    """True when some day's facts changed since the last refresh; reads only."""
    if conn.dialect.name == "sqlite" and _newest_rowid(conn) > _seen(conn):
        return True
    dirty = schema.rollup_dirty
    return conn.execute(sa.select(dirty.c.day).limit(1)).first() is not None


def take_changed_days(conn: sa.Connection) -> list[dt.date]:
    """The days changed since the last refresh, no longer noted as such (the caller recomputes
    them in the same transaction: if it fails, they are noted again by the rollback)."""
    if conn.dialect.name == "sqlite":
        _note_new_rows(conn)
    dirty = schema.rollup_dirty
    if conn.execute(sa.select(dirty.c.day).limit(1)).first() is None:
        return []  # a read, not a write: a read-only store still gets its reports
    return [stored_date(day) for (day,) in conn.execute(sa.delete(dirty).returning(dirty.c.day))]


__all__ = ["has_changes", "install_triggers", "mark_seen", "take_changed_days"]

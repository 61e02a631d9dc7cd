"""Writing the directory: identities per platform account, members, and manager links.

Collection decides *what* a person's rows are (member key, leader title, contact details kept or
not); this module alone writes them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from . import schema
from .chunks import chunks
from .upsert import upsert

_KEEP_KNOWN = ("department", "title", "joined_on", "locale")
"""Member fields a platform that does not know them never blanks."""
_LEADER = ("is_leader",)
_SINCE_DEACTIVATED = {"updated_at": "active"}
"""A row that stays deactivated keeps ``updated_at`` from when e20kit first saw it so: the
retention of departed people counts from then, however often a platform lists them."""


def write_identities(conn: sa.Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert or overwrite accounts (``identities``) by source and person id."""
    upsert(conn, schema.identities, [dict(r) for r in rows], kept_while_false=_SINCE_DEACTIVATED)


def write_members(conn: sa.Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Upsert members; a platform that does not know a field never blanks another's value, and
    a member once marked a leader stays one."""
    upsert(
        conn,
        schema.members,
        [dict(r) for r in rows],
        keep_known=_KEEP_KNOWN,
        once_true=_LEADER,
        kept_while_false=_SINCE_DEACTIVATED,
    )


def member_keys(
    conn: sa.Connection, source: str, person_ids: Collection[str] | None = None
) -> dict[str, str]:
    """Person id -> member key of every account ``source`` has written (of ``person_ids``
    only, when given: one batch's accounts need not read the whole directory)."""
    ident = schema.identities
    query = sa.select(ident.c.person_id, ident.c.member_key).where(ident.c.source == source)
    if person_ids is None:
        return {str(p): str(k) for p, k in conn.execute(query)}
    found: dict[str, str] = {}
    for chunk in chunks(sorted(person_ids), 500):
        rows = conn.execute(query.where(ident.c.person_id.in_(chunk)))
        found |= {str(p): str(k) for p, k in rows}
    return found


def link_managers(conn: sa.Connection, source: str) -> int:
    """Resolve ``source``'s manager ids to member keys and mark members with reports as
    leaders; returns how many members got a manager."""
    ident = schema.identities
    boss = ident.alias("boss")
    pairs = conn.execute(
        sa.select(ident.c.member_key, boss.c.member_key)
        .join(
            boss,
            sa.and_(boss.c.source == ident.c.source, boss.c.person_id == ident.c.manager_id),
        )
        .where(ident.c.source == source)
    ).all()
    if not pairs:
        return 0
    members = schema.members
    conn.execute(
        members.update()
        .where(members.c.member_key == sa.bindparam("k"))
        .values(manager_key=sa.bindparam("m")),
        [{"k": k, "m": m} for k, m in pairs],
    )
    for chunk in chunks(sorted({m for _, m in pairs}), 500):
        conn.execute(members.update().where(members.c.member_key.in_(chunk)).values(is_leader=True))
    return len(pairs)


__all__ = ["link_managers", "member_keys", "write_identities", "write_members"]

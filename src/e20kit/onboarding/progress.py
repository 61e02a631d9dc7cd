"""Reading and writing onboarding progress: audiences, progress rows, marks.

Completion is recorded with a guarded ``UPDATE ... WHERE completed_at IS NULL``: only the run
whose update changed the row fires ``e20kit_step_completed``, so the event fires once per member
and step, even when two code paths (a run and a mark) race.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from ..clock import utc
from ..store import schema
from ..store.chunks import chunks
from ..store.upsert import upsert
from .settings import Checklist

P = schema.onboarding_progress


@dataclass(frozen=True)
class ProgressRow:
    position: int
    enrolled_at: dt.datetime
    completed_at: dt.datetime | None
    stalled_since: dt.datetime | None


def audience(
    conn: sa.Connection, checklist: Checklist, today: dt.date
) -> dict[str, dt.date | None]:
    """Active members the checklist is for: member key -> joined_on."""
    m, ident = schema.members, schema.identities
    who = checklist.audience
    stmt = sa.select(m.c.member_key, m.c.joined_on).where(m.c.active.is_(True))
    if who.joined_within_days:
        stmt = stmt.where(m.c.joined_on >= today - dt.timedelta(days=who.joined_within_days))
        stmt = stmt.where(m.c.joined_on <= today)
    if who.departments:
        stmt = stmt.where(m.c.department.in_(who.departments))
    if who.platforms:
        stmt = stmt.where(
            sa.exists().where(
                ident.c.member_key == m.c.member_key, ident.c.platform.in_(who.platforms)
            )
        )
    return {key: joined for key, joined in conn.execute(stmt.order_by(m.c.member_key))}


def load(conn: sa.Connection, checklist_id: str) -> dict[str, dict[str, ProgressRow]]:
    """member -> step -> stored row, for one checklist."""
    out: dict[str, dict[str, ProgressRow]] = {}
    rows = conn.execute(
        sa.select(
            P.c.member_key,
            P.c.step,
            P.c.position,
            P.c.enrolled_at,
            P.c.completed_at,
            P.c.stalled_since,
        ).where(P.c.checklist == checklist_id)
    )
    for member, step, position, enrolled, completed, stalled in rows:
        enrolled_at = utc(enrolled)
        assert enrolled_at is not None
        out.setdefault(member, {})[step] = ProgressRow(
            int(position), enrolled_at, utc(completed), utc(stalled)
        )
    return out


def marks(conn: sa.Connection) -> set[tuple[str, str, str]]:
    """Every (member, checklist or '', step) marked done."""
    t = schema.onboarding_marks
    return {
        (m, c, s) for m, c, s in conn.execute(sa.select(t.c.member_key, t.c.checklist, t.c.step))
    }


def enrol(
    conn: sa.Connection,
    checklist: Checklist,
    members: Iterable[str],
    now: dt.datetime,
) -> None:
    """Create missing rows (one per member and step), refresh positions and audience flags."""
    keys = sorted(members)
    rows = [
        {
            "member_key": key,
            "checklist": checklist.id,
            "step": step.id,
            "position": position,
            "enrolled_at": now,
            "completed_at": None,
            "stalled_since": None,
            "in_audience": True,
            "updated_at": now,
        }
        for key in keys
        for position, step in enumerate(checklist.steps, start=1)
    ]
    for batch in chunks(rows, 1000):
        upsert(conn, P, batch, update=[])
    for position, step in enumerate(checklist.steps, start=1):
        conn.execute(
            P.update()
            .where(P.c.checklist == checklist.id, P.c.step == step.id, P.c.position != position)
            .values(position=position)
        )
    conn.execute(P.update().where(P.c.checklist == checklist.id).values(in_audience=False))
    for chunk in chunks(keys, 500):
        conn.execute(
            P.update()
            .where(P.c.checklist == checklist.id, P.c.member_key.in_(chunk))
            .values(in_audience=True)
        )


def complete(conn: sa.Connection, member: str, checklist: str, step: str, at: dt.datetime) -> bool:
    """Record the completion unless already recorded; True when this call recorded it."""
    result = conn.execute(
        P.update()
        .where(
            P.c.member_key == member,
            P.c.checklist == checklist,
            P.c.step == step,
            P.c.completed_at.is_(None),
        )
        .values(completed_at=at, stalled_since=None, updated_at=at)
    )
    return bool(result.rowcount)


def set_stalled(
    conn: sa.Connection,
    checklist: str,
    stalled: Sequence[tuple[str, str]],
    not_stalled: Sequence[str],
    now: dt.datetime,
) -> None:
    """Mark each (member, current step) stalled since now (keeping an earlier start); clear the
    flag on every other open step of those members and of ``not_stalled`` members."""
    for member, step in stalled:
        conn.execute(
            P.update()
            .where(
                P.c.member_key == member,
                P.c.checklist == checklist,
                P.c.step == step,
                P.c.stalled_since.is_(None),
            )
            .values(stalled_since=now, updated_at=now)
        )
        conn.execute(
            P.update()
            .where(
                P.c.member_key == member,
                P.c.checklist == checklist,
                P.c.step != step,
                P.c.stalled_since.is_not(None),
            )
            .values(stalled_since=None, updated_at=now)
        )
    for chunk in chunks(sorted(not_stalled), 500):
        conn.execute(
            P.update()
            .where(
                P.c.checklist == checklist,
                P.c.member_key.in_(chunk),
                P.c.stalled_since.is_not(None),
            )
            .values(stalled_since=None, updated_at=now)
        )


def add_mark(
    conn: sa.Connection, member: str, checklist: str, step: str, at: dt.datetime, source: str
) -> None:
    """Record a manual mark (the first one wins; marking twice changes nothing)."""
    upsert(
        conn,
        schema.onboarding_marks,
        [
            {
                "member_key": member,
                "checklist": checklist,
                "step": step,
                "marked_at": at,
                "source": source[:200],
            }
        ],
        update=[],
    )


def enrolled_in(conn: sa.Connection, member: str, step: str) -> list[str]:
    """Checklists with a progress row for this member and step."""
    return list(
        conn.execute(
            sa.select(P.c.checklist).where(P.c.member_key == member, P.c.step == step)
        ).scalars()
    )


__all__ = [
    "ProgressRow",
    "add_mark",
    "audience",
    "complete",
    "enrol",
    "enrolled_in",
    "load",
    "marks",
    "set_stalled",
    "utc",
]

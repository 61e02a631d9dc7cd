"""The champion roster: who is candidate, invited, active, alumni or declined, and since when.

Every change of state writes a history row with the date and who made it, so the programme can
be audited without a separate log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from ..clock import utc
from ..errors import E20KitError
from ..privacy import Pseudonymiser
from ..store.schema import champion_buddies, champion_history, champion_roster, members


class RosterState(StrEnum):
    """Where a member stands in the champion programme."""

    CANDIDATE = "candidate"
    """Nominated from the data; not yet asked."""
    INVITED = "invited"
    """An invitation went out."""
    ACTIVE = "active"
    """Accepted; counts towards coverage and takes buddies."""
    ALUMNI = "alumni"
    """Was a champion and stepped down."""
    DECLINED = "declined"
    """Said no (or was taken off the list); never nominated again."""


TRANSITIONS: dict[RosterState | None, frozenset[RosterState]] = {
    None: frozenset({RosterState.CANDIDATE, RosterState.ACTIVE}),
    RosterState.CANDIDATE: frozenset(
        {RosterState.INVITED, RosterState.ACTIVE, RosterState.DECLINED}
    ),
    RosterState.INVITED: frozenset({RosterState.ACTIVE, RosterState.DECLINED}),
    RosterState.ACTIVE: frozenset({RosterState.ALUMNI}),
    RosterState.ALUMNI: frozenset({RosterState.ACTIVE}),
    RosterState.DECLINED: frozenset({RosterState.ACTIVE}),
}
"""Allowed changes; ``None`` is "not on the roster" (accepting appoints a member directly)."""

COVERING = (RosterState.INVITED, RosterState.ACTIVE)
"""States that count towards a department's coverage."""


class ChampionError(E20KitError):
    """A roster change that is not allowed (unknown member, impossible transition)."""

    exit_code = 2


@dataclass(frozen=True)
class RosterEntry:
    """One member on the roster."""

    member_key: str
    department: str | None
    state: RosterState
    score: float
    nominated_at: dt.datetime
    updated_at: dt.datetime
    updated_by: str
    buddies: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "member": self.member_key,
            "department": self.department,
            "state": self.state.value,
            "score": self.score,
            "nominated_at": self.nominated_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "updated_by": self.updated_by,
            "buddies": self.buddies,
        }


@dataclass(frozen=True)
class StateChange:
    """A recorded change of state."""

    member_key: str
    from_state: RosterState | None
    to_state: RosterState
    changed_at: dt.datetime
    changed_by: str
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "member": self.member_key,
            "from": self.from_state.value if self.from_state else None,
            "to": self.to_state.value,
            "changed_at": self.changed_at.isoformat(),
            "changed_by": self.changed_by,
            "note": self.note,
        }


def aware(value: Any) -> dt.datetime:
    """A stored timestamp (a datetime, or ISO text from an SQLite aggregate) in UTC."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return utc(value)


def _entry(row: Any, buddies: int = 0) -> RosterEntry:
    return RosterEntry(
        member_key=row.member_key,
        department=row.department,
        state=RosterState(row.state),
        score=float(row.score),
        nominated_at=aware(row.nominated_at),
        updated_at=aware(row.updated_at),
        updated_by=row.updated_by,
        buddies=buddies,
    )


def load_roster(engine: sa.Engine, states: tuple[RosterState, ...] = ()) -> list[RosterEntry]:
    """The roster with each champion's current buddy count, by state then department."""
    with engine.connect() as conn:
        return read_roster(conn, states)


def read_roster(conn: sa.Connection, states: tuple[RosterState, ...] = ()) -> list[RosterEntry]:
    """:func:`load_roster` on the caller's connection."""
    load = (
        sa.select(champion_buddies.c.champion_key, sa.func.count().label("n"))
        .where(champion_buddies.c.ended_at.is_(None))
        .group_by(champion_buddies.c.champion_key)
        .subquery()
    )
    query = (
        sa.select(champion_roster, sa.func.coalesce(load.c.n, 0).label("buddies"))
        .select_from(
            champion_roster.outerjoin(load, load.c.champion_key == champion_roster.c.member_key)
        )
        .order_by(
            champion_roster.c.state, champion_roster.c.department, champion_roster.c.member_key
        )
    )
    if states:
        query = query.where(champion_roster.c.state.in_([s.value for s in states]))
    return [_entry(row, int(row.buddies)) for row in conn.execute(query)]


def load_history(engine: sa.Engine, member_key: str | None = None) -> list[StateChange]:
    query = sa.select(champion_history).order_by(champion_history.c.id)
    if member_key is not None:
        query = query.where(champion_history.c.member_key == member_key)
    with engine.connect() as conn:
        return [
            StateChange(
                member_key=r.member_key,
                from_state=RosterState(r.from_state) if r.from_state else None,
                to_state=RosterState(r.to_state),
                changed_at=aware(r.changed_at),
                changed_by=r.changed_by,
                note=r.note,
            )
            for r in conn.execute(query)
        ]


def record(
    conn: sa.Connection,
    member_key: str,
    from_state: RosterState | None,
    to_state: RosterState,
    *,
    by: str,
    now: dt.datetime,
    note: str | None = None,
) -> StateChange:
    """Write one history row (the caller has already changed the roster row)."""
    conn.execute(
        champion_history.insert().values(
            member_key=member_key,
            from_state=from_state.value if from_state else None,
            to_state=to_state.value,
            changed_at=now,
            changed_by=by[:100],
            note=note,
        )
    )
    return StateChange(member_key, from_state, to_state, now, by, note)


def note_invitation(
    engine: sa.Engine, member_key: str, attempt: int, *, by: str, now: dt.datetime, note: str
) -> StateChange:
    """Record a further invitation to a member who is still ``invited`` (they stay so)."""
    invited = RosterState.INVITED
    with engine.begin() as conn:
        conn.execute(
            champion_roster.update()
            .where(
                champion_roster.c.member_key == member_key,
                champion_roster.c.state == invited.value,
            )
            .values(invite_attempt=attempt, updated_at=now, updated_by=by[:100])
        )
        return record(conn, member_key, invited, invited, by=by, now=now, note=note)


def set_state(
    engine: sa.Engine,
    member_key: str,
    to_state: RosterState,
    *,
    by: str,
    now: dt.datetime,
    note: str | None = None,
) -> StateChange:
    """Move a member to ``to_state``; raises :class:`ChampionError` when that is not allowed."""
    with engine.begin() as conn:
        row = conn.execute(
            sa.select(champion_roster.c.state).where(champion_roster.c.member_key == member_key)
        ).first()
        current = RosterState(row.state) if row else None
        if to_state not in TRANSITIONS[current]:
            where = f"is {current.value}" if current else "is not on the roster"
            raise ChampionError(
                f"member {member_key} {where}; cannot move to {to_state.value}",
                member=member_key,
            )
        if current is None:
            department = conn.execute(
                sa.select(members.c.department).where(members.c.member_key == member_key)
            ).scalar_one_or_none()
            conn.execute(
                champion_roster.insert().values(
                    member_key=member_key,
                    department=department,
                    state=to_state.value,
                    score=0.0,
                    nominated_at=now,
                    updated_at=now,
                    updated_by=by[:100],
                )
            )
        else:
            updated = conn.execute(
                champion_roster.update()
                .where(
                    champion_roster.c.member_key == member_key,
                    champion_roster.c.state == current.value,
                )
                .values(state=to_state.value, updated_at=now, updated_by=by[:100])
            )
            if updated.rowcount != 1:
                raise ChampionError(
                    f"member {member_key} changed state concurrently; try again",
                    member=member_key,
                )
        if to_state is not RosterState.ACTIVE:
            conn.execute(
                champion_buddies.update()
                .where(
                    champion_buddies.c.champion_key == member_key,
                    champion_buddies.c.ended_at.is_(None),
                )
                .values(ended_at=now)
            )
        return record(conn, member_key, current, to_state, by=by, now=now, note=note)


def resolve_member(engine: sa.Engine, pseudonymiser: Pseudonymiser, text: str) -> str:
    """A member key from a key or an e-mail address (pseudonymised with the configured secret)."""
    text = text.strip()
    candidates = [text]
    if "@" in text:
        candidates.insert(0, pseudonymiser.member_key(email=text, platform="", person_id=""))
    with engine.connect() as conn:
        for key in candidates:
            found = conn.execute(
                sa.select(members.c.member_key).where(members.c.member_key == key)
            ).scalar_one_or_none()
            if found is None:
                found = conn.execute(
                    sa.select(champion_roster.c.member_key).where(
                        champion_roster.c.member_key == key
                    )
                ).scalar_one_or_none()
            if found is not None:
                return str(found)
    raise ChampionError(f"no member matches {_masked(text)}", member=_masked(text))


def _masked(text: str) -> str:
    """Never echo a full e-mail address into logs or error messages."""
    if "@" not in text:
        return repr(text)
    local, _, domain = text.partition("@")
    return f"'{local[:1]}***@{domain}'"


__all__ = [
    "COVERING",
    "TRANSITIONS",
    "ChampionError",
    "RosterEntry",
    "RosterState",
    "StateChange",
    "aware",
    "load_history",
    "load_roster",
    "read_roster",
    "record",
    "resolve_member",
    "set_state",
]

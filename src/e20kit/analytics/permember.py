"""Every member active in a period with what the headline, groups and newcomers need.

Activity comes from the day bytes (:mod:`.cube`); department, leader flag and joining day from
one read of the members table. Nothing returned carries a member key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa

from ..store import history
from ..store.rollup import CREATOR
from ..store.values import stored_date
from .contributions import per_member
from .cube import Cube, Ints, has_bits
from .headline import MemberRows
from .period import Period
from .sql import UNKNOWN_DEPARTMENT, department_label, leader_flag, members


@dataclass(frozen=True)
class Member:
    """What the analytics know of a member besides activity."""

    department: str
    leader: bool
    joined: dt.date | None
    active: bool

    def on_record(self, end: dt.date) -> bool:
        """Not deactivated, and joined before ``end`` (or joining day unknown)."""
        return self.active and (self.joined is None or self.joined < end)


def directory(
    conn: sa.Connection, leader_departments: tuple[str, ...], as_of: dt.date | None = None
) -> dict[str, Member]:
    """Every member of the store by key, with the attributes they had on ``as_of`` (the
    period's last day; :mod:`e20kit.store.history`), or their current ones without it."""
    people = _current_directory(conn, leader_departments)
    if as_of is None:
        return people
    for key, (department, is_leader, joined, active) in history.as_of(conn, as_of).items():
        if key not in people:
            continue  # erased since: gone from every figure
        label = UNKNOWN_DEPARTMENT if department is None else str(department)
        people[key] = Member(
            label,
            bool(is_leader) or label in leader_departments,
            None if joined is None else stored_date(joined),
            bool(active),
        )
    return people


def _current_directory(
    conn: sa.Connection, leader_departments: tuple[str, ...]
) -> dict[str, Member]:
    stmt = sa.select(
        members.c.member_key,
        department_label(),
        leader_flag(leader_departments),
        members.c.joined_on,
        members.c.active,
    )
    # plain tuples from the driver (SQLite's ISO dates parse in C), as for the rollup's rows
    return {
        str(key): Member(
            str(dept), bool(leader), None if joined is None else stored_date(joined), bool(active)
        )
        for key, dept, leader, joined, active in conn.execute(stmt).cursor.fetchall()
    }


def on_record(people: dict[str, Member], end: dt.date) -> int:
    """Members not deactivated who had joined by ``end`` (or whose joining day is unknown)."""
    return sum(1 for person in people.values() if person.on_record(end))


@dataclass(frozen=True)
class ActiveMembers:
    """The members active in a period, as parallel arrays (no keys)."""

    rows: MemberRows
    creator: npt.NDArray[np.bool_]
    """Some contribution with a positive count."""
    newcomer: npt.NDArray[np.bool_]
    """Joined within the newcomer window before the period's end."""
    group: Ints
    """Index into ``groups`` of the member's (department, leader), -1 when not on record."""
    groups: tuple[tuple[str, bool], ...]

    def __len__(self) -> int:
        return len(self.rows)


def period_members(
    cube: Cube,
    period: Period,
    contributions: Ints,
    people: dict[str, Member],
    *,
    newcomer_days: int,
) -> ActiveMembers:
    """Every member active in ``period``; ``contributions`` are the pairs' in the period."""
    days = cube.members[:, cube.cols(period.start, period.end)]
    active = np.flatnonzero(np.count_nonzero(days, axis=1))
    rows = MemberRows.of(days[active], per_member(cube, contributions)[active])
    creator = np.count_nonzero(has_bits(days[active], CREATOR), axis=1) > 0
    since = period.end - dt.timedelta(days=newcomer_days)
    newcomer = np.zeros(len(active), dtype=bool)
    group = np.full(len(active), -1, dtype=np.int64)
    numbers: dict[tuple[str, bool], int] = {}
    for row, member in enumerate(active.tolist()):
        person = people.get(cube.keys[member])
        if person is None:
            continue
        joined = person.joined
        newcomer[row] = joined is not None and since <= joined < period.end
        if person.on_record(period.end):
            key = (person.department, person.leader)
            group[row] = numbers.setdefault(key, len(numbers))
    return ActiveMembers(rows, creator, newcomer, group, tuple(numbers))


__all__ = ["ActiveMembers", "Member", "directory", "on_record", "period_members"]

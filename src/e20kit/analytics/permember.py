"""Every member active in a period with what the headline, groups and newcomers need.

Activity comes from the day bytes (:mod:`.cube`); department, leader flag and joining day from
one read of the members table. Nothing returned carries a member key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa

from ..store.rollup import CREATOR
from .contributions import per_member
from .cube import Cube, Ints, active_days, features_used, has_bits
from .headline import MemberRow
from .period import Period
from .sql import department_label, leader_flag, members


def members_subquery(period: Period, leader_departments: tuple[str, ...]) -> sa.Subquery:
    """Members on record at the period's end with their department label and leader flag."""
    return (
        sa.select(
            members.c.member_key,
            department_label().label("department"),
            leader_flag(leader_departments).label("leader"),
        )
        .where(
            members.c.active == sa.true(),
            sa.or_(members.c.joined_on.is_(None), members.c.joined_on < period.end),
        )
        .subquery("m")
    )


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


def directory(conn: sa.Connection, leader_departments: tuple[str, ...]) -> dict[str, Member]:
    """Every member of the store by key."""
    stmt = sa.select(
        members.c.member_key,
        department_label(),
        leader_flag(leader_departments),
        members.c.joined_on,
        members.c.active,
    )
    return {
        str(key): Member(str(dept), bool(leader), joined, bool(active))
        for key, dept, leader, joined, active in conn.execute(stmt)
    }


@dataclass(frozen=True)
class MemberFacts:
    """One member active in the period."""

    row: MemberRow
    creator: bool
    """Some contribution with a positive count."""
    group: tuple[str, bool] | None
    """(department, leader) when the member is on record, else ``None``."""
    newcomer: bool
    """Joined within the newcomer window before the period's end."""


def period_members(
    cube: Cube,
    period: Period,
    contributions: tuple[Ints, Ints],
    people: dict[str, Member],
    *,
    newcomer_days: int,
) -> list[MemberFacts]:
    """Every member active in ``period``; ``contributions`` are the pairs' sums of the period."""
    days = cube.members[:, cube.cols(period.start, period.end)]
    counted = active_days(days)
    used = features_used(days)
    creator = np.count_nonzero(has_bits(days, CREATOR), axis=1) > 0
    con = per_member(cube, contributions[0])
    hlp = per_member(cube, contributions[1])
    since = period.end - dt.timedelta(days=newcomer_days)
    out = []
    for i in np.flatnonzero(counted > 0).tolist():
        person = people.get(cube.keys[i])
        joined = person.joined if person else None
        out.append(
            MemberFacts(
                row=(int(counted[i]), int(con[i]), int(hlp[i]), int(used[i])),
                creator=bool(creator[i]),
                group=(person.department, person.leader)
                if person and person.on_record(period.end)
                else None,
                newcomer=joined is not None and since <= joined < period.end,
            )
        )
    return out


__all__ = ["Member", "MemberFacts", "directory", "members_subquery", "period_members"]

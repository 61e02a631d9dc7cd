"""One pass over the period's facts for every per-member figure: headline, groups, newcomers.

The headline's rollup, the leaders/departments statistics and the newcomers' activity all group
the period's facts by member; one query does it, then joins the (small) result to the member's
group and joining day. Rows come back without member keys.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from .headline import MemberRow
from .period import Period
from .scratch import Scratch, lit
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
    conn: sa.Connection,
    src: Scratch,
    period: Period,
    *,
    leader_departments: tuple[str, ...],
    newcomer_days: int,
) -> list[MemberFacts]:
    """Every member active in ``period``, with what the headline, groups and newcomers need."""
    per_member = (
        sa.select(
            src.rows.c.member_key,
            sa.func.count(sa.distinct(src.rows.c.d)).label("days"),
            sa.func.sum(src.rows.c.con).label("con"),
            sa.func.sum(src.rows.c.hlp).label("hlp"),
            sa.func.count(sa.distinct(src.rows.c.feature)).label("features"),
            sa.func.max(sa.case((src.rows.c.con > 0, 1), else_=0)).label("creator"),
        )
        .where(src.in_span(period.start, period.end))
        .group_by(src.rows.c.member_key)
        .subquery("a")
    )
    msub = members_subquery(period, leader_departments)
    since = period.end - dt.timedelta(days=newcomer_days)
    joined = members.c.joined_on
    newcomer = sa.case((sa.and_(joined >= since, joined < period.end), 1), else_=0)
    stmt = sa.select(
        per_member.c.days,
        per_member.c.con,
        per_member.c.hlp,
        per_member.c.features,
        per_member.c.creator,
        msub.c.member_key.is_not(None).label("on_record"),
        msub.c.department,
        msub.c.leader,
        sa.func.coalesce(newcomer, lit(0)),
    ).select_from(
        per_member.outerjoin(msub, msub.c.member_key == per_member.c.member_key).outerjoin(
            members, members.c.member_key == per_member.c.member_key
        )
    )
    out = []
    for days, con, hlp, features, creator, on_record, dept, leader, fresh in conn.execute(
        stmt
    ).yield_per(5000):
        out.append(
            MemberFacts(
                row=(int(days), int(con or 0), int(hlp or 0), int(features)),
                creator=bool(creator),
                group=(str(dept), bool(leader)) if on_record else None,
                newcomer=bool(fresh),
            )
        )
    return out


__all__ = ["MemberFacts", "members_subquery", "period_members"]

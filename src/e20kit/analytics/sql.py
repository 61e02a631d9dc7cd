"""SQL pieces the metric modules share (SQLite and PostgreSQL): who is a leader, which
department a member counts in, and ratios that stay ``None`` on an empty whole."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.expression import ColumnElement

from ..store import schema

members = schema.members

UNKNOWN_DEPARTMENT = "(unknown)"


def leader_flag(leader_departments: tuple[str, ...]) -> ColumnElement[bool]:
    """True for leaders: direct reports or title pattern (set by collect), or a leader group."""
    flag: ColumnElement[bool] = members.c.is_leader == sa.true()
    if leader_departments:
        flag = sa.or_(flag, members.c.department.in_(leader_departments))
    return flag


def department_label() -> ColumnElement[str]:
    return sa.func.coalesce(members.c.department, UNKNOWN_DEPARTMENT)


def ratio(part: float | int | None, whole: float | int | None) -> float | None:
    """``part / whole`` or ``None`` when the whole is empty."""
    if part is None or not whole:
        return None
    return float(part) / float(whole)


__all__ = ["UNKNOWN_DEPARTMENT", "department_label", "leader_flag", "members", "ratio"]

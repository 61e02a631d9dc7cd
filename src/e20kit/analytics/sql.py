"""Portable SQL pieces shared by the metric modules (SQLite and PostgreSQL).

Date arithmetic differs between the two dialects, so :class:`days_between` compiles to
``julianday`` differences on SQLite and to ``date - date`` on PostgreSQL. Weeks and months in
reports are blocks of 7 and 30 days counted back from the period's end, so every dialect buckets
days the same way with plain integer division.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from ..store import schema
from ..vocab import CONTRIBUTION_ACTIONS, HELPING_ACTIONS

facts = schema.facts
members = schema.members

CONTRIBUTION = sorted(str(a) for a in CONTRIBUTION_ACTIONS)
HELPING = sorted(str(a) for a in HELPING_ACTIONS)
UNKNOWN_DEPARTMENT = "(unknown)"


class days_between(FunctionElement[int]):
    """``later - earlier`` in whole days, for two date expressions."""

    type = sa.Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_default(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    a, b = compiler.process(later, **kw), compiler.process(earlier, **kw)
    return f"(CAST({a} AS DATE) - CAST({b} AS DATE))"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


def date_literal(day: dt.date) -> ColumnElement[dt.date]:
    """A date rendered inline (not bound), so identical expressions in SELECT and GROUP BY
    compile to identical SQL, which PostgreSQL requires."""
    return sa.literal_column(f"'{day.isoformat()}'", sa.Date())


def block(end: dt.date, size: int, column: ColumnElement[Any] | None = None) -> ColumnElement[int]:
    """Index of the ``size``-day block, counted back from ``end`` (0 = the last block)."""
    day = facts.c.day if column is None else column
    one = sa.literal_column("1", sa.Integer())
    return (days_between(date_literal(end), day) - one) // sa.literal_column(
        str(int(size)), sa.Integer()
    )


def in_span(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    return sa.and_(facts.c.day >= start, facts.c.day < end)


def contributions() -> ColumnElement[int]:
    """Per fact: its count when it is a contribution, else 0."""
    return sa.case((facts.c.action.in_(CONTRIBUTION), facts.c.count), else_=0)


def helping() -> ColumnElement[int]:
    return sa.case((facts.c.action.in_(HELPING), facts.c.count), else_=0)


def contributor_key() -> ColumnElement[Any]:
    """Member key on contribution facts, else NULL: ``count(DISTINCT ...)`` counts creators."""
    return sa.case((facts.c.action.in_(CONTRIBUTION), facts.c.member_key), else_=None)


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


__all__ = [
    "CONTRIBUTION",
    "HELPING",
    "UNKNOWN_DEPARTMENT",
    "block",
    "contributions",
    "contributor_key",
    "date_literal",
    "days_between",
    "department_label",
    "facts",
    "helping",
    "in_span",
    "leader_flag",
    "members",
    "ratio",
]

"""Tiny hand-built stores: rows go straight into ``members`` and ``facts``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa

from e20kit.store import schema

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 1)
"""``last-28d`` before TODAY is 2026-02-01 .. 2026-02-28: a Sunday, three whole ISO weeks
from Monday 2 February, and six days."""


def member(
    key: str,
    *,
    department: str | None = "Sales",
    leader: bool = False,
    joined: dt.date | None = None,
    active: bool = True,
) -> dict[str, object]:
    return {
        "member_key": key,
        "department": department,
        "title": None,
        "manager_key": None,
        "joined_on": joined,
        "locale": "en",
        "is_leader": leader,
        "active": active,
        "updated_at": NOW,
    }


def fact(
    day: dt.date,
    key: str,
    action: str = "view",
    *,
    count: int = 1,
    platform: str = "wiki",
    feature: str = "wiki",
    container: str = "",
) -> dict[str, object]:
    return {
        "day": day,
        "member_key": key,
        "platform": platform,
        "action": action,
        "feature": feature,
        "container": container,
        "count": count,
        "source": platform,
    }


def insert(
    engine: sa.Engine,
    members: Iterable[dict[str, object]] = (),
    facts: Iterable[dict[str, object]] = (),
) -> None:
    members, facts = list(members), list(facts)
    with engine.begin() as conn:
        if members:
            conn.execute(schema.members.insert(), members)
        if facts:
            conn.execute(schema.facts.insert(), facts)


def day(n: int) -> dt.date:
    """Day ``n`` of February 2026 (1-based)."""
    return dt.date(2026, 2, n)

"""Which newcomers are stalled, and how far each got: what pairing and digests need.

When onboarding has stored progress for a member, its steps are the truth. Otherwise a newcomer
counts as stalled when they joined ``stalled_days`` ago or more (within ``newcomer_days``) and have
no contribution facts since joining.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..store.schema import facts, members
from ..vocab import CONTRIBUTION_ACTIONS
from .settings import ChampionsSettings


@dataclass(frozen=True)
class Newcomer:
    member_key: str
    department: str | None
    joined_on: dt.date | None
    step: str | None = None
    """The step they are stuck on, when onboarding knows it."""


@dataclass(frozen=True)
class Progress:
    """A buddy's onboarding progress as a champion's digest shows it: steps only, no content."""

    member_key: str
    joined_on: dt.date | None
    done: tuple[str, ...] = ()
    open: tuple[str, ...] = ()
    stalled_on: str | None = None
    contributed: bool = field(default=False)
    """Whether any contribution is stored since joining (used when no checklist applies)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "member": self.member_key,
            "joined_on": self.joined_on.isoformat() if self.joined_on else None,
            "done": list(self.done),
            "open": list(self.open),
            "stalled_on": self.stalled_on,
            "contributed": self.contributed,
        }


def _contributed() -> sa.Exists:
    return (
        sa.select(facts.c.member_key)
        .where(
            facts.c.member_key == members.c.member_key,
            facts.c.day >= members.c.joined_on,
            facts.c.action.in_([a.value for a in CONTRIBUTION_ACTIONS]),
            facts.c.count > 0,
        )
        .exists()
    )


def newcomer_keys(engine: sa.Engine, settings: ChampionsSettings, today: dt.date) -> set[str]:
    """Active members who joined within ``newcomer_days``."""
    since = today - dt.timedelta(days=settings.newcomer_days)
    query = sa.select(members.c.member_key).where(
        members.c.active.is_(True), members.c.joined_on >= since, members.c.joined_on <= today
    )
    with engine.connect() as conn:
        return {str(k) for k in conn.execute(query).scalars()}


def stalled_newcomers(
    engine: sa.Engine, settings: ChampionsSettings, today: dt.date
) -> list[Newcomer]:
    """Newcomers stalled for ``stalled_days`` without contributing (the fallback rule)."""
    since = today - dt.timedelta(days=settings.newcomer_days)
    until = today - dt.timedelta(days=settings.stalled_days)
    query = (
        sa.select(members.c.member_key, members.c.department, members.c.joined_on)
        .where(
            members.c.active.is_(True),
            members.c.joined_on >= since,
            members.c.joined_on <= until,
            ~_contributed(),
        )
        .order_by(members.c.joined_on, members.c.member_key)
    )
    with engine.connect() as conn:
        return [Newcomer(str(k), d, j) for k, d, j in conn.execute(query)]


def progress(engine: sa.Engine, keys: Collection[str]) -> dict[str, Progress]:
    """Progress of ``keys`` from stored facts (the fallback when onboarding knows nothing)."""
    if not keys:
        return {}
    query = sa.select(
        members.c.member_key, members.c.joined_on, _contributed().label("contributed")
    ).where(members.c.member_key.in_(sorted(keys)))
    with engine.connect() as conn:
        return {str(k): Progress(str(k), j, contributed=bool(c)) for k, j, c in conn.execute(query)}


__all__ = ["Newcomer", "Progress", "newcomer_keys", "progress", "stalled_newcomers"]

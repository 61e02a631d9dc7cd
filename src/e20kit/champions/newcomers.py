"""Which newcomers are stalled, and how far each got: what pairing and digests need.

Newcomers joined within ``newcomer_days``; only those who joined ``stalled_days`` ago or more can
be stalled. When onboarding tracks a member (rows in ``onboarding_progress``), its verdict is the
truth: stalled means the current step of a checklist is flagged stalled by the last onboarding
run. For members no checklist tracks, stalled means no contribution facts since joining.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..store.participation import participation
from ..store.schema import facts, members, onboarding_progress
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
            participation(facts.c.platform),
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


def _tracked() -> sa.Exists:
    p = onboarding_progress
    return (
        sa.select(p.c.member_key)
        .where(p.c.member_key == members.c.member_key, p.c.in_audience.is_(True))
        .exists()
    )


def stalled_newcomers(
    engine: sa.Engine, settings: ChampionsSettings, today: dt.date
) -> list[Newcomer]:
    """Newcomers stalled for pairing, oldest first (see the module docstring)."""
    p = onboarding_progress
    since = today - dt.timedelta(days=settings.newcomer_days)
    until = today - dt.timedelta(days=settings.stalled_days)
    base = sa.select(members.c.member_key, members.c.department, members.c.joined_on).where(
        members.c.active.is_(True), members.c.joined_on >= since, members.c.joined_on <= until
    )
    untracked = base.add_columns(sa.null().label("step")).where(~_tracked(), ~_contributed())
    flagged = (
        sa.select(p.c.member_key, sa.func.min(p.c.step).label("step"))
        .where(
            p.c.in_audience.is_(True), p.c.completed_at.is_(None), p.c.stalled_since.is_not(None)
        )
        .group_by(p.c.member_key)
        .subquery()
    )
    tracked = base.add_columns(flagged.c.step).join_from(
        members, flagged, flagged.c.member_key == members.c.member_key
    )
    out: list[Newcomer] = []
    with engine.connect() as conn:
        for query in (untracked, tracked):
            out.extend(Newcomer(str(k), d, j, step) for k, d, j, step in conn.execute(query))
    return sorted(out, key=lambda n: (n.joined_on or dt.date.min, n.member_key))


def progress(engine: sa.Engine, keys: Collection[str]) -> dict[str, Progress]:
    """Progress of ``keys``: onboarding's steps where tracked, else whether they contributed."""
    if not keys:
        return {}
    p = onboarding_progress
    wanted = sorted(keys)
    query = sa.select(
        members.c.member_key, members.c.joined_on, _contributed().label("contributed")
    ).where(members.c.member_key.in_(wanted))
    steps = (
        sa.select(p.c.member_key, p.c.step, p.c.completed_at, p.c.stalled_since)
        .where(p.c.member_key.in_(wanted), p.c.in_audience.is_(True))
        .order_by(p.c.member_key, p.c.checklist, p.c.position)
    )
    done: dict[str, list[str]] = {}
    todo: dict[str, list[str]] = {}
    stuck: dict[str, str] = {}
    with engine.connect() as conn:
        base = [(str(k), j, bool(c)) for k, j, c in conn.execute(query)]
        for key, step, completed, stalled in conn.execute(steps):
            (done if completed is not None else todo).setdefault(str(key), []).append(step)
            if completed is None and stalled is not None:
                stuck.setdefault(str(key), step)
    return {
        k: Progress(
            k,
            j,
            done=tuple(done.get(k, ())),
            open=tuple(todo.get(k, ())),
            stalled_on=stuck.get(k),
            contributed=c,
        )
        for k, j, c in base
    }


__all__ = ["Newcomer", "Progress", "newcomer_keys", "progress", "stalled_newcomers"]

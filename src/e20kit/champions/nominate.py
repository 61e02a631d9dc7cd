"""Nomination: per department, the best-scoring members until the coverage target is met.

Stable by construction: candidates already on the roster count towards the target, and members on
the roster in any state are never nominated again, so a rerun on unchanged data adds nobody.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..delivery import opted_out
from ..store.schema import champion_roster, members
from .roster import RosterState, record
from .scoring import ChampionScore
from .settings import ChampionsSettings


@dataclass(frozen=True)
class Nomination:
    member_key: str
    department: str | None
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {"member": self.member_key, "department": self.department, "score": self.score}


@dataclass(frozen=True)
class DepartmentCoverage:
    """A department's size, target and how many champions and candidates it has."""

    department: str
    members: int
    target: int
    champions: int
    """Invited and active champions."""
    candidates: int
    """Candidates before this run."""
    nominated: int
    """New candidates from this run."""

    @property
    def met(self) -> bool:
        return self.champions + self.candidates + self.nominated >= self.target

    def as_dict(self) -> dict[str, Any]:
        return {
            "department": self.department,
            "members": self.members,
            "target": self.target,
            "champions": self.champions,
            "candidates": self.candidates,
            "nominated": self.nominated,
            "met": self.met,
        }


@dataclass(frozen=True)
class NominationResult:
    nominated: tuple[Nomination, ...]
    departments: tuple[DepartmentCoverage, ...]
    dry_run: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "nominated": [n.as_dict() for n in self.nominated],
            "departments": [d.as_dict() for d in self.departments],
        }


def target_for(size: int, settings: ChampionsSettings) -> int:
    """Champions a department of ``size`` members should have."""
    if size < settings.min_department_size:
        return 0
    return max(1, math.ceil(size / settings.members_per_champion))


def _department_sizes(conn: sa.Connection) -> dict[str, int]:
    query = (
        sa.select(members.c.department, sa.func.count())
        .where(members.c.active.is_(True), members.c.department.is_not(None))
        .group_by(members.c.department)
    )
    return {str(d): int(n) for d, n in conn.execute(query)}


def _roster_counts(conn: sa.Connection) -> tuple[set[str], dict[str, dict[str, int]]]:
    """Everyone on the roster, and per current department the count of each state."""
    department = sa.func.coalesce(members.c.department, champion_roster.c.department)
    query = sa.select(
        champion_roster.c.member_key, champion_roster.c.state, department
    ).select_from(
        champion_roster.outerjoin(members, members.c.member_key == champion_roster.c.member_key)
    )
    keys: set[str] = set()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, state, dept in conn.execute(query):
        keys.add(str(key))
        if dept is not None:
            counts[str(dept)][str(state)] += 1
    return keys, counts


def plan(
    conn: sa.Connection,
    settings: ChampionsSettings,
    scores: Sequence[ChampionScore],
    opted: set[str],
) -> tuple[list[Nomination], list[DepartmentCoverage]]:
    """Who would be nominated now, and each department's coverage; ``opted`` never are."""
    sizes = _department_sizes(conn)
    on_roster, counts = _roster_counts(conn)
    excluded = on_roster | opted
    by_department: dict[str, list[ChampionScore]] = defaultdict(list)
    for score in scores:  # already best first
        if score.department is not None:
            by_department[score.department].append(score)
    picks: list[Nomination] = []
    coverage: list[DepartmentCoverage] = []
    for department in sorted(sizes):
        state = counts.get(department, {})
        champions = sum(state.get(s.value, 0) for s in (RosterState.INVITED, RosterState.ACTIVE))
        active = state.get(RosterState.ACTIVE.value, 0)
        candidates = state.get(RosterState.CANDIDATE.value, 0)
        target = target_for(sizes[department], settings)
        counted = candidates + (
            champions if settings.skip_covered_departments else champions - active
        )
        need = max(0, target - counted)
        chosen = [
            s
            for s in by_department.get(department, ())
            if s.member_key not in excluded and s.score >= settings.min_score and s.score > 0
        ][:need]
        picks.extend(Nomination(s.member_key, department, s.score) for s in chosen)
        coverage.append(
            DepartmentCoverage(
                department, sizes[department], target, champions, candidates, len(chosen)
            )
        )
    return picks, coverage


def nominate(
    engine: sa.Engine,
    settings: ChampionsSettings,
    scores: Sequence[ChampionScore],
    *,
    now: dt.datetime,
    by: str,
    dry_run: bool = False,
    on_nominated: Callable[[Nomination], None] | None = None,
) -> NominationResult:
    """Add the planned nominations to the roster as candidates (unless ``dry_run``).

    ``on_nominated`` is called after the commit, once per roster row this run inserted.
    """
    opted = opted_out(engine, "champions")  # scope "champions" or "all"
    with engine.begin() as conn:
        picks, coverage = plan(conn, settings, scores, opted)
        if dry_run:
            return NominationResult(tuple(picks), tuple(coverage), True)
        inserted = [n for n in picks if _insert(conn, n, now=now, by=by)]
    if on_nominated is not None:
        for nomination in inserted:
            on_nominated(nomination)
    return NominationResult(tuple(inserted), tuple(coverage), False)


def _insert(conn: sa.Connection, nomination: Nomination, *, now: dt.datetime, by: str) -> bool:
    """Insert a candidate row; False when a concurrent run already has the member."""
    exists = conn.execute(
        sa.select(champion_roster.c.member_key).where(
            champion_roster.c.member_key == nomination.member_key
        )
    ).first()
    if exists:
        return False
    conn.execute(
        champion_roster.insert().values(
            member_key=nomination.member_key,
            department=nomination.department,
            state=RosterState.CANDIDATE.value,
            score=nomination.score,
            nominated_at=now,
            updated_at=now,
            updated_by=by[:100],
        )
    )
    record(
        conn, nomination.member_key, None, RosterState.CANDIDATE, by=by, now=now, note="nominated"
    )
    return True


__all__ = [
    "DepartmentCoverage",
    "Nomination",
    "NominationResult",
    "nominate",
    "plan",
    "target_for",
]

"""The onboarding funnel per checklist and step, computed in SQL from stored progress.

Figures reflect the last ``e20kit onboarding run`` (which writes ``onboarding_progress``):

* ``eligible``: members ever enrolled in the checklist (each enrolled member has a row per step);
* ``completed``: of those, members who completed this step (in any order);
* ``stalled``: members for whom this step is the current one (the first not completed) and who
  have been stuck on it at least the checklist's ``nudges.stuck_days`` at the last run.

The diagnosis reads it to spot "too little training" (steps few people complete).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..store import schema


@dataclass(frozen=True)
class StepFunnel:
    """One step of one checklist in the funnel."""

    checklist: str
    step: str
    position: int
    """1-based order of the step in its checklist."""
    eligible: int
    completed: int
    stalled: int


def funnel(engine: sa.Engine) -> list[StepFunnel]:
    """Every checklist's steps with their figures, ordered by checklist and position."""
    p = schema.onboarding_progress
    done = sa.case((p.c.completed_at.is_not(None), 1), else_=0)
    stuck = sa.case(
        (sa.and_(p.c.completed_at.is_(None), p.c.stalled_since.is_not(None)), 1), else_=0
    )
    stmt = (
        sa.select(
            p.c.checklist,
            p.c.step,
            sa.func.max(p.c.position),
            sa.func.count(),
            sa.func.sum(done),
            sa.func.sum(stuck),
        )
        .group_by(p.c.checklist, p.c.step)
        .order_by(p.c.checklist, sa.func.max(p.c.position), p.c.step)
    )
    with engine.connect() as conn:
        return [
            StepFunnel(
                checklist=checklist,
                step=step,
                position=int(position),
                eligible=int(eligible),
                completed=int(completed or 0),
                stalled=int(stalled or 0),
            )
            for checklist, step, position, eligible, completed, stalled in conn.execute(stmt)
        ]


__all__ = ["StepFunnel", "funnel"]

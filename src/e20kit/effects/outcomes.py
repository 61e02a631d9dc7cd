"""Each assigned member's outcome at the horizon, read from the store like any metric.

Days count from the day of assignment (day 0). ``active_last_week``: any fact on days
``horizon-7 .. horizon-1``; ``contributed``: a contribution on days ``0 .. horizon-1``;
``checklist_completed``: every step of the checklist completed before day ``horizon``. A member
without any stored activity simply did not reach the outcome (intention to treat: nobody is
dropped for having left, opted out or never received a nudge).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from ..clock import utc
from ..store import schema
from ..store.chunks import chunks
from ..store.participation import participation
from ..vocab import CONTRIBUTION_ACTIONS
from .registry import Assignment
from .settings import Experiment

WEEK = 7


def window(experiment: Experiment, assigned_on: dt.date) -> tuple[dt.date, dt.date]:
    """The half-open day range the outcome looks at."""
    end = assigned_on + dt.timedelta(days=experiment.horizon_days)
    if experiment.outcome == "active_last_week":
        return end - dt.timedelta(days=WEEK), end
    return assigned_on, end


def reached(
    conn: sa.Connection, experiment: Experiment, members: Sequence[Assignment]
) -> dict[str, bool]:
    """Member -> whether the outcome was reached by the horizon."""
    if experiment.outcome == "checklist_completed":
        return _checklist(conn, experiment, members)
    f = schema.facts
    spans = {a.member_key: window(experiment, a.assigned_on) for a in members}
    out = dict.fromkeys(spans, False)
    if not spans:
        return out
    first = min(s for s, _ in spans.values())
    last = max(e for _, e in spans.values())
    where = [f.c.day >= first, f.c.day < last, f.c.count > 0, participation(f.c.platform)]
    if experiment.outcome == "contributed":
        where.append(f.c.action.in_([a.value for a in CONTRIBUTION_ACTIONS]))
    for chunk in chunks(sorted(spans), 500):
        rows = conn.execute(
            sa.select(f.c.member_key, f.c.day).where(f.c.member_key.in_(chunk), *where).distinct()
        )
        for member, day in rows:
            start, end = spans[member]
            if start <= day < end:
                out[member] = True
    return out


def _checklist(
    conn: sa.Connection, experiment: Experiment, members: Sequence[Assignment]
) -> dict[str, bool]:
    p = schema.onboarding_progress
    deadline = {
        a.member_key: utc(a.assigned_at) + dt.timedelta(days=experiment.horizon_days)
        for a in members
    }
    steps: dict[str, list[dt.datetime | None]] = {}
    for chunk in chunks(sorted(deadline), 500):
        rows = conn.execute(
            sa.select(p.c.member_key, p.c.completed_at).where(
                p.c.checklist == experiment.checklist, p.c.member_key.in_(chunk)
            )
        )
        for member, completed in rows:
            steps.setdefault(member, []).append(utc(completed))
    return {
        m: bool(steps.get(m)) and all(c is not None and c < due for c in steps[m])
        for m, due in deadline.items()
    }


__all__ = ["reached", "window"]

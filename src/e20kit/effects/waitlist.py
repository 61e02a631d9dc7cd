"""Buddy pairing as a wait-list: newcomers are drawn when pairing first sees them; a stalled
newcomer in the hold-out arm is paired only ``waitlist_days`` after the draw."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

import sqlalchemy as sa

from . import registry
from .settings import HOLD_OUT, Experiment


def buddy_experiments(experiments: Sequence[Experiment]) -> list[Experiment]:
    return [e for e in experiments if e.programme == "buddies"]


def waiting(
    engine: sa.Engine,
    experiments: Sequence[Experiment],
    newcomers: Collection[str],
    *,
    now: dt.datetime,
    today: dt.date,
    dry_run: bool,
) -> set[str]:
    """Draw newcomers not drawn yet (once, stored unless dry) and return the hold-outs whose
    wait has not ended: pairing skips them for now."""
    held: set[str] = set()
    with engine.connect() as conn:
        for experiment in buddy_experiments(experiments):
            if dry_run:
                registry.started_at(conn, experiment)  # a changed question still fails
            else:
                registry.register(conn, experiment, now)
            drawn = registry.draw(
                conn,
                experiment,
                registry.departments(conn, sorted(newcomers)),
                now=now,
                today=today,
            )
            if not dry_run:
                registry.store(conn, experiment, drawn)
            every = {**registry.load(conn, experiment.id)}
            every.update({a.member_key: a for a in drawn})
            wait = dt.timedelta(days=experiment.waitlist_days)
            held |= {
                key for key, a in every.items() if a.arm == HOLD_OUT and now < a.assigned_at + wait
            }
        if not dry_run:
            conn.commit()
    return held


__all__ = ["buddy_experiments", "waiting"]

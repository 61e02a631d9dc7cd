"""Reading an experiment from the store: who was drawn, who reached the horizon, the estimate."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import sqlalchemy as sa

from . import registry
from .estimate import adjusted, minimum_detectable, newcombe
from .outcomes import reached
from .results import Arm, ExperimentResult
from .settings import HOLD_OUT, NUDGED, Experiment


def read_experiment(
    conn: sa.Connection, experiment: Experiment, *, as_of: dt.date, k: int, lang: str = "en"
) -> ExperimentResult:
    """The experiment's result on ``as_of`` (the last day whose data is complete)."""
    started = registry.started_at(conn, experiment)
    # the first planned_size drawn are analysed; within one run place by place across the
    # departments, so the cut takes every department alike (and survives re-keying)
    drawn = sorted(
        registry.load(conn, experiment.id).values(),
        key=lambda a: (a.assigned_at, a.seq, a.stratum),
    )
    result = ExperimentResult(
        id=experiment.id,
        label=experiment.label(lang),
        programme=experiment.programme,
        outcome=experiment.outcome,
        horizon_days=experiment.horizon_days,
        planned_size=experiment.planned_size,
        as_of=as_of,
        status="not_started",
        started_at=started,
    )
    if started is None or not drawn:
        return result
    analysed = drawn[: experiment.planned_size]
    horizon = dt.timedelta(days=experiment.horizon_days)
    matured = [a for a in analysed if a.assigned_on + horizon <= as_of]
    outcome = reached(conn, experiment, matured)
    arms = tuple(
        Arm(
            arm,
            sum(1 for a in matured if a.arm == arm),
            sum(1 for a in matured if a.arm == arm and outcome[a.member_key]),
        )
        for arm in (NUDGED, HOLD_OUT)
    )
    result = replace(
        result,
        status="inconclusive",
        assigned=len(drawn) if len(drawn) >= k else None,
        at_horizon=len(matured),
    )
    complete = len(analysed) == experiment.planned_size and len(matured) == len(analysed)
    if any(arm.members < k for arm in arms):
        return replace(result, status="suppressed") if complete else result
    pooled = sum(a.reached for a in arms) / len(matured)
    mde = minimum_detectable(arms[0].members, arms[1].members, pooled)
    if not complete:
        return replace(result, minimum_detectable=mde)
    nudged, held = arms
    difference = newcombe(nudged.reached, nudged.members, held.reached, held.members)
    adjusted_difference = adjusted(
        [float(outcome[a.member_key]) for a in matured],
        [a.arm == NUDGED for a in matured],
        [a.stratum for a in matured],
    )
    return replace(
        result,
        status="conclusive" if difference.excludes_zero else "inconclusive",
        arms=arms,
        difference=difference,
        adjusted=adjusted_difference,
        minimum_detectable=mde,
    )


__all__ = ["read_experiment"]

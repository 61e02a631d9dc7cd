"""``effects``: are the effects estimates honest? Many simulated organisations, each estimator.

Simulated at the outcome level (no store), through the very code the report uses: the
permuted-block draw per department (:func:`e20kit.effects.draw.arm_at`), Newcombe's interval and
the department-adjusted OLS (:mod:`e20kit.effects.estimate`) for hold-out experiments; the
stepped-wedge planner (:func:`e20kit.effects.rollout.plan`) and the difference in differences
with its wild cluster bootstrap (:mod:`e20kit.effects.wild`, observational rollouts) and its
randomisation test (:mod:`e20kit.effects.permutation`, randomised order) for rollouts. For
each estimator: coverage of the 95 % interval (target 93-97 %), how often a zero effect is
called significant (at most 5 %, with its standard error), power at the planted effects, and
bias.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from e20kit.effects.draw import arm_at
from e20kit.effects.estimate import Interval, adjusted, newcombe
from e20kit.effects.rollout import plan
from e20kit.effects.settings import HOLD_OUT, Experiment
from e20kit.effects.wild import did

NEWCOMERS = 400
DEPARTMENTS = 8
EXPERIMENT_EFFECTS = {"none": 0.0, "small": 0.10, "large": 0.20}
"""Planted differences in the outcome share (points / 100) for hold-out experiments."""
EXPERIMENT_REPS = 400
WEEKS = 20
ROLLOUT_EFFECTS = {"none": 0.0, "small": 0.02, "large": 0.05}
"""Planted differences in the weekly mean daily active share for rollouts."""
ROLLOUT_REPS = {"none": 1500, "small": 300, "large": 300}
"""Many null replications: at 600 the false-positive rate's own standard error (0.9 points)
hides whether an interval is honest."""


def _experiment(rng: np.random.Generator, rep: int, effect: float) -> dict[str, Any]:
    """One simulated experiment: departments of uneven size and base rate, the real draw."""
    experiment = Experiment(id=f"bench-{rep}", checklist="newcomers", planned_size=NEWCOMERS)
    shares = rng.dirichlet(np.full(DEPARTMENTS, 2.0))
    department = rng.choice(DEPARTMENTS, size=NEWCOMERS, p=shares)
    base = rng.uniform(0.25, 0.65, size=DEPARTMENTS)
    seq: dict[int, int] = {}
    nudged = np.zeros(NEWCOMERS, dtype=bool)
    for i, d in enumerate(department):
        place = seq.get(int(d), 0)
        seq[int(d)] = place + 1
        nudged[i] = arm_at(experiment, f"D{d}", place) != HOLD_OUT
    y = rng.random(NEWCOMERS) < base[department] + effect * nudged
    return {"y": y.astype(float), "nudged": nudged, "department": department.astype(str)}


def _newcombe(sim: dict[str, Any]) -> Interval | None:
    y, t = sim["y"], sim["nudged"]
    return newcombe(int(y[t].sum()), int(t.sum()), int(y[~t].sum()), int((~t).sum()))


def _adjusted(sim: dict[str, Any]) -> Interval | None:
    return adjusted(sim["y"], sim["nudged"], sim["department"])


def _rollout(
    rng: np.random.Generator, rep: int, effect: float, departments: int = DEPARTMENTS
) -> tuple[Any, ...]:
    """One simulated stepped wedge: department and week effects, autocorrelated noise."""
    names = [f"D{i}" for i in range(departments)]
    first = dt.date(2026, 1, 5)
    starts = plan(names, seed=f"bench-{rep}", start=first + dt.timedelta(weeks=6), step_weeks=1)
    begin = {s.department: (s.from_day - first).days // 7 for s in starts}
    unit = np.repeat(np.arange(departments), WEEKS)
    week = np.tile(np.arange(WEEKS), departments)
    treated = (week >= np.array([begin[n] for n in names])[unit]).astype(float)
    level = rng.normal(0.35, 0.08, departments)[unit]
    drift = np.cumsum(rng.normal(0.0, 0.01, WEEKS))[week]
    noise = np.zeros(departments * WEEKS)
    for g in range(departments):
        x = 0.0
        for w in range(WEEKS):
            x = 0.5 * x + rng.normal(0.0, 0.02)
            noise[g * WEEKS + w] = x
    y = level + drift + effect * treated + noise
    return y, treated, unit, week, rep


def _did(randomised: bool) -> Callable[[Any], Interval | None]:
    """The rollout estimate as the report reads it: randomised order (exact randomisation
    test) or observational (wild cluster bootstrap)."""

    def estimate(sim: Any) -> Interval | None:
        y, treated, unit, week, rep = sim
        result = did(y, treated, unit, week, seed=rep, randomised=randomised)
        return None if result is None else Interval(result.estimate, result.low, result.high)

    return estimate


def _summary(
    runs: dict[str, list[tuple[float, Interval | None]]], planted: dict[str, float]
) -> dict[str, Any]:
    covered = total = 0
    out: dict[str, Any] = {}
    for name, items in runs.items():
        found = [(tau, i) for tau, i in items if i is not None]
        covered += sum(1 for tau, i in found if i.low <= tau <= i.high)
        total += len(found)
        significant = sum(1 for _, i in found if i.excludes_zero) / max(1, len(found))
        key = "false_positive_rate" if planted[name] == 0 else f"power_{name}"
        out[key] = round(significant, 3)
        if planted[name] == 0:  # the figure's own sampling error, to read it against 5 %
            out["false_positive_se"] = round(
                float(np.sqrt(significant * (1 - significant) / max(1, len(found)))), 3
            )
        out[f"bias_{name}_points"] = round(
            100 * float(np.mean([i.estimate - tau for tau, i in found])), 2
        )
        out[f"replications_{name}"] = len(found)
    out["coverage_95"] = round(covered / max(1, total), 3)
    return out


def _run(
    simulate: Callable[..., Any],
    estimators: dict[str, Callable[[Any], Interval | None]],
    effects: dict[str, float],
    reps: dict[str, int],
    seed: int,
) -> dict[str, dict[str, Any]]:
    runs: dict[str, dict[str, list[tuple[float, Interval | None]]]] = {e: {} for e in estimators}
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    for name, effect in effects.items():
        for rep in range(reps[name]):
            sim = simulate(rng, rep, effect)
            for estimator, fn in estimators.items():
                runs[estimator].setdefault(name, []).append((effect, fn(sim)))
    seconds = time.perf_counter() - started
    out = {}
    for estimator, by_effect in runs.items():
        out[estimator] = {
            **_summary(by_effect, effects),
            **{f"planted_{n}_points": round(100 * e, 1) for n, e in effects.items()},
            "seconds": round(seconds, 2),
        }
    return out


def run() -> dict[str, Any]:
    experiments = _run(
        _experiment,
        {"effects_newcombe": _newcombe, "effects_adjusted_ols_hc2": _adjusted},
        EXPERIMENT_EFFECTS,
        dict.fromkeys(EXPERIMENT_EFFECTS, EXPERIMENT_REPS),
        seed=2026,
    )
    rollouts = {}
    for departments in (8, 12):
        rollouts.update(
            _run(
                lambda rng, rep, effect, g=departments: _rollout(rng, rep, effect, g),
                {
                    f"effects_did_wild_cluster_{departments}_departments": _did(False),
                    f"effects_did_randomisation_{departments}_departments": _did(True),
                },
                ROLLOUT_EFFECTS,
                ROLLOUT_REPS,
                seed=2027,
            )
        )
    return {**experiments, **rollouts}


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))

"""The randomisation test of a rollout whose order was drawn: exact at zero, silent when the draw
could not have told anything, and never moving departments that were not in the draw."""

from __future__ import annotations

import datetime as dt

import numpy as np

from e20kit.effects.permutation import Permutation, _paths, _redraws
from e20kit.effects.rollout import RolloutResult, plan
from e20kit.effects.wild import DidEstimate, did

WEEKS = 16


def stepped_wedge(
    rng: np.random.Generator, departments: int, effect: float, rep: int, never: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Departments starting one a week in a drawn order (``never`` of them outside the plan),
    with department levels, a common drift and autocorrelated noise."""
    names = [f"D{i}" for i in range(departments)]
    first = dt.date(2026, 1, 5)
    planned = names[: departments - never]
    starts = plan(planned, seed=f"t-{rep}", start=first + dt.timedelta(weeks=4), step_weeks=1)
    begin = {s.department: (s.from_day - first).days // 7 for s in starts}
    unit = np.repeat(np.arange(departments), WEEKS)
    week = np.tile(np.arange(WEEKS), departments)
    start_of = np.array([begin.get(n, WEEKS + 1) for n in names])
    treated = (week >= start_of[unit]).astype(float)
    level = rng.normal(0.35, 0.08, departments)[unit]
    drift = np.cumsum(rng.normal(0.0, 0.01, WEEKS))[week]
    noise = np.zeros(departments * WEEKS)
    for g in range(departments):
        x = 0.0
        for w in range(WEEKS):
            x = 0.6 * x + rng.normal(0.0, 0.02)
            noise[g * WEEKS + w] = x
    return level + drift + effect * treated + noise, treated, unit, week


def test_zero_effect_is_called_significant_about_five_percent_of_the_time() -> None:
    rng = np.random.default_rng(7)
    reps = 300
    rejected = 0
    for rep in range(reps):
        y, d, unit, week = stepped_wedge(rng, 6, 0.0, rep)
        rejected += Permutation(y, d, unit, week, seed=rep).p_value(0.0) <= 0.05
    # exact at 5 %: 15 expected; 27 or more happens with probability below 0.2 %
    assert rejected < 27


def test_a_planted_effect_is_found_and_covered() -> None:
    rng = np.random.default_rng(3)
    y, d, unit, week = stepped_wedge(rng, 8, 0.06, 1)
    result = did(y, d, unit, week, seed=1, randomised=True)
    assert result is not None
    assert 0 < result.low < 0.06 < result.high


def test_a_draw_among_three_departments_cannot_prove_anything() -> None:
    rng = np.random.default_rng(5)
    y, d, unit, week = stepped_wedge(rng, 3, 0.5, 2)
    assert did(y, d, unit, week, seed=2, randomised=True) is None  # 3! = 6 possible orders
    assert did(y, d, unit, week, seed=2) is not None  # the bootstrap would still answer


def test_departments_outside_the_plan_are_never_moved() -> None:
    rng = np.random.default_rng(9)
    _, d, unit, week = stepped_wedge(rng, 6, 0.0, 4, never=2)
    _, index = np.unique(unit, return_inverse=True)
    redrawn = _redraws(_paths(d, index, week), np.random.default_rng(0), 50)
    assert not redrawn[:, 4:].any()  # D4 and D5 were never in the draw
    assert (redrawn[:, :4].any(axis=2)).all()  # every planned department starts in every draw


def test_only_an_observational_rollout_warns_about_few_departments() -> None:
    effect = DidEstimate(0.04, 0.01, 0.07, 0.01, 8)
    randomised = RolloutResult(
        "wiki training", "randomised order", dt.date(2026, 6, 1), 8, 8, effect, None
    )
    observational = RolloutResult(
        "wiki training", "observational", dt.date(2026, 6, 1), 8, 8, effect, None
    )
    assert "approximate" not in randomised.sentence()
    assert "approximate" in observational.sentence()

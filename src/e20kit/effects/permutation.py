"""Randomisation inference for a rollout whose department order was drawn at random.

When :func:`.rollout.plan` drew the order in which departments start, the only random thing in
the design is which department got which start. Re-drawing that assignment many times and
re-estimating gives the estimate's distribution under "the remedy changed nothing beyond
``tau0``" without any model of the noise (Fisher's exact test, as used for stepped wedges by
Ji et al. 2017 and Hughes et al. 2020). Its false-positive rate is at most 5 % by
construction, whatever the number of departments, which the wild cluster bootstrap
(:mod:`.wild`) cannot promise with fewer than about 20 of them.

The statistic is the two-way fixed-effects estimate itself; for a null value ``tau0`` the
outcome with that effect removed is ``y - tau0 * D``, and every re-drawn estimate is linear in
``tau0``, so the whole test inversion costs one matrix product.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from .twoway import residualiser

PERMUTATIONS = 999


class Permutation:
    """The randomisation test of one panel, for any null value ``tau0``."""

    def __init__(
        self, y: np.ndarray, d: np.ndarray, unit: np.ndarray, time: np.ndarray, seed: int
    ) -> None:
        residualise = residualiser(unit, time)
        yt, dt = residualise(y), residualise(d)
        self.s = float(dt @ dt)
        self.tau = float(dt @ yt) / self.s if self.s > 1e-12 else float("nan")
        groups, index = np.unique(unit, return_inverse=True)
        self.g = len(groups)
        paths = _paths(d, index, time)
        self.distinct = _distinct(paths)
        redrawn = _redraws(paths, np.random.default_rng(seed), PERMUTATIONS)
        # one column per re-drawn assignment, in the panel's row order
        columns = redrawn[:, index, _weeks(time)].T
        ct = residualise(columns)
        self.slope = (ct.T @ dt) / np.maximum((ct * ct).sum(axis=0), 1e-300)
        self.level = (ct.T @ yt) / np.maximum((ct * ct).sum(axis=0), 1e-300)
        spread = self.level - self.tau * self.slope
        self.se = float(np.std(spread)) if len(spread) else float("nan")

    def p_value(self, tau0: float) -> float:
        """Share of re-drawn assignments at least as extreme as the one that happened (the
        one that happened counts as one of them, so the test is exact)."""
        observed = abs(self.tau - tau0)
        redrawn = np.abs(self.level - tau0 * self.slope)
        return float((1 + np.sum(redrawn >= observed - 1e-12)) / (len(redrawn) + 1))


def _weeks(time: np.ndarray) -> np.ndarray:
    _, index = np.unique(time, return_inverse=True)
    return np.asarray(index)


def _paths(d: np.ndarray, index: np.ndarray, time: np.ndarray) -> np.ndarray:
    """Each department's treatment over the weeks (departments x weeks)."""
    weeks = _weeks(time)
    out = np.zeros((int(index.max()) + 1, int(weeks.max()) + 1))
    out[index, weeks] = d
    return out


def _distinct(paths: np.ndarray) -> int:
    """How many different assignments the draw could have made: departments with the same
    start are interchangeable (``n! / (n_1! n_2! ...)``)."""
    drawn = [tuple(row) for row in paths if row.any()]
    count = math.factorial(len(drawn))
    for same in Counter(drawn).values():
        count //= math.factorial(same)
    return count


def _redraws(paths: np.ndarray, rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` re-drawn assignments (n x departments x weeks): the departments that were in the
    plan (treated at some point) swap their paths; the others were never drawn and keep
    theirs."""
    drawn = np.flatnonzero(paths.any(axis=1))
    out = np.repeat(paths[None, :, :], n, axis=0)
    for i in range(n):
        out[i, drawn] = paths[rng.permutation(drawn)]
    return out


def planned_departments(d: np.ndarray, unit: np.ndarray) -> int:
    """How many departments took part in the draw (were treated at some point)."""
    return len(np.unique(unit[np.asarray(d) > 0]))


__all__ = ["PERMUTATIONS", "Permutation", "planned_departments"]

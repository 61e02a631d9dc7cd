"""Difference in differences with department and week effects, and a wild cluster bootstrap
that stays honest with few departments.

The estimate is the two-way fixed-effects regression ``y = department + week + tau * treated``
(by Frisch-Waugh: ``tau = D~'y~ / D~'D~`` with ``~`` the residual after both sets of effects).
Its interval inverts the restricted wild cluster bootstrap test (WCR, Webb's six-point weights,
clusters = departments; Cameron, Gelbach and Miller 2008, Webb 2023, MacKinnon and Webb):
every candidate ``tau0`` is tested with the null imposed, and the interval holds the values not
rejected at 5 %. Because the model is linear, the bootstrap for all ``tau0`` at once is a few
matrix products, which keeps thousands of benchmark replications fast. Written here in numpy:
the maintained packages for it (wildboottest, pyfixest) bring large dependency trees.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .permutation import Permutation, planned_departments
from .twoway import residualiser

WEBB = np.array([-math.sqrt(1.5), -1.0, -math.sqrt(0.5), math.sqrt(0.5), 1.0, math.sqrt(1.5)])
BOOTSTRAPS = 999


@dataclass(frozen=True)
class DidEstimate:
    estimate: float
    low: float
    high: float
    p_value: float
    """Bootstrap p-value of "no effect"."""
    clusters: int


class _Bootstrap:
    """The WCR bootstrap of one regression, for any null value ``tau0``."""

    def __init__(
        self, y: np.ndarray, d: np.ndarray, unit: np.ndarray, time: np.ndarray, seed: int
    ) -> None:
        self.residualise = residualiser(unit, time)
        self.yt, self.dt = self.residualise(y), self.residualise(d)
        self.s = float(self.dt @ self.dt)
        groups, index = np.unique(unit, return_inverse=True)
        self.g = len(groups)
        self.order = np.argsort(index, kind="stable")
        self.bounds = np.searchsorted(index[self.order], np.arange(self.g))
        self.tau = float(self.dt @ self.yt) / self.s
        rng = np.random.default_rng(seed)
        weights = WEBB[rng.integers(0, 6, size=(self.g, BOOTSTRAPS))]  # G x B
        # The bootstrap weight is constant within a department, so residualising v * x for
        # all B draws is a G x G matrix (one residualised column per department) times the
        # weights: nothing of size n x B is ever built.
        inside = np.zeros((len(y), self.g))
        inside[np.arange(len(y)), index] = 1.0
        self.r = self._sum(self.dt * self.dt)
        self.leave_out = self.s - self.r
        self.se = float(self._se(self._sum(self.dt * self.yt)[:, None])[0])
        self.p_part = self._sum(self.dt[:, None] * self.residualise(inside * self.yt[:, None]))
        self.p_part = self.p_part @ weights
        self.q_part = self._sum(self.dt[:, None] * self.residualise(inside * self.dt[:, None]))
        self.q_part = self.q_part @ weights

    def _sum(self, x: np.ndarray) -> np.ndarray:
        """Rows summed per department (clusters), without a dense indicator matrix."""
        out: np.ndarray = np.add.reduceat(x[self.order], self.bounds, axis=0)
        return out

    def _se(self, parts: np.ndarray) -> np.ndarray:
        """The jackknife (CV3) standard error from each department's part of ``D~'y~`` (one
        column per sample): the spread of the estimates leaving one department out. With few
        and unequal departments it is less optimistic than the usual cluster-robust one."""
        total = parts.sum(axis=0)
        estimate = total / self.s
        left_out = (total[None, :] - parts) / self.leave_out[:, None]
        spread = ((left_out - estimate[None, :]) ** 2).sum(axis=0)
        out: np.ndarray = np.sqrt((self.g - 1) / self.g * spread)
        return out

    def p_value(self, tau0: float) -> float:
        parts = tau0 * self.r[:, None] + self.p_part - tau0 * self.q_part
        t_star = (parts.sum(axis=0) / self.s - tau0) / np.maximum(self._se(parts), 1e-300)
        t_obs = (self.tau - tau0) / max(self.se, 1e-300)
        return float(np.mean(np.abs(t_star) >= abs(t_obs) - 1e-12))


def _edge(boot: _Bootstrap | Permutation, inside: float, outside: float, alpha: float) -> float:
    """The interval's end between a value not rejected and one rejected (bisection)."""
    for _ in range(40):
        middle = (inside + outside) / 2
        if boot.p_value(middle) > alpha:
            inside = middle
        else:
            outside = middle
        if abs(outside - inside) < 1e-5:
            break
    return (inside + outside) / 2


def did(
    outcome: np.ndarray,
    treated: np.ndarray,
    unit: np.ndarray,
    time: np.ndarray,
    *,
    seed: int = 0,
    alpha: float = 0.05,
    randomised: bool = False,
) -> DidEstimate | None:
    """Two-way fixed-effects estimate with its interval (None when the treatment does not vary
    within departments and weeks, or with fewer than 3 departments).

    ``randomised``: the order of the departments' starts was drawn at random, so the interval
    inverts the exact randomisation test (:mod:`.permutation`); otherwise the WCR bootstrap.
    None too when the draw had fewer possible outcomes than ``1 / alpha``: then no effect,
    however large, could be told from the luck of the draw."""
    y = np.asarray(outcome, dtype=float)
    d = np.asarray(treated, dtype=float)
    if len(np.unique(unit)) < 3:
        return None
    boot: _Bootstrap | Permutation
    if randomised and planned_departments(d, np.asarray(unit)) >= 3:
        boot = Permutation(y, d, np.asarray(unit), np.asarray(time), seed)
        if boot.distinct * alpha < 1:
            return None
    else:
        boot = _Bootstrap(y, d, np.asarray(unit), np.asarray(time), seed)
    if boot.s < 1e-12 or not math.isfinite(float(boot.se)) or float(boot.se) <= 0:
        return None
    step = 4 * float(boot.se) + 1e-6
    low_out, high_out = boot.tau - step, boot.tau + step
    for _ in range(20):
        if boot.p_value(low_out) <= alpha:
            break
        low_out -= step
    for _ in range(20):
        if boot.p_value(high_out) <= alpha:
            break
        high_out += step
    low = _edge(boot, boot.tau, low_out, alpha)
    high = _edge(boot, boot.tau, high_out, alpha)
    return DidEstimate(boot.tau, low, high, boot.p_value(0.0), boot.g)


__all__ = ["BOOTSTRAPS", "WEBB", "DidEstimate", "did"]

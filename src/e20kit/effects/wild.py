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
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

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
        self.residualise = _residualiser(unit, time)
        self.yt, self.dt = self.residualise(y), self.residualise(d)
        self.s = float(self.dt @ self.dt)
        groups, index = np.unique(unit, return_inverse=True)
        self.g = len(groups)
        self.c = np.zeros((self.g, len(y)))
        self.c[index, np.arange(len(y))] = 1.0
        self.scale = self.g / (self.g - 1)
        self.tau = float(self.dt @ self.yt) / self.s
        resid = self.yt - self.tau * self.dt
        self.se = self._se(self.c @ (self.dt * resid))
        rng = np.random.default_rng(seed)
        weights = WEBB[rng.integers(0, 6, size=(self.g, BOOTSTRAPS))]
        v = weights[index]  # n x B
        self.a = self.dt @ (v * self.yt[:, None])
        self.b = self.dt @ (v * self.dt[:, None])
        self.p_part = self.c @ (self.dt[:, None] * self.residualise(v * self.yt[:, None]))
        self.q_part = self.c @ (self.dt[:, None] * self.residualise(v * self.dt[:, None]))
        self.r = self.c @ (self.dt * self.dt)

    def _se(self, scores: np.ndarray) -> np.ndarray:
        """Cluster-robust standard errors from per-department scores (one per column)."""
        out: np.ndarray = np.sqrt(self.scale * (scores**2).sum(axis=0)) / self.s
        return out

    def p_value(self, tau0: float) -> float:
        shift = (self.a - tau0 * self.b) / self.s
        scores = self.p_part - tau0 * self.q_part - np.outer(self.r, shift)
        t_star = shift / np.maximum(self._se(scores), 1e-300)
        t_obs = (self.tau - tau0) / max(float(self.se), 1e-300)
        return float(np.mean(np.abs(t_star) >= abs(t_obs) - 1e-12))


def _residualiser(unit: np.ndarray, time: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """What is left of columns after department and week effects: double demeaning on a
    balanced panel (every department in every week once), else the projection."""
    units, ui = np.unique(unit, return_inverse=True)
    times, ti = np.unique(time, return_inverse=True)
    if len(unit) == len(units) * len(times) and len(set(zip(ui, ti, strict=True))) == len(unit):
        order = np.lexsort((ti, ui))
        shape = (len(units), len(times))

        def balanced(x: np.ndarray) -> np.ndarray:
            cube = x[order].reshape(shape + x.shape[1:])
            out = (
                cube
                - cube.mean(axis=1, keepdims=True)
                - cube.mean(axis=0, keepdims=True)
                + cube.mean(axis=(0, 1), keepdims=True)
            )
            result = np.empty_like(x)
            result[order] = out.reshape(x.shape)
            return result

        return balanced
    fixed = np.column_stack([_dummies(unit), _dummies(time)])
    projection = np.eye(len(unit)) - fixed @ np.linalg.pinv(fixed)
    return lambda x: projection @ x


def _dummies(labels: np.ndarray) -> np.ndarray:
    _, index = np.unique(labels, return_inverse=True)
    out = np.zeros((len(labels), int(index.max()) + 1))
    out[np.arange(len(labels)), index] = 1.0
    return out


def _edge(boot: _Bootstrap, inside: float, outside: float, alpha: float) -> float:
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
) -> DidEstimate | None:
    """Two-way fixed-effects estimate with its WCR bootstrap interval (None when the
    treatment does not vary within departments and weeks, or with fewer than 3 departments)."""
    y = np.asarray(outcome, dtype=float)
    d = np.asarray(treated, dtype=float)
    if len(np.unique(unit)) < 3:
        return None
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

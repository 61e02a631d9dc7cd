"""Two-arm estimates: Newcombe's interval for a difference of proportions, a department-adjusted
linear probability model with HC2 standard errors, and the smallest detectable effect.

Pure functions of counts and arrays (no store), so the benchmark runs them on thousands of
simulated experiments and measures the very code the report uses.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

Z95 = float(stats.norm.ppf(0.975))
Z80 = float(stats.norm.ppf(0.80))


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float

    @property
    def excludes_zero(self) -> bool:
        return self.low > 0.0 or self.high < 0.0

    def as_dict(self) -> dict[str, float]:
        return {"estimate": self.estimate, "low": self.low, "high": self.high}


def wilson(events: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval of one proportion (0..1 when n is 0)."""
    if n == 0:
        return 0.0, 1.0
    p = events / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(events1: int, n1: int, events0: int, n0: int, z: float = Z95) -> Interval:
    """Difference of proportions (arm 1 minus arm 0) with Newcombe's hybrid score interval
    (his method 10): good coverage even at small arms and rates near 0 or 1."""
    p1, p0 = events1 / n1, events0 / n0
    l1, u1 = wilson(events1, n1, z)
    l0, u0 = wilson(events0, n0, z)
    d = p1 - p0
    low = d - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    return Interval(d, low, high)


def adjusted(
    outcome: Sequence[float] | np.ndarray,
    treated: Sequence[bool] | np.ndarray,
    strata: Sequence[str] | np.ndarray,
) -> Interval | None:
    """Difference adjusted for department: OLS of the outcome on the arm and one dummy per
    department (a linear probability model), 95 % interval from HC2 robust standard errors.

    Departments holding one arm only say nothing about the difference and are left out;
    None when fewer than two departments remain (then the plain difference is the answer).
    """
    import statsmodels.api as sm

    y = np.asarray(outcome, dtype=float)
    t = np.asarray(treated, dtype=float)
    s = np.asarray(strata)
    keep = np.zeros(len(y), dtype=bool)
    names = sorted(set(s.tolist()))
    for name in names:
        inside = s == name
        if 0 < t[inside].sum() < inside.sum():
            keep |= inside
    kept = sorted(set(s[keep].tolist()))
    if len(kept) < 2:
        return None
    y, t, s = y[keep], t[keep], s[keep]
    dummies = np.column_stack([(s == name).astype(float) for name in kept])
    design = np.column_stack([t, dummies])
    fit = sm.OLS(y, design).fit(cov_type="HC2")
    estimate = float(fit.params[0])
    se = float(fit.bse[0])
    if not math.isfinite(se):
        return None
    return Interval(estimate, estimate - Z95 * se, estimate + Z95 * se)


def minimum_detectable(n1: int, n0: int, base_rate: float) -> float | None:
    """The smallest difference (as a share) that 80 % power at a two-sided 5 % level would
    detect with arms of ``n1`` and ``n0`` at ``base_rate`` (None without members)."""
    if n1 <= 0 or n0 <= 0:
        return None
    p = min(max(base_rate, 0.05), 0.95)
    return (Z95 + Z80) * math.sqrt(p * (1 - p) * (1 / n1 + 1 / n0))


def needed_per_arm(base_rate: float, difference: float) -> int:
    """Members per arm (equal arms) to detect ``difference`` at ``base_rate`` with 80 % power
    at a two-sided 5 % level (the normal approximation for two proportions)."""
    p0, p1 = base_rate, min(0.999, base_rate + difference)
    mean = (p0 + p1) / 2
    top = Z95 * math.sqrt(2 * mean * (1 - mean)) + Z80 * math.sqrt(p0 * (1 - p0) + p1 * (1 - p1))
    return math.ceil((top / difference) ** 2)


def needed_total(base_rate: float, difference: float, holdout_share: float) -> int:
    """Newcomers in all (both arms) to detect ``difference`` with a hold-out of
    ``holdout_share``: 80 % power, two-sided 5 % (unpooled normal approximation)."""
    p0, p1 = base_rate, min(0.999, base_rate + difference)
    share = holdout_share
    variance = p0 * (1 - p0) / share + p1 * (1 - p1) / (1 - share)
    return math.ceil((Z95 + Z80) ** 2 * variance / difference**2)


def size_table(base_rate: float = 0.4, holdout_share: float = 0.2) -> list[dict[str, int]]:
    """The table of docs/effects.md: per difference (points), newcomers per arm with equal
    arms, and newcomers in all with the given hold-out share."""
    return [
        {
            "points": points,
            "per_arm": needed_per_arm(base_rate, points / 100),
            "total_with_holdout": needed_total(base_rate, points / 100, holdout_share),
        }
        for points in (5, 10, 15, 20)
    ]


__all__ = [
    "Interval",
    "adjusted",
    "minimum_detectable",
    "needed_per_arm",
    "needed_total",
    "newcombe",
    "size_table",
    "wilson",
]

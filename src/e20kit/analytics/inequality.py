"""Participation inequality: Gini coefficient, top-1 %/10 % shares and the Lorenz curve.

These take one contribution total per active member (computed by ``GROUP BY member`` in the
store), never individual facts. Members who were active but contributed nothing count as 0: the
90-9-1 pattern is about everyone who shows up, not only about those who write.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from .model import Inequality


def gini(sorted_values: Sequence[float]) -> float | None:
    """Gini coefficient of non-negative values sorted ascending; ``None`` when all are 0."""
    n = len(sorted_values)
    total = float(sum(sorted_values))
    if n == 0 or total <= 0:
        return None
    weighted = sum((i + 1) * v for i, v in enumerate(sorted_values))
    value = (2.0 * weighted) / (n * total) - (n + 1.0) / n
    return min(1.0, max(0.0, value))


def top_share(sorted_values: Sequence[float], fraction: float) -> float | None:
    """Share of the total held by the top ``fraction`` of members (at least one member)."""
    n = len(sorted_values)
    total = float(sum(sorted_values))
    if n == 0 or total <= 0:
        return None
    top = max(1, math.ceil(n * fraction - 1e-9))
    return float(sum(sorted_values[n - top :])) / total


def lorenz(sorted_values: Sequence[float], points: int = 20) -> tuple[tuple[float, float], ...]:
    """The Lorenz curve at ``points`` evenly spaced population shares, plus the origin."""
    n = len(sorted_values)
    total = float(sum(sorted_values))
    if n == 0 or total <= 0:
        return ()
    cumulative = [0.0]
    for value in sorted_values:
        cumulative.append(cumulative[-1] + float(value))
    return _sampled(cumulative, total, points)


def _sampled(
    cumulative: Sequence[float], total: float, points: int
) -> tuple[tuple[float, float], ...]:
    """The curve at ``points`` population shares, from the running sums (0 first)."""
    n = len(cumulative) - 1
    curve = [(0.0, 0.0)]
    for j in range(1, points + 1):
        share = j / points
        position = share * n
        low = math.floor(position)
        frac = position - low
        upper = float(cumulative[min(low + 1, n)])
        value = float(cumulative[low]) + (upper - float(cumulative[low])) * frac
        curve.append((share, min(1.0, value / total)))
    return tuple(curve)


def inequality(totals: Iterable[int] | npt.NDArray[np.int64], *, points: int = 20) -> Inequality:
    """Inequality figures of per-member contribution totals (any order).

    Computed on a sorted integer array: the same sums as :func:`gini`, :func:`top_share` and
    :func:`lorenz` (integer sums exact, the Lorenz curve's running sum in the same order), so the
    figures are identical, without a Python loop per member.
    """
    if isinstance(totals, np.ndarray):
        values = np.sort(np.maximum(totals.astype(np.int64), 0))
    else:
        values = np.sort(np.fromiter((max(0, int(v)) for v in totals), dtype=np.int64))
    n = len(values)
    total = int(values.sum())
    if n == 0 or total <= 0:
        return Inequality(n, 0, None, None, None, ())
    return Inequality(
        population=n,
        contributors=int(np.count_nonzero(values)),
        gini=_gini(values, total),
        top1_share=_top(values, total, 0.01),
        top10_share=_top(values, total, 0.10),
        lorenz=_lorenz(values, total, points),
    )


def _gini(values: npt.NDArray[np.int64], total: int) -> float:
    n = len(values)
    if int(values[-1]) * n * n < 2**62:  # the weighted sum fits in 64 bits
        weighted = int(np.dot(np.arange(1, n + 1, dtype=np.int64), values))
    else:
        weighted = sum((i + 1) * int(v) for i, v in enumerate(values.tolist()))
    value = (2.0 * weighted) / (n * float(total)) - (n + 1.0) / n
    return min(1.0, max(0.0, value))


def _top(values: npt.NDArray[np.int64], total: int, fraction: float) -> float:
    n = len(values)
    top = max(1, math.ceil(n * fraction - 1e-9))
    return float(int(values[n - top :].sum())) / float(total)


def _lorenz(
    values: npt.NDArray[np.int64], total: int, points: int
) -> tuple[tuple[float, float], ...]:
    cumulative = np.zeros(len(values) + 1, dtype=np.float64)
    np.cumsum(values.astype(np.float64), out=cumulative[1:])
    return _sampled(cumulative.tolist(), float(total), points)


__all__ = ["gini", "inequality", "lorenz", "top_share"]

"""Participation inequality: Gini coefficient, top-1 %/10 % shares and the Lorenz curve.

These take one contribution total per active member (computed by ``GROUP BY member`` in the
store), never individual facts. Members who were active but contributed nothing count as 0: the
90-9-1 pattern is about everyone who shows up, not only about those who write.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

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
    curve = [(0.0, 0.0)]
    for j in range(1, points + 1):
        share = j / points
        position = share * n
        low = math.floor(position)
        frac = position - low
        upper = cumulative[min(low + 1, n)]
        value = cumulative[low] + (upper - cumulative[low]) * frac
        curve.append((share, min(1.0, value / total)))
    return tuple(curve)


def inequality(totals: Iterable[int], *, points: int = 20) -> Inequality:
    """Inequality figures of per-member contribution totals (any order)."""
    values = sorted(max(0, int(v)) for v in totals)
    return Inequality(
        population=len(values),
        contributors=sum(1 for v in values if v > 0),
        gini=gini(values),
        top1_share=top_share(values, 0.01),
        top10_share=top_share(values, 0.10),
        lorenz=lorenz(values, points),
    )


__all__ = ["gini", "inequality", "lorenz", "top_share"]

"""Trends: every headline figure against the previous period of equal length."""

from __future__ import annotations

from .model import HEADLINE_FIGURES, Headline, Trend


def trends(current: Headline, previous: Headline) -> tuple[Trend, ...]:
    out = []
    for figure in HEADLINE_FIGURES:
        now = _number(getattr(current, figure))
        before = _number(getattr(previous, figure))
        change = None if now is None or before is None else now - before
        pct = None if change is None or not before else 100.0 * change / abs(before)
        out.append(Trend(figure, now, before, change, pct))
    return tuple(out)


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


__all__ = ["trends"]

"""Signals: one measured figure against its band, with the sentence that reports it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..analytics.settings import BELOW, Band
from ..findings import Evidence, Severity
from .texts import EVIDENCE, TREND, localise

LEVELS = ("critical", "warning", "watch")
"""Band edges, most severe first."""
CHANCE_Z = 1.0
"""Standard errors a share is given when a neighbour is ruled out (see :func:`share_bound`)."""
EVIDENCE_Z = 1.64
"""Standard errors the evidence for a finding must survive: a rule judges the measured group's
share at this end of its Wilson interval (one-sided 95 %), so a group of 25 needs a far clearer
difference than one of 2,000 before a reason is named."""
GROWING = 0.05
"""A figure is growing when it moved at least this share of its value in the direction that
breaches, against the previous period."""


@dataclass(frozen=True)
class Signal:
    """One measured figure against its band."""

    metric: str
    value: float | None
    band: Band
    comparison: str
    """``"<"`` or ``">"``: the direction in which the value breaches the band."""
    percent: bool = True
    trend: float | None = None
    reference: float | None = None
    """The figure of the group the value is set against, for contrasts."""
    params: dict[str, str] = field(default_factory=dict)
    supporting: bool = False
    """Only reported alongside another breached signal of the same rule."""
    wording: str | None = None
    """The :data:`~.texts.EVIDENCE` entry that states the value, when not the metric's own."""

    def _beyond(self, edge: float) -> bool:
        assert self.value is not None
        return self.value < edge if self.comparison == BELOW else self.value > edge

    @property
    def level(self) -> str | None:
        """The most severe band edge the value is beyond, ``None`` when within bounds."""
        if self.value is None:
            return None
        return next((name for name in LEVELS if self._beyond(getattr(self.band, name))), None)

    @property
    def breached(self) -> bool:
        return self.level is not None

    @property
    def growing(self) -> bool:
        """Moved noticeably further in the breaching direction against the previous period."""
        if self.trend is None or self.value is None:
            return False
        worse = self.trend < 0 if self.comparison == BELOW else self.trend > 0
        return worse and abs(self.trend) >= GROWING * abs(self.value)

    @property
    def threshold(self) -> float:
        """The edge of the band reached (the watch edge when within bounds)."""
        return float(getattr(self.band, self.level or "watch"))

    def evidence(self) -> Evidence:
        return Evidence(
            metric=self.metric,
            value=self.value,
            threshold=self.threshold,
            comparison=self.comparison,
            trend=self.trend,
            level=self.level,
            reference=self.reference,
        )

    def show(self, x: float | None, lang: str) -> str:
        if x is None:
            return "-"
        return localise(f"{x:.0%}" if self.percent else f"{x:.1f}", lang)

    def sentence(self, lang: str) -> str:
        text = EVIDENCE[self.wording or self.metric][lang].format(
            value=self.show(self.value, lang),
            threshold=self.show(self.threshold, lang),
            reference=self.show(self.reference, lang),
            **self.params,
        )
        if self.trend is not None:
            sign = "+" if self.trend >= 0 else "-"
            change = (
                f"{sign}{abs(self.trend) * 100:.0f} pp" if self.percent else f"{self.trend:+.1f}"
            )
            text += f" ({TREND[lang].format(change=localise(change, lang))})"
        return text


def share_bound(part: int, whole: int, *, upper: bool, z: float = CHANCE_Z) -> float:
    """The Wilson score bound of ``part / whole`` at ``z`` standard errors.

    Contrasts of a small group (20 newcomers, 25 leaders) against a large one move by chance
    alone; a rule judges the end of the share's interval that argues against its finding, so
    a small group needs a clearer difference than a large one.
    """
    if whole <= 0:
        return 0.0
    p = part / whole
    centre = p + z * z / (2 * whole)
    spread = z * math.sqrt(p * (1 - p) / whole + z * z / (4 * whole * whole))
    bound = (centre + spread if upper else centre - spread) / (1 + z * z / whole)
    return min(1.0, max(0.0, bound))


def severity(signals: list[Signal]) -> Severity | None:
    """The finding's severity from its breached signals (``None``: no primary one breached).

    ``watch`` for a mild signal, ``warning`` for a clear one; ``critical`` when a main signal
    is in the critical band and the problem is growing: that figure worsened against the
    previous period, or a second signal of the same reason is at warning or beyond.
    """
    primary = [s for s in signals if s.breached and not s.supporting]
    if not primary:
        return None
    levels = [s.level for s in primary]
    if "critical" in levels:
        severe = [s for s in primary if s.level == "critical"]
        others = [s for s in signals if s.level in ("warning", "critical")]
        if any(s.growing for s in severe) or len(others) >= 2:
            return Severity.CRITICAL
        return Severity.WARNING
    return Severity.WARNING if "warning" in levels else Severity.WATCH


__all__ = ["CHANCE_Z", "EVIDENCE_Z", "GROWING", "LEVELS", "Signal", "severity", "share_bound"]

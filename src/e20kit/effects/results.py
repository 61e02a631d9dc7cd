"""An experiment's result as people read it: arms, difference, interval, and what it means.

A result is read once at its horizon: until the first ``planned_size`` assigned members have all
reached it, the experiment says "inconclusive" with how many have, and the smallest effect the
members so far could show, never an interim difference (looking early and stopping at a lucky
moment is how a before/after chart misleads). No arm smaller than the minimum group size is
shown, and nothing about one person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .estimate import Interval

RANDOMISED, OBSERVATIONAL, RANDOMISED_ORDER = "randomised", "observational", "randomised order"

OUTCOME_TEXT = {
    "active_last_week": ("active in week {w}", "aktiv in Woche {w}"),
    "checklist_completed": ("checklist done by day {h}", "Checkliste erledigt bis Tag {h}"),
    "contributed": ("contributed by day {h}", "beigetragen bis Tag {h}"),
}


def outcome_text(outcome: str, horizon: int, lang: str) -> str:
    en, de = OUTCOME_TEXT[outcome]
    return (de if lang == "de" else en).format(w=max(1, horizon // 7), h=horizon)


def points(share: float) -> str:
    """A difference of shares as signed percentage points (``+9``)."""
    value = round(share * 100)
    return f"{value:+d}" if value else "0"


@dataclass(frozen=True)
class Arm:
    arm: str
    members: int
    reached: int
    rate_: float | None = None
    """The exact rate, kept when the counts are replaced by published ones."""
    shown: bool = True
    """False for an arm of fewer than k members as published: its counts and rate are figures
    of a small group and are withheld (``None`` in :meth:`as_dict`), never shown as 0."""

    @property
    def rate(self) -> float:
        if self.rate_ is not None:
            return self.rate_
        return self.reached / self.members if self.members else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "arm": self.arm,
            "members": self.members if self.shown else None,
            "reached": self.reached if self.shown else None,
            "rate": round(self.rate, 4) if self.shown else None,
        }


@dataclass(frozen=True)
class ExperimentResult:
    """One experiment read on ``as_of``; ``status`` says what may be concluded."""

    id: str
    label: str
    programme: str
    outcome: str
    horizon_days: int
    planned_size: int
    as_of: dt.date
    status: str
    """``not_started`` (nobody drawn yet), ``inconclusive`` (waiting for the planned size, or
    the interval holds zero), ``conclusive`` (the interval excludes zero) or ``suppressed``
    (an arm is smaller than the minimum group size)."""
    started_at: dt.datetime | None = None
    assigned: int | None = None
    """Members drawn so far (None when fewer than the minimum group size)."""
    at_horizon: int | None = 0
    """Of the first ``planned_size`` drawn, how many have reached the horizon (None as
    published while fewer than k are drawn: a count within a small group)."""
    arms: tuple[Arm, ...] = ()
    difference: Interval | None = None
    """Nudged minus hold-out rate (shares), Newcombe's 95 % interval."""
    adjusted: Interval | None = None
    """The same, adjusted for department (OLS, HC2); None with one department."""
    minimum_detectable: float | None = None
    design: str = RANDOMISED

    shown_members: int | None = None
    """The number of people as published by the disclosure layer (None: the arms' sum)."""

    @property
    def members(self) -> int:
        if self.shown_members is not None:
            return self.shown_members
        return sum(a.members for a in self.arms)

    def sentence(self, lang: str = "en") -> str:
        """The ten-second reading, e.g. "Nudges: +9 points active in week 4, 95 % interval
        +2 to +16, 412 newcomers; randomised"."""
        what = outcome_text(self.outcome, self.horizon_days, lang)
        de = lang == "de"
        design = {"randomised": "randomisiert"}.get(self.design, self.design) if de else self.design
        if self.status == "not_started":
            text = "noch niemand zugeteilt" if de else "nobody drawn yet"
            return f"{self.label}: {text}"
        if self.status == "suppressed":
            text = (
                "zu wenige Personen, um etwas zu zeigen"
                if de
                else "too few people to show anything"
            )
            return f"{self.label}: {text}"
        if self.difference is None:
            reached = "<k" if self.at_horizon is None else self.at_horizon
            mde = self.minimum_detectable
            could = f"; {points(mde)} points could be detected now" if mde and not de else ""
            if mde and de:
                could = f"; derzeit wären {points(mde)} Punkte erkennbar"
            if de:
                return (
                    f"{self.label}: noch offen ({what}): {reached} von "
                    f"{self.planned_size} neuen Mitgliedern am Stichtag{could}; {design}"
                )
            return (
                f"{self.label}: inconclusive so far ({what}): {reached} of "
                f"{self.planned_size} newcomers reached the horizon{could}; {design}"
            )
        d = self.difference
        verdict = ""
        if self.status == "inconclusive":
            verdict = " (kein Unterschied nachweisbar)" if de else " (no difference shown)"
        if de:
            return (
                f"{self.label}: {points(d.estimate)} Punkte {what}, 95-%-Intervall "
                f"{points(d.low)} bis {points(d.high)}, {self.members} neue Mitglieder; "
                f"{design}{verdict}"
            )
        return (
            f"{self.label}: {points(d.estimate)} points {what}, 95 % interval {points(d.low)} "
            f"to {points(d.high)}, {self.members} newcomers; {design}{verdict}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "programme": self.programme,
            "outcome": self.outcome,
            "horizon_days": self.horizon_days,
            "planned_size": self.planned_size,
            "as_of": self.as_of.isoformat(),
            "status": self.status,
            "design": self.design,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "assigned": self.assigned,
            "at_horizon": self.at_horizon,
            "arms": [a.as_dict() for a in self.arms],
            "difference": self.difference.as_dict() if self.difference else None,
            "adjusted": self.adjusted.as_dict() if self.adjusted else None,
            "minimum_detectable": self.minimum_detectable,
            "sentence": self.sentence("en"),
        }


__all__ = [
    "OBSERVATIONAL",
    "RANDOMISED",
    "RANDOMISED_ORDER",
    "Arm",
    "ExperimentResult",
    "outcome_text",
    "points",
]

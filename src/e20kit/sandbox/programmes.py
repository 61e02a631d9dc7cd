"""Programmes the synthetic organisation reacts to, with an effect you plant.

``Org.with_programme(Programme(...))`` gives the same organisation (same people, same random
streams) whose members behave differently once a programme reaches them: a nudged newcomer, or
every member of a department from the day a remedy starts there, is active on a day with a
higher probability (``effect`` is added to the day's chance). Everything else stays identical,
so the difference between the two organisations is exactly the planted effect, and estimators
can be checked against it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

EFFECTS: Mapping[str, float] = {"none": 0.0, "small": 0.05, "large": 0.15}
"""Named effect sizes: added chance of being active on a day."""


def effect_size(value: str | float) -> float:
    """``"none"``, ``"small"``, ``"large"`` or a number within 0..1."""
    if isinstance(value, str):
        if value not in EFFECTS:
            raise ValueError(f"unknown effect {value!r}; expected one of {sorted(EFFECTS)}")
        return EFFECTS[value]
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"an effect is an added daily chance within 0..1, got {value}")
    return float(value)


@dataclass(frozen=True)
class Programme:
    """Who a programme reaches and how much it changes them."""

    nudged: frozenset[str] = frozenset()
    """E-mails (or person ids) of newcomers in the nudged arm of an experiment."""
    nudge_effect: float = 0.0
    """Added daily chance of activity for nudged newcomers after their first week."""
    rollout: Mapping[str, tuple[dt.date, float]] = field(default_factory=dict)
    """Department -> (first day of the remedy, added daily chance from then on)."""

    def boost(
        self, email: str, person_id: str, department: str, joined: int, start: dt.date
    ) -> Callable[[int], float] | None:
        """A function day index -> added chance for one member (None when unaffected)."""
        nudge = self.nudge_effect if (email in self.nudged or person_id in self.nudged) else 0.0
        remedy = self.rollout.get(department)
        if not nudge and remedy is None:
            return None
        from_index = None if remedy is None else (remedy[0] - start).days
        lift = 0.0 if remedy is None else remedy[1]

        def added(d: int) -> float:
            total = nudge if d >= joined + 7 else 0.0
            if from_index is not None and d >= from_index:
                total += lift
            return total

        return added


NO_PROGRAMME = Programme()

__all__ = ["EFFECTS", "NO_PROGRAMME", "Programme", "effect_size"]

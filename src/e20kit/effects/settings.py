"""Config section ``[[experiments]]``; every key is documented in docs/effects.md and
docs/config.md.

An experiment fixes its question before the first member is drawn: which programme is held
back (``nudges`` or ``buddies``), from what share of newcomers, which outcome is read and at
which horizon, and how many newcomers the answer waits for. Once the first member is assigned
these are frozen (see :mod:`e20kit.effects.registry`); a changed question needs a new ``id``.

Example::

    [[experiments]]
    id = "nudges-2027"
    programme = "nudges"
    checklist = "newcomers"
    holdout_share = 0.2
    outcome = "active_last_week"
    horizon_days = 28
    planned_size = 400
"""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..onboarding.settings import ID_PATTERN, Localised

Programme = Literal["nudges", "buddies"]
Outcome = Literal["active_last_week", "checklist_completed", "contributed"]
NUDGED, HOLD_OUT = "nudged", "hold-out"
ARMS = (NUDGED, HOLD_OUT)
MAX_BLOCK = 20
"""Largest block of the permuted-block draw: a hold-out share must be a fraction with a
denominator of at most this (0.2 = 1/5: blocks of 5 with one hold-out)."""


class Experiment(BaseModel):
    """One randomised hold-out: the question it answers is fixed here, before the first draw."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: Localised | None = None
    """What the report calls it (default: the programme, "Nudges" or "Buddy pairing")."""
    programme: Programme = "nudges"
    """``nudges``: hold-outs get no onboarding nudges; ``buddies``: hold-outs are paired with
    a champion only after ``waitlist_days`` (a wait-list)."""
    checklist: str | None = None
    """The ``[[onboarding.checklists]]`` id whose enrolment draws the arm (nudges; required)
    and whose completion ``checklist_completed`` reads."""
    holdout_share: float = Field(default=0.2, gt=0.0, lt=1.0)
    """Share of newcomers held back (drawn in blocks per department)."""
    outcome: Outcome = "active_last_week"
    """``active_last_week``: active on at least one day in the last 7 days before the horizon
    (week 4 for 28 days); ``checklist_completed``: every step done by the horizon;
    ``contributed``: at least one contribution by the horizon. Days count from assignment."""
    horizon_days: int = Field(default=28, ge=7, le=365)
    """Days after assignment at which the outcome is read."""
    planned_size: int = Field(default=400, ge=4)
    """Newcomers (both arms) the result waits for: until the first ``planned_size`` assigned
    have all reached the horizon, the experiment reads "inconclusive"."""
    waitlist_days: int = Field(default=28, ge=1, le=365)
    """Buddies only: a hold-out still stalled this many days after assignment is paired."""

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError("ids use letters, digits, '_', '-' and '.' (at most 100 characters)")
        return value

    @field_validator("holdout_share")
    @classmethod
    def _blockable(cls, value: float) -> float:
        share = Fraction(value).limit_denominator(MAX_BLOCK)
        if abs(float(share) - value) > 1e-9:
            raise ValueError(
                f"hold-out share {value} is not a fraction with a denominator of at most "
                f"{MAX_BLOCK} (e.g. 0.2, 0.25, 1/3 = 0.333..., 0.5)"
            )
        return value

    @model_validator(mode="after")
    def _needs_checklist(self) -> Experiment:
        if self.programme == "nudges" and not self.checklist:
            raise ValueError("a nudges experiment names the checklist whose newcomers it draws")
        if self.outcome == "checklist_completed" and not self.checklist:
            raise ValueError("outcome checklist_completed needs `checklist`")
        return self

    @property
    def block(self) -> tuple[int, int]:
        """(block size, hold-outs per block) of the permuted-block draw."""
        return _block(self.holdout_share)

    def definition(self) -> dict[str, Any]:
        """The fixed question: what the registry freezes at the first assignment."""
        return {
            "programme": self.programme,
            "checklist": self.checklist,
            "holdout_share": self.holdout_share,
            "outcome": self.outcome,
            "horizon_days": self.horizon_days,
            "planned_size": self.planned_size,
            "waitlist_days": self.waitlist_days,
        }

    def label(self, lang: str) -> str:
        if self.title is not None:
            return self.title.get(lang)
        names = {
            "nudges": ("Nudges", "Erinnerungen"),
            "buddies": ("Buddy pairing", "Buddy-Zuordnung"),
        }
        en, de = names[self.programme]
        return de if lang == "de" else en


@functools.lru_cache(maxsize=64)
def _block(share: float) -> tuple[int, int]:
    fraction = Fraction(share).limit_denominator(MAX_BLOCK)
    return fraction.denominator, fraction.numerator


def unique_experiments(experiments: list[Experiment]) -> list[Experiment]:
    """Fails on an id given twice (used by the config's validator)."""
    seen: set[str] = set()
    for experiment in experiments:
        if experiment.id in seen:
            raise ValueError(f"experiment id {experiment.id!r} appears twice")
        seen.add(experiment.id)
    return experiments


__all__ = [
    "ARMS",
    "HOLD_OUT",
    "NUDGED",
    "Experiment",
    "Outcome",
    "Programme",
    "unique_experiments",
]

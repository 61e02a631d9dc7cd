"""Knobs of the synthetic organisation and presets that show each known reason for low use.

The defaults are the ``healthy`` preset: a realistic long-tailed organisation in which no reason
for low use should fire. Each other preset turns one or two knobs far enough that the matching
diagnosis rule sees it, so analytics tests can build "an organisation with a closed culture" in
one call.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["PRESETS", "Knobs", "resolve_knobs"]


@dataclass(frozen=True)
class Knobs:
    """Behaviour of the synthetic organisation; every share is within 0..1."""

    leaders_participation: float = 1.3
    """Leaders' engagement relative to staff (activity, contribution, share who take part).
    Below 1 leaders are less active than staff: a closed culture."""
    creator_share: float = 0.2
    """Share of established members who are occasional contributors (the "9")."""
    heavy_share: float = 0.01
    """Share of heavy contributors (the "1"), besides the planted power users."""
    absent_share: float = 0.08
    """Share of members who never use the platforms at all."""
    reply_share: float = 0.45
    """Share of contributions that answer others (replies, comments)."""
    active_days_per_member: float = 2.5
    """Roughly the mean active days per week of a member active that week; lower means no time."""
    adoption_trend: float = 0.5
    """Relative growth of activity over the window (0.5: a day at the end is 1.5x the start)."""
    weekend_factor: float = 0.1
    """Activity on Saturdays and Sundays relative to workdays."""
    feature_spread: float = 0.6
    """Chance of also touching each other platform on an active day; near 1 with few
    contributions looks like use spread thinly over many features."""
    busy_weeks: tuple[int, ...] = ()
    """Weeks of the window (0 = the first seven days) when project work crowds the tools out."""
    busy_factor: float = 0.25
    """Activity during busy weeks relative to ordinary ones."""
    newcomer_share: float = 0.08
    """Share of members who joined in the last ~90 days."""
    newcomer_dropout: float = 0.1
    """Share of newcomers who try the tools in week 1 and then stop: complicated tools."""
    newcomer_creator_share: float = 0.45
    """Share of newcomers who start contributing; low means too little training."""
    power_users: int | None = None
    """Planted power users; ``None``: one in each department but the smallest."""
    dormant_share: float = 0.25
    """Share of spaces, channels and sites that fall silent during the window."""
    leaver_share: float = 0.02
    """Share of members who leave (deactivated accounts) during the window."""
    de_share: float = 0.35
    """Share of members with German names and locale ``de`` (the rest ``en``)."""
    spaces: int | None = None
    """Confluence spaces; ``None``: departments + 3."""
    channels: int | None = None
    """Mattermost channels; ``None``: 2 x departments + 6."""
    sites: int | None = None
    """SharePoint sites; ``None``: departments + 3."""

    def __post_init__(self) -> None:
        for spec in dataclasses.fields(self):
            value = getattr(self, spec.name)
            if spec.name.endswith("_share") and not 0.0 <= value <= 1.0:
                raise ValueError(f"knob {spec.name} must be within 0..1, got {value}")
            if isinstance(value, int | float) and value < 0:
                raise ValueError(f"knob {spec.name} must not be negative, got {value}")


PRESETS: Mapping[str, Mapping[str, Any]] = {
    "healthy": {},
    "closed_culture": {"leaders_participation": 0.25, "reply_share": 0.08},
    "unclear_benefit": {"creator_share": 0.03, "heavy_share": 0.01},
    "complicated": {"newcomer_dropout": 0.8, "newcomer_share": 0.15},
    "no_time": {"active_days_per_member": 0.7, "busy_weeks": (6, 7)},
    "too_little_training": {"newcomer_creator_share": 0.03, "newcomer_share": 0.15},
}
"""Knob overrides per known reason for low use (names as in the diagnosis playbook)."""


def resolve_knobs(preset: str | None, overrides: Mapping[str, Any]) -> Knobs:
    """The preset's knobs with ``overrides`` on top; unknown names fail loudly."""
    if preset is not None and preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; known: {sorted(PRESETS)}")
    names = {spec.name for spec in dataclasses.fields(Knobs)}
    unknown = set(overrides) - names
    if unknown:
        raise TypeError(f"unknown org knobs {sorted(unknown)}; known: {sorted(names)}")
    return Knobs(**{**PRESETS.get(preset or "healthy", {}), **overrides})

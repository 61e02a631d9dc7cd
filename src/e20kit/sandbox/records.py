"""Records of the synthetic organisation: members, containers, replayable daily events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from ..vocab import Action, Feature

__all__ = ["ARCHETYPES", "PLATFORMS", "Container", "Event", "Member", "Profile"]

PLATFORMS: tuple[str, str, str] = ("mattermost", "confluence", "sharepoint")
"""Platform hints carried by events; fakes replay the events of their own platform."""

ARCHETYPES: tuple[str, ...] = ("power", "heavy", "contributor", "lurker", "absent")
"""Participation archetypes, most to least engaged (``absent``: never uses the platforms)."""


@dataclass(frozen=True)
class Member:
    """One person of the organisation, as an HR directory would describe them."""

    person_id: str
    email: str
    display_name: str
    first_name: str
    last_name: str
    department: str
    title: str
    manager_id: str | None
    role: str
    """``ceo``, ``head`` (of a department), ``lead`` (of a team) or ``staff``."""
    is_leader: bool
    """Has direct reports."""
    joined_on: dt.date
    locale: str
    archetype: str
    newcomer: bool
    """Joined during the last ~90 days of the window."""
    left_on: dt.date | None = None
    """Set for leavers: no activity from this day, account deactivated."""
    has_picture: bool = True

    @property
    def active(self) -> bool:
        return self.left_on is None


@dataclass(frozen=True)
class Container:
    """A Confluence space, Mattermost channel or SharePoint site."""

    container_id: str
    name: str
    platform: str
    kind: str
    """``space``, ``channel`` or ``site``."""
    department: str | None
    """Owning department, ``None`` for organisation-wide containers."""
    weight: float
    """Relative liveliness: how often members pick it."""
    dormant_from: dt.date | None = None
    """No activity on or after this day (a container that fell silent)."""


class Event(NamedTuple):
    """One person's complete count of one action in one container on one day."""

    day: dt.date
    platform: str
    action: Action
    feature: Feature
    container: str | None
    count: int  # type: ignore[assignment]  # shadows tuple.count on purpose: the fact field


@dataclass(frozen=True)
class Profile:
    """Hidden behaviour of one member, drawn once at build time; events derive from it."""

    activity: float
    """Chance of being active on an ordinary workday (before trend and weekend)."""
    contribution: float
    """Chance that an active day includes contributions."""
    max_contributions: int
    reply_share: float
    bursty: bool
    """Active in some weeks and quiet in others (heavy users), unlike steady power users."""
    platform_cumulative: tuple[float, float, float]
    homes: tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]
    """Per platform (order of :data:`PLATFORMS`), indexes of the member's usual containers."""
    extra_platform: float
    """Chance of touching a second platform on an active day."""
    dropout: bool = False
    """A newcomer who stops after week 1."""

"""Immutable records that flow from connectors through the core.

Connectors yield :class:`Person` and :class:`Activity`; they may interleave :class:`Replace` and
:class:`Checkpoint` markers in the activity stream to tell the core which stored facts a window
supersedes and when a bookmark may advance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from .vocab import CONSUMPTION_ACTIONS, Action, Feature

_Frozen = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

NonEmpty = Annotated[str, StringConstraints(min_length=1)]
AttributeValue = str | int | float | bool | None


class Person(BaseModel):
    """One account on one platform, as the platform's directory describes it.

    ``person_id`` is the platform's own id; ``manager_id`` is the manager's id on the same
    platform. ``attributes`` carries small platform facts that onboarding checks read later
    (for example ``{"teams": 2, "has_picture": True}``); never content.
    """

    model_config = _Frozen

    platform: NonEmpty
    person_id: NonEmpty
    email: str | None = None
    display_name: str | None = None
    department: str | None = None
    title: str | None = None
    manager_id: str | None = None
    joined_on: dt.date | None = None
    locale: str | None = None
    active: bool = True
    attributes: Mapping[str, AttributeValue] = Field(default_factory=dict)

    @field_validator("email")
    @classmethod
    def _normalise_email(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return normalise_email(value)

    @field_validator("department", "title", "manager_id", "locale", "display_name")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None


class Activity(BaseModel):
    """One daily fact: how often a person did one action in one container on one day.

    ``count`` is the complete count for its key (day, person, platform, action, feature,
    container): a later fact with the same key replaces the earlier one, so recollecting a day
    never double counts. ``container`` is a space, channel or site id, or ``None`` for chat.

    ``person_id=None`` is an *anonymous* count: a platform that counts views of a container but
    names no reader (Confluence Cloud analytics, SharePoint site page views). It needs a
    container and a consumption action (``view``, ``visit``); it counts in the feature and
    container totals and never as, or for, a member (see docs/metrics.md).
    """

    model_config = _Frozen

    day: dt.date
    platform: NonEmpty
    person_id: NonEmpty | None
    action: Action
    feature: Feature
    container: str | None = None
    count: int = Field(ge=0)

    @model_validator(mode="after")
    def _anonymous_only_reads(self) -> Activity:
        if self.person_id is None:
            if not self.container:
                raise ValueError("an anonymous count (person_id None) needs a container")
            if self.action not in CONSUMPTION_ACTIONS:
                raise ValueError(
                    f"an anonymous count must be a consumption action (view, visit), "
                    f"not {self.action.value!r}"
                )
        return self

    @property
    def anonymous(self) -> bool:
        """True for a count that names nobody (``person_id`` is ``None``)."""
        return self.person_id is None


class Window(BaseModel):
    """A half-open range of days ``[start, end)``."""

    model_config = _Frozen

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end < self.start:
            raise ValueError(f"window end {self.end} is before its start {self.start}")
        return self

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day < self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days


class Bookmark(BaseModel):
    """Where a connector's stream got to; stored by the core, handed back on the next run."""

    model_config = _Frozen

    connector: NonEmpty
    stream: NonEmpty
    value: str
    updated_at: dt.datetime | None = None


class Checkpoint(BaseModel):
    """Marker in an activity stream: every fact of ``stream`` up to ``value`` has been yielded.

    The core commits the facts before it together with the bookmark, in one transaction.
    """

    model_config = _Frozen

    stream: NonEmpty
    value: str


class Replace(BaseModel):
    """Marker in an activity stream: the facts that follow supersede stored ones.

    Stored facts of this connector with a day in ``window`` (and, if given, in ``container`` and
    one of ``actions``) are deleted before the following facts are written, so deleted posts or
    pages disappear from the counts when their day is collected again. ``container=None`` means
    every container; ``container=""`` targets the facts stored without one (chat).
    """

    model_config = _Frozen

    window: Window
    container: str | None = None
    actions: frozenset[Action] | None = None


def normalise_email(email: str) -> str:
    """Lower-case and trim an address so one person is one member across platforms."""
    return email.strip().lower()


__all__ = [
    "Activity",
    "AttributeValue",
    "Bookmark",
    "Checkpoint",
    "Person",
    "Replace",
    "Window",
    "normalise_email",
]

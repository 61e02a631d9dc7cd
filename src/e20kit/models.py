"""Immutable records that flow from connectors through the core.

Connectors yield :class:`Person` and :class:`Activity`; they may interleave :class:`Replace` and
:class:`Checkpoint` markers in the activity stream to tell the core which stored facts a window
supersedes and when a bookmark may advance.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from collections.abc import Mapping
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from .vocab import CONSUMPTION_ACTIONS, Action, Feature

_Frozen = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

# -- the data contract: what both stores accept (docs/config.md, "What the store accepts") ----

MAX_COUNT = 2**31 - 1
"""The greatest count of one fact: fits PostgreSQL's ``integer``; rollup sums are ``bigint``."""
FIRST_DAY = dt.date(1990, 1, 1)
"""The earliest day a fact may have."""
FIRST_JOINED = dt.date(1900, 1, 1)
"""The earliest ``joined_on`` of a person."""
MAX_ATTRIBUTES = 50
MAX_ATTRIBUTE_TEXT = 1000


_LAST_DAY: list[tuple[float, dt.date]] = []


def last_day() -> dt.date:
    """The latest day a fact or ``joined_on`` may have: tomorrow, in the earliest time zone.

    Worked out at most once a second: it is checked for every fact of an import.
    """
    now = time.monotonic()
    if not _LAST_DAY or now - _LAST_DAY[0][0] > 1.0:
        day = max(dt.date.today(), dt.datetime.now(dt.UTC).date()) + dt.timedelta(days=1)
        _LAST_DAY[:] = [(now, day)]
    return _LAST_DAY[0][1]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain a NUL character")
    return value


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day(value: object) -> object:
    """A day is a date or ``YYYY-MM-DD`` text, never a number read as a Unix time."""
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError(f"expected a day as YYYY-MM-DD, got {value[:40]!r}")
    if isinstance(value, int | float):
        raise ValueError("expected a day as YYYY-MM-DD, got a number")
    return value


def _day_range(first: dt.date) -> AfterValidator:
    def check(value: dt.date) -> dt.date:
        last = last_day()
        if not first <= value <= last:
            raise ValueError(f"day {value} is outside the accepted range {first} to {last}")
        return value

    return AfterValidator(check)


def _cut(length: int) -> AfterValidator:
    return AfterValidator(lambda value: value[:length].rstrip())


_NoNul = AfterValidator(_no_nul)
# identifiers: rejected when longer than their column
PlatformName = Annotated[str, StringConstraints(min_length=1, max_length=100), _NoNul]
PlatformId = Annotated[str, StringConstraints(min_length=1, max_length=200), _NoNul]
OptionalId = Annotated[str, StringConstraints(max_length=200), _NoNul]
Container = Annotated[str, StringConstraints(max_length=300), _NoNul]
Email = Annotated[str, StringConstraints(max_length=320), _NoNul]
Locale = Annotated[str, StringConstraints(max_length=20), _NoNul]
NonEmpty = Annotated[str, StringConstraints(min_length=1), _NoNul]
# descriptive text: cut to its column, so one long job title fails nothing
DisplayName = Annotated[str, _NoNul, _cut(300)]
Label = Annotated[str, _NoNul, _cut(200)]
FactDay = Annotated[dt.date, BeforeValidator(_iso_day), _day_range(FIRST_DAY)]
JoinedDay = Annotated[dt.date, BeforeValidator(_iso_day), _day_range(FIRST_JOINED)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
AttributeValue = str | int | float | bool | None


class Person(BaseModel):
    """One account on one platform, as the platform's directory describes it.

    ``person_id`` is the platform's own id; ``manager_id`` is the manager's id on the same
    platform. ``attributes`` carries small platform facts that onboarding checks read later
    (for example ``{"teams": 2, "has_picture": True}``); never content.
    """

    model_config = _Frozen

    platform: PlatformName
    person_id: PlatformId
    email: Email | None = None
    display_name: DisplayName | None = None
    department: Label | None = None
    title: Label | None = None
    manager_id: OptionalId | None = None
    joined_on: JoinedDay | None = None
    locale: Locale | None = None
    active: bool = True
    attributes: Mapping[str, AttributeValue] = Field(default_factory=dict)

    @field_validator("attributes")
    @classmethod
    def _bounded_attributes(
        cls, value: Mapping[str, AttributeValue]
    ) -> Mapping[str, AttributeValue]:
        if len(value) > MAX_ATTRIBUTES:
            raise ValueError(f"at most {MAX_ATTRIBUTES} attributes, got {len(value)}")
        for name, item in value.items():
            if len(name) > 100 or "\x00" in name:
                raise ValueError(f"attribute name {name[:40]!r}... is too long or holds a NUL")
            if isinstance(item, str) and (len(item) > MAX_ATTRIBUTE_TEXT or "\x00" in item):
                raise ValueError(
                    f"attribute {name!r}: text longer than {MAX_ATTRIBUTE_TEXT} or with a NUL"
                )
            if isinstance(item, float) and not math.isfinite(item):
                raise ValueError(f"attribute {name!r}: {item} is not a finite number")
            if isinstance(item, int) and not -(2**63) <= item < 2**63:
                raise ValueError(f"attribute {name!r}: {item} does not fit 64 bits")
        return value

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

    ``day`` lies in ``FIRST_DAY`` .. tomorrow, ``0 <= count <= MAX_COUNT`` and identifiers fit
    their columns with no NUL, so SQLite and PostgreSQL accept exactly the same facts.
    ``count`` is the complete count for its key (day, person, platform, action, feature,
    container): a later fact with the same key replaces the earlier one, so recollecting a day
    never double counts. ``container`` is a space, channel or site id, or ``None`` for chat.

    ``person_id=None`` is an *anonymous* count: a platform that counts views of a container but
    names no reader (Confluence Cloud analytics, SharePoint site page views). It needs a
    container and a consumption action (``view``, ``visit``); it counts in the feature and
    container totals and never as, or for, a member (see docs/metrics.md).
    """

    model_config = _Frozen

    day: FactDay
    platform: PlatformName
    person_id: PlatformId | None
    action: Action
    feature: Feature
    container: Container | None = None
    count: Count

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
    "FIRST_DAY",
    "FIRST_JOINED",
    "MAX_COUNT",
    "Activity",
    "AttributeValue",
    "Bookmark",
    "Checkpoint",
    "Person",
    "Replace",
    "Window",
    "last_day",
    "normalise_email",
]

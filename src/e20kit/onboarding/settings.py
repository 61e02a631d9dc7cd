"""Config section ``[onboarding]``; every key is documented in docs/onboarding.md.

Example::

    [onboarding.nudges]
    notifier = "chat"           # a [notifiers.chat] table
    stuck_days = 3
    weekly_cap = 2
    quiet_start = "18:00"
    quiet_end = "08:00"

    [[onboarding.checklists]]
    id = "newcomers"
    audience = { joined_within_days = 60, departments = ["Sales"] }

    [[onboarding.checklists.steps]]
    id = "first_post"
    check = "activity"
    params = { platform = "mattermost", actions = ["post", "reply"], min_count = 1 }
    title = { en = "Say hello in a channel", de = "Sag Hallo in einem Kanal" }
    help_url = "https://intranet.example.org/guides/chat"
    due_days = 7
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _valid_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError("ids use letters, digits, '_', '-' and '.' (at most 100 characters)")
    return value


class Localised(_Frozen):
    """A text in English and (optionally) German; a plain string means English."""

    en: str = Field(min_length=1)
    de: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_string(cls, value: Any) -> Any:
        return {"en": value} if isinstance(value, str) else value

    def get(self, locale: str) -> str:
        return self.de if locale == "de" and self.de else self.en


class Audience(_Frozen):
    """Who gets a checklist; every given condition must hold."""

    joined_within_days: int = Field(default=90, ge=0)
    """Members who joined at most this many days ago; 0: regardless of joining date (members
    without a joining date only qualify then)."""
    departments: list[str] = Field(default_factory=list)
    """Only these departments (empty: every department)."""
    platforms: list[str] = Field(default_factory=list)
    """Only members with an account on one of these platforms (empty: any)."""


class Step(_Frozen):
    """One step of a checklist."""

    id: str
    check: str
    """A registered check id (``activity``, ``manual`` or a plugin's, e.g.
    ``mattermost.profile_picture``)."""
    params: dict[str, Any] = Field(default_factory=dict)
    """The check's parameters, validated against the check's own model at start."""
    title: Localised
    help_url: str | None = None
    """Quick guide, video or webcast that helps with this step."""
    due_days: int = Field(default=0, ge=0)
    """No nudge for this step before the member has been here this many days."""

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        return _valid_id(value)


class Checklist(_Frozen):
    """An ordered checklist for an audience."""

    id: str
    title: Localised | None = None
    audience: Audience = Audience()
    steps: list[Step] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        return _valid_id(value)

    @model_validator(mode="after")
    def _unique_steps(self) -> Checklist:
        seen: set[str] = set()
        for step in self.steps:
            if step.id in seen:
                raise ValueError(f"step id {step.id!r} appears twice in checklist {self.id!r}")
            seen.add(step.id)
        return self


class NudgeSettings(_Frozen):
    """``[onboarding.nudges]``: when and how members are reminded."""

    enabled: bool = True
    notifier: str = "log"
    """Name of the ``[notifiers.<name>]`` table that delivers nudges."""
    stuck_days: int = Field(default=3, ge=1)
    """A member on the same step this many days gets a nudge."""
    max_per_step: int = Field(default=1, ge=1, le=10)
    """Nudges per member and step at most (each one an attempt with its own idempotency key)."""
    repeat_days: int = Field(default=7, ge=1)
    """Days between two nudges about the same step (when ``max_per_step`` > 1)."""
    weekly_cap: int = Field(default=2, ge=0)
    """Messages per member in any 7 days, of every kind (onboarding, champions...)."""
    quiet_start: dt.time = dt.time(18, 0)
    """Start of quiet hours in the organisation's time zone (no messages from then...)."""
    quiet_end: dt.time = dt.time(8, 0)
    """...until then. Equal start and end mean no quiet hours."""
    send_on_weekends: bool = False
    """Saturdays and Sundays are quiet unless this is true."""
    opt_out_contact: str | None = None
    """Whom a member tells to get no more nudges (an address or a team); nudges name it.
    Nothing reads replies to a nudge, so the text never promises that replying stops them."""


class TemplateSettings(_Frozen):
    """``[onboarding.templates]``: override the built-in Jinja2 templates."""

    directory: Path | None = None
    """Folder searched before the built-in templates (same file names, e.g. ``nudge.de.md.j2``)."""


class OnboardingSettings(_Frozen):
    """Settings of the ``[onboarding]`` table."""

    checklists: list[Checklist] = Field(default_factory=list)
    nudges: NudgeSettings = NudgeSettings()
    templates: TemplateSettings = TemplateSettings()

    @model_validator(mode="after")
    def _unique_checklists(self) -> OnboardingSettings:
        seen: set[str] = set()
        for checklist in self.checklists:
            if checklist.id in seen:
                raise ValueError(f"checklist id {checklist.id!r} appears twice")
            seen.add(checklist.id)
        return self

    def checklist(self, checklist_id: str) -> Checklist | None:
        return next((c for c in self.checklists if c.id == checklist_id), None)

    def titles(self, lang: str) -> dict[tuple[str, str | None], str]:
        """Titles for people, in ``lang``: ``(checklist, None)`` and ``(checklist, step)`` keys;
        an untitled checklist keeps its id (the funnel must still say which one it is)."""
        out: dict[tuple[str, str | None], str] = {}
        for c in self.checklists:
            out[(c.id, None)] = c.title.get(lang) if c.title else c.id
            out.update({(c.id, s.id): s.title.get(lang) for s in c.steps})
        return out


__all__ = [
    "Audience",
    "Checklist",
    "Localised",
    "NudgeSettings",
    "OnboardingSettings",
    "Step",
    "TemplateSettings",
]

"""What a survey source is, seen from a plugin author's side (``e20kit_survey_sources``).

Answers are collected by a survey tool, never by e20kit, so that no answer is linked to a
person: a source creates (or checks) an anonymised survey for a wave and later hands back its
completed responses. The core stores them without any person column, with the tool's response
id only as a keyed hash (to count nothing twice), and without a time finer than the wave.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..connector import DataSource, PluginContext, S
from ..findings import Reason
from ..onboarding.settings import ID_PATTERN
from .questions import REASONS, SCALE, Audience, SurveyQuestion

UNIT_MAX = 200
"""Longest unit label stored (as ``members.department``)."""


class SurveyWave(BaseModel):
    """One round of the survey: asked from ``opened`` to ``closes``, answered in ``source``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    wave_id: str
    opened: dt.date
    closes: dt.date
    source: str
    """The survey source type (``limesurvey``, ``csv``...) the answers come from."""

    @field_validator("wave_id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError(
                "wave ids use letters, digits, '_', '-' and '.' (at most 100 characters)"
            )
        return value

    @model_validator(mode="after")
    def _dates(self) -> SurveyWave:
        if self.closes < self.opened:
            raise ValueError(f"the wave closes ({self.closes}) before it opens ({self.opened})")
        return self


class SurveyResponse(BaseModel):
    """One completed response as the tool holds it: no person, no time, no free text.

    ``response_id`` is the tool's own id, used only to recognise a response imported before;
    the store keeps a keyed hash of it. ``answers`` maps each reason to 1-5, or ``None`` when
    the statement was skipped.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    response_id: str = Field(min_length=1, max_length=200)
    role: Audience
    unit: str | None = Field(default=None, max_length=UNIT_MAX)
    answers: Mapping[Reason, int | None]

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str | None) -> str | None:
        return (value.strip() or None) if value is not None else None

    @field_validator("answers")
    @classmethod
    def _answers(cls, value: Mapping[Reason, int | None]) -> Mapping[Reason, int | None]:
        for reason, score in value.items():
            if reason not in REASONS:
                raise ValueError(f"{reason.value!r} is not one of the five surveyed reasons")
            if score is not None and score not in SCALE:
                raise ValueError(f"{reason.value}: {score} is outside the scale 1-5")
        return dict(value)


@dataclass(frozen=True)
class SurveyHandle:
    """A prepared survey: the tool's reference and how to link to it.

    ``link(unit_or_None, role, lang)`` returns the URL an invitation carries; it holds no
    per-person token, so an answer cannot be traced to the invitation.
    """

    survey_ref: str
    link: Callable[[str | None, str, str], str]


@runtime_checkable
class SurveySource(Protocol):
    """The protocol every survey source instance implements."""

    def prepare(
        self, wave: SurveyWave, questions: Sequence[SurveyQuestion], units: Sequence[str]
    ) -> SurveyHandle:
        """Create (or find and check) an anonymised survey for ``wave`` with ``questions``;
        ``units`` are the unit labels it may offer (each has at least k members). Raise
        :class:`~e20kit.errors.SurveyError` naming the call when the tool refuses."""
        ...

    def responses(self, wave: SurveyWave, handle_ref: str) -> Iterable[SurveyResponse]:
        """The completed responses of the survey ``handle_ref`` (from :meth:`prepare`)."""
        ...


@dataclass(frozen=True)
class SurveySourceType(Generic[S]):
    """Registration record a plugin returns from ``e20kit_survey_sources``."""

    name: str
    """Type name used in config (``[survey_sources.x] type = "limesurvey"``), unique."""
    settings: type[S]
    """Pydantic model of the source's config table; ``SecretStr`` fields come from env."""
    factory: Callable[[PluginContext[S]], SurveySource]
    """Builds a source from validated settings (a class taking the context will do)."""
    description: str = ""
    description_de: str = ""
    """``description`` in German (the inventory's ``--lang de``; English when empty)."""
    data_sources: tuple[DataSource, ...] = ()
    """What the source reads or writes in the survey tool, for the data inventory."""


__all__ = ["SurveyHandle", "SurveyResponse", "SurveySource", "SurveySourceType", "SurveyWave"]

"""Diagnosis results: which known reason for low use is at work, and the evidence for it."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Reason(StrEnum):
    """The known reasons why collaboration tools are used little."""

    COMPLICATED = "complicated"
    """Tools feel complicated or buggy."""
    NO_TIME = "no_time"
    """No time beside other projects."""
    TRAINING = "training"
    """Too little training."""
    UNCLEAR_BENEFIT = "unclear_benefit"
    """The benefit is unclear."""
    CLOSED_CULTURE = "closed_culture"
    """A closed, low-trust culture; leaders are not role models."""
    OTHER = "other"
    """Found by a plugin rule outside the five known reasons."""
    DATA_GAP = "data_gap"
    """Not a reason for low use: the period has no data for a platform, so nothing is known."""


class Severity(StrEnum):
    """How pressing a finding is: ``watch`` a mild signal, ``warning`` a clear one,
    ``critical`` a severe one that is growing; ``info`` for plugin notes."""

    INFO = "info"
    WATCH = "watch"
    WARNING = "warning"
    CRITICAL = "critical"


class Evidence(BaseModel):
    """One measured figure that supports a finding."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    metric: str
    value: float | None
    threshold: float | None = None
    comparison: str = ""
    """How value relates to threshold, e.g. ``"<"``."""
    trend: float | None = None
    """Change against the previous period (same unit as value), when known."""
    level: str | None = None
    """The band the value reached (``watch``, ``warning`` or ``critical``), for banded rules."""
    reference: float | None = None
    """The figure of the group the value is set against (e.g. established members'), when the
    evidence is a contrast."""


class RuledOut(BaseModel):
    """Why a neighbouring reason, which shares a symptom, is not the one at work."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reason: Reason
    metric: str
    value: float | None
    reference: float | None = None
    text: str
    """One sentence in the report's language."""


class Finding(BaseModel):
    """One diagnosed problem with its evidence and the remedies to try."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    """Id of the rule that produced it, e.g. ``unclear_benefit.few_creators``."""
    reason: Reason
    severity: Severity = Severity.WARNING
    title: str
    """One line in the report's language."""
    detail: str = ""
    evidence: tuple[Evidence, ...] = Field(default_factory=tuple)
    remedies: tuple[str, ...] = Field(default_factory=tuple)
    """Recommended remedies, in the report's language."""
    ruled_out: tuple[RuledOut, ...] = Field(default_factory=tuple)
    """The neighbouring reasons this finding is not, with the contrast that says so."""
    undecided: tuple[Reason, ...] = Field(default_factory=tuple)
    """When not empty, the usage data cannot tell ``reason`` from these reasons (the finding
    names them all, and a survey of stated reasons decides); empty when the data decides."""
    rests_on: tuple[str, ...] = Field(default_factory=tuple)
    """The evidence the finding rests on: ``("usage",)``, ``("survey",)`` or both, once the
    diagnosis has read it beside the survey's stated reasons (docs/survey.md); empty for a
    finding of no known reason."""


__all__ = ["Evidence", "Finding", "Reason", "RuledOut", "Severity"]

"""Config section ``[analytics]``: periods, leaders, containers, cohorts and diagnosis bands.

Every key is documented in docs/metrics.md and docs/playbook.md. The bands keep clear of what
healthy organisations show: a healthy organisation must get no finding at all.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .closures import public_holidays
from .period import parse_days

PERIOD_PATTERN = re.compile(
    r"^(last-\d{1,4}d|month:\d{4}-\d{2}|\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})$"
)
"""``last-<N>d``, ``month:YYYY-MM`` or ``YYYY-MM-DD..YYYY-MM-DD`` (end exclusive)."""


class Band(BaseModel):
    """Where a figure turns into a finding: ``watch`` (mild), ``warning`` (clear) and
    ``critical`` (severe; the finding is critical when it is also growing). A plain number in
    the config sets all three to it (one cut-off, as before bands)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    watch: float = Field(ge=0)
    warning: float = Field(ge=0)
    critical: float = Field(ge=0)

    @model_validator(mode="before")
    @classmethod
    def _one_number(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return {"watch": value, "warning": value, "critical": value}
        return value


def _band(watch: float, warning: float, critical: float) -> Any:
    return Field(default=Band(watch=watch, warning=warning, critical=critical))


BELOW = "<"
ABOVE = ">"


class DiagnosisThresholds(BaseModel):
    """Bands of the built-in playbook (table ``[analytics.diagnosis]``); docs/playbook.md gives
    the reasoning behind each default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_active_members: int = Field(default=10, ge=1)
    """Below this many active members in the period nothing is diagnosed (too little data)."""
    min_newcomers: int = Field(default=5, ge=1)
    """Newcomer rules need at least this many newcomers (also never fewer than k)."""
    dropout_excess: Band = _band(0.12, 0.4, 0.6)
    """complicated: newcomers' week-1 drop-out minus established members' three-week lapse,
    above which newcomers give up on the tools."""
    feature_depth: Band = _band(0.4, 0.3, 0.2)
    """complicated (supporting): mean features per active member / features in use, below
    which members keep to the one thing they figured out."""
    active_days_per_week: Band = _band(1.85, 1.6, 1.3)
    """no_time: mean active days per week of members active that week (supporting only where
    newcomers' drop-out or few creators explain the few days)."""
    busy_collapse: Band = _band(0.78, 0.55, 0.35)
    """no_time: the quietest seven days' member-days (allowing for chance) / the median seven
    days', over every seven consecutive days of the period."""
    onboarding_stall: Band = _band(0.7, 0.8, 0.9)
    """training: the worst onboarding step's stalled / (completed + stalled) members."""
    newcomer_creator_ratio: Band = _band(0.45, 0.35, 0.15)
    """training: creator share of newcomers who stayed past their first week / creator share
    of established members."""
    creator_share: Band = _band(0.18, 0.1, 0.05)
    """unclear_benefit: share of established active members who contributed."""
    top10_share: Band = _band(0.84, 0.95, 0.99)
    """unclear_benefit: share of contributions made by the top 10 % of active members."""
    leader_ratio: Band = _band(0.9, 0.55, 0.35)
    """closed_culture: leaders' participation rate / staff's."""
    leader_creator_ratio: Band = _band(0.7, 0.4, 0.2)
    """closed_culture: leaders' creator share / staff's, below which leaders are present but
    not seen contributing (only where established members clearly create)."""
    helping_share: Band = _band(0.3, 0.22, 0.12)
    """closed_culture: share of contributions that reply to or comment on others' content."""

    @model_validator(mode="after")
    def _ordered(self) -> DiagnosisThresholds:
        for name, direction in BAND_DIRECTIONS.items():
            band: Band = getattr(self, name)
            edges = [band.watch, band.warning, band.critical]
            if edges != sorted(edges, reverse=direction == BELOW):
                order = (
                    "watch >= warning >= critical"
                    if direction == BELOW
                    else ("watch <= warning <= critical")
                )
                raise ValueError(f"analytics.diagnosis.{name}: expected {order}")
        return self


BAND_DIRECTIONS: dict[str, str] = {
    "dropout_excess": ABOVE,
    "feature_depth": BELOW,
    "active_days_per_week": BELOW,
    "busy_collapse": BELOW,
    "onboarding_stall": ABOVE,
    "newcomer_creator_ratio": BELOW,
    "creator_share": BELOW,
    "top10_share": ABOVE,
    "leader_ratio": BELOW,
    "leader_creator_ratio": BELOW,
    "helping_share": BELOW,
}
"""The direction in which each band's figure is a problem."""


class AnalyticsSettings(BaseModel):
    """Settings of the ``[analytics]`` table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default_period: str = "last-30d"
    """Period used when none is given: ``last-<N>d``, ``month:YYYY-MM`` or
    ``YYYY-MM-DD..YYYY-MM-DD`` (end exclusive)."""
    leader_departments: tuple[str, ...] = ()
    """Departments whose members all count as leaders (e.g. ``["Management"]``), besides people
    with direct reports and titles matching ``organisation.leader_title_pattern``."""
    lively_min_contributors: int = Field(default=2, ge=1)
    """A space, channel or site is lively when at least this many members contributed to it in
    the period; with some activity but fewer it is quiet; with none it is dormant."""
    newcomer_days: int = Field(default=90, ge=7, le=730)
    """Members who joined within this many days before the period's end are newcomers."""
    cohort_weeks: int = Field(default=16, ge=1, le=104)
    """How many joining cohorts (ISO weeks, the newest one holding the period's last day) the
    retention table shows."""
    lorenz_points: int = Field(default=20, ge=2, le=200)
    """Points of the sampled Lorenz curve (besides the origin)."""
    stale_after_days: int = Field(default=3, ge=0, le=3650)
    """A platform whose newest complete day is more than this many days old is flagged stale in
    the report (its connector stopped delivering)."""
    closed_days: tuple[str, ...] = ()
    """Days the organisation is closed (a company closure, bridge days): each ``YYYY-MM-DD`` or
    ``YYYY-MM-DD..YYYY-MM-DD`` (end exclusive). The no-time reading leaves them out: a closed
    week is not a collapse of the time people have."""
    holidays: str | None = None
    """Public holidays of a country, optionally of one subdivision (``"DE"``, ``"DE-BY"``,
    ``"CH-ZH"``), from the ``holidays`` package; closed like ``closed_days``."""
    diagnosis: DiagnosisThresholds = DiagnosisThresholds()

    @field_validator("closed_days")
    @classmethod
    def _days(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            parse_days(entry)
        return value

    @field_validator("holidays")
    @classmethod
    def _known_holidays(cls, value: str | None) -> str | None:
        if value is not None:
            public_holidays(value, years=())
        return value

    @field_validator("default_period")
    @classmethod
    def _known_period(cls, value: str) -> str:
        if not PERIOD_PATTERN.match(value):
            raise ValueError(
                "expected last-<N>d, month:YYYY-MM or YYYY-MM-DD..YYYY-MM-DD (end exclusive)"
            )
        return value


__all__ = [
    "ABOVE",
    "BAND_DIRECTIONS",
    "BELOW",
    "PERIOD_PATTERN",
    "AnalyticsSettings",
    "Band",
    "DiagnosisThresholds",
]

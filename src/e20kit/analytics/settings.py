"""Config section ``[analytics]``: periods, leaders, containers, cohorts and diagnosis thresholds.

Every key is documented in docs/metrics.md and docs/playbook.md. The thresholds are deliberately
conservative: a healthy organisation must get no finding at all.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

PERIOD_PATTERN = re.compile(
    r"^(last-\d{1,4}d|month:\d{4}-\d{2}|\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})$"
)
"""``last-<N>d``, ``month:YYYY-MM`` or ``YYYY-MM-DD..YYYY-MM-DD`` (end exclusive)."""


class DiagnosisThresholds(BaseModel):
    """Thresholds of the built-in playbook (table ``[analytics.diagnosis]``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_active_members: int = Field(default=10, ge=1)
    """Below this many active members in the period nothing is diagnosed (too little data)."""
    newcomer_dropout: float = Field(default=0.5, ge=0, le=1)
    """complicated: share of newcomers active in week 1 but in none of weeks 2-4, above which
    the tools look too complicated."""
    min_newcomers: int = Field(default=5, ge=1)
    """Newcomer rules need at least this many newcomers (also never fewer than k)."""
    features_per_member: float = Field(default=5.0, ge=0)
    """complicated (supporting signal): mean distinct features per active member at or above
    which use is spread thinly, reported only together with a newcomer drop-out."""
    active_days_per_week: float = Field(default=1.8, ge=0)
    """no_time: mean active days per week of members active that week, below which members
    have no time for the tools."""
    busy_collapse: float = Field(default=0.5, ge=0, le=1)
    """no_time: the quietest full week's active members below this share of the median week
    means activity collapses in busy periods."""
    onboarding_stall: float = Field(default=0.7, ge=0, le=1)
    """training: an onboarding step where more than this share of the members who completed or
    stalled at it stalled (steps need at least ``min_newcomers`` and k such members)."""
    newcomer_creator_share: float = Field(default=0.15, ge=0, le=1)
    """training (fallback without onboarding data): share of active newcomers who contributed,
    below which training is too thin."""
    creator_share: float = Field(default=0.15, ge=0, le=1)
    """unclear_benefit: share of active members who contributed, below which the benefit is
    unclear (many readers, few creators)."""
    top10_share: float = Field(default=0.92, ge=0, le=1)
    """unclear_benefit: share of contributions by the top 10 % above which contributions are
    concentrated in a few people."""
    leader_ratio: float = Field(default=0.8, ge=0)
    """closed_culture: leaders' participation rate divided by staff's, below which leaders are
    not role models."""
    helping_share: float = Field(default=0.25, ge=0, le=1)
    """closed_culture: share of contributions that reply to or comment on others' content,
    below which people do not engage with each other."""


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
    """How many weekly joining cohorts (back from the period's end) the retention table shows."""
    lorenz_points: int = Field(default=20, ge=2, le=200)
    """Points of the sampled Lorenz curve (besides the origin)."""
    stale_after_days: int = Field(default=3, ge=0, le=3650)
    """A platform whose newest complete day is more than this many days old is flagged stale in
    the report (its connector stopped delivering)."""
    diagnosis: DiagnosisThresholds = DiagnosisThresholds()

    @field_validator("default_period")
    @classmethod
    def _known_period(cls, value: str) -> str:
        if not PERIOD_PATTERN.match(value):
            raise ValueError(
                "expected last-<N>d, month:YYYY-MM or YYYY-MM-DD..YYYY-MM-DD (end exclusive)"
            )
        return value


__all__ = ["PERIOD_PATTERN", "AnalyticsSettings", "DiagnosisThresholds"]

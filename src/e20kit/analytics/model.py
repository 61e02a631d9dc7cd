"""The typed results of the analytics: small frozen records, no personal data in any of them.

Group rows carry ``suppressed``: ``True`` when the group has fewer members than the minimum group
size, in which case every figure of the row is ``None``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from .freshness import PlatformAsOf
from .period import Period
from .settings import AnalyticsSettings


@dataclass(frozen=True)
class Headline:
    """The headline figures of one period (across platforms or for one platform)."""

    members: int | None
    """Members on record (accounts not deactivated): the denominator of participation.
    Count fields are ``None`` only in published figures (:mod:`e20kit.disclosure`), where the
    count is below k or a dominant member would show."""
    active_members: int | None
    """Members with at least one fact in the period."""
    participation_rate: float | None
    dau: float
    """Mean daily active members over the period's days."""
    wau: float
    """Mean distinct active members per full 7-day block of the period."""
    mau: float
    """Mean distinct active members per full 30-day block (or the 30 days up to its end)."""
    stickiness: float | None
    """``dau / mau``."""
    creators: int | None
    """Active members who created, edited, posted, replied or commented."""
    consumers: int | None
    """Active members who only viewed, visited, reacted, shared or synced."""
    creator_share: float | None
    consumer_share: float | None
    contributions: int | None
    helping_share: float | None
    """Share of contributions that answer others (comments and replies)."""
    active_days_per_week: float | None
    """Mean active days per week of members active that week."""
    features_per_member: float | None
    """Mean distinct features used per active member."""
    gini: float | None
    top1_share: float | None
    top10_share: float | None


HEADLINE_FIGURES = (
    "active_members",
    "participation_rate",
    "dau",
    "wau",
    "mau",
    "stickiness",
    "creators",
    "creator_share",
    "contributions",
    "helping_share",
    "active_days_per_week",
    "features_per_member",
    "gini",
    "top1_share",
    "top10_share",
)
"""Headline figures that get a trend (``members`` and ``consumers`` follow from others)."""


@dataclass(frozen=True)
class Trend:
    """A headline figure now and in the previous period of equal length."""

    figure: str
    current: float | None
    previous: float | None
    change: float | None
    """``current - previous``."""
    change_pct: float | None
    """Relative change in percent; ``None`` when the previous value is 0 or unknown."""


@dataclass(frozen=True)
class PlatformFigures:
    platform: str
    headline: Headline


@dataclass(frozen=True)
class TimePoint:
    """Active members in one day or block of days (``start`` inclusive, ``days`` long)."""

    start: dt.date
    days: int
    active: int | None
    """``None`` (as the other counts) only in published figures, below k."""
    creators: int | None
    contributions: int | None


@dataclass(frozen=True)
class Inequality:
    """Participation inequality over the period's active members (non-contributors count 0)."""

    population: int | None
    contributors: int | None
    gini: float | None
    top1_share: float | None
    top10_share: float | None
    lorenz: tuple[tuple[float, float], ...]
    """(share of members, share of contributions), bottom-up, from (0, 0) to (1, 1)."""


@dataclass(frozen=True)
class GroupFigures:
    """Participation of one group (leaders or staff, overall or within a department)."""

    group: str
    department: str | None
    members: int | None
    """``None`` when suppressed: the group has fewer than k members (or is hidden with one)."""
    active: int | None
    creators: int | None
    contributions: int | None
    participation_rate: float | None
    """Active members / members."""
    contribution_rate: float | None
    """Creators / members."""
    contributions_per_member: float | None
    suppressed: bool = False
    complementary: bool = False
    """Hidden although large enough, so that a smaller group cannot be computed from a total."""


@dataclass(frozen=True)
class DepartmentFigures:
    department: str
    members: int | None
    """``None`` when suppressed."""
    active: int | None
    creators: int | None
    contributions: int | None
    participation_rate: float | None
    creator_share: float | None
    """Creators / active members."""
    suppressed: bool = False
    complementary: bool = False
    """Hidden although large enough (see :class:`GroupFigures`)."""


@dataclass(frozen=True)
class HeatCell:
    """Active members of one department in one 7-day block."""

    department: str
    week_start: dt.date
    active: int | None
    rate: float | None
    suppressed: bool = False


@dataclass(frozen=True)
class Cohort:
    """Members who joined in one ISO week (Monday to Sunday), and the share active in given
    weeks after."""

    week_start: dt.date
    size: int | None
    """``None`` when suppressed."""
    retention: dict[int, float | None]
    """Week after joining (1 = the joining week) -> share active; ``None`` when not yet seen
    or suppressed."""
    suppressed: bool = False
    pooled: bool = False
    """The first row pools every cohort: per week, the cohorts that have lived through it."""
    complementary: bool = False
    """Hidden although large enough (see :class:`GroupFigures`)."""


@dataclass(frozen=True)
class Newcomers:
    """Newcomer figures the playbook uses."""

    newcomers: int | None
    """Members who joined within ``newcomer_days`` before the period's end (every count here is
    ``None`` in published figures when below k)."""
    active: int | None
    creators: int | None
    creator_share: float | None
    """Active newcomers who contributed in the period / active newcomers."""
    week1_active: int | None
    """Newcomers whose weeks 1-4 are all observable and who were active in week 1."""
    dropped: int | None
    """Of those, how many were active in none of weeks 2-4."""
    dropout: float | None


@dataclass(frozen=True)
class Contrasts:
    """Figures set against each other so the playbook can tell reasons apart (see
    :mod:`e20kit.analytics.contrasts`)."""

    established_active: int | None
    """Active members who joined before the newcomer window (or whose joining day is unknown)."""
    established_creator_share: float | None
    """Of them, the share who contributed in the period."""
    stayed_newcomers: int | None
    """Newcomers active in the period after their own first week."""
    stayed_creator_share: float | None
    """Of them, the share who contributed in the period."""
    established_checked: int | None
    """Established members active in the reference week (the fourth-last week of the period)."""
    established_lapse: float | None
    """Of them, the share active in none of the three weeks after it: what newcomers' week-1
    drop-out is set against."""
    features_in_use: int
    """Distinct features anyone used in the period."""
    feature_depth: float | None
    """Mean distinct features per active member / features in use."""


@dataclass(frozen=True)
class FeatureShare:
    feature: str
    week_start: dt.date | None
    """``None`` for the whole period."""
    active: int | None
    """``None`` in published figures when below k (and ``actions`` with it)."""
    actions: int | None
    share: float | None
    """Share of all actions in the same week (or period)."""


@dataclass(frozen=True)
class ContextFigures:
    """One context platform (``context:outlook``) in the period: never participation."""

    platform: str
    members: int | None
    """Members on record with any fact there (``None`` in published figures below k)."""
    writers: int | None
    """Of them, those with a contribution action there (for mail: who sent mail)."""
    writers_only_there: int | None
    """Of the writers, those who contributed on no participation platform in the period:
    for mail, the members who "live in mail"."""
    share_only_there: float | None
    """``writers_only_there / writers``."""


@dataclass(frozen=True)
class ContainerFigures:
    """Spaces, channels or sites of one platform by liveliness."""

    platform: str
    containers: int
    lively: int
    quiet: int
    dormant: int
    lively_share: float | None


@dataclass(frozen=True)
class FunnelStep:
    """One onboarding step's funnel (from ``e20kit.onboarding.funnel`` when it has data)."""

    checklist: str
    step: str
    position: int
    eligible: int | None
    """``None`` in published figures when below k (as ``completed`` and ``stalled``)."""
    completed: int | None
    stalled: int | None
    stall_share: float | None
    """Stalled / (completed + stalled): of the members who finished the step or got stuck at
    it, the share stuck. Members still within the step's time are left out, and so are members
    who have not reached it yet."""


@dataclass(frozen=True)
class Metrics:
    """Every metric of one period; what diagnosis rules and reports read."""

    period: Period
    previous: Period
    min_group_size: int
    settings: AnalyticsSettings
    headline: Headline
    previous_headline: Headline
    trends: tuple[Trend, ...]
    platforms: tuple[PlatformFigures, ...]
    daily: tuple[TimePoint, ...]
    weekly: tuple[TimePoint, ...]
    monthly: tuple[TimePoint, ...]
    inequality: Inequality
    leaders: tuple[GroupFigures, ...]
    """Overall ``leaders`` and ``staff`` rows, then per department."""
    departments: tuple[DepartmentFigures, ...]
    heatmap: tuple[HeatCell, ...]
    cohorts: tuple[Cohort, ...]
    newcomers: Newcomers
    features: tuple[FeatureShare, ...]
    """Per period (``week_start`` None) then per week."""
    containers: tuple[ContainerFigures, ...]
    onboarding: tuple[FunnelStep, ...] = ()
    contrasts: Contrasts | None = None
    no_data: tuple[str, ...] = ()
    """Platforms with people on record but no activity facts in the period (data gaps)."""
    as_of: tuple[PlatformAsOf, ...] = ()
    """Up to which day each platform's data is complete; stale and partial flags."""
    rollups_stale: bool = False
    """True when facts changed after the rollups' last refresh, so the figures miss them
    (:meth:`e20kit.Kit.metrics` refreshes first; callers of ``compute_metrics`` do it)."""
    largest: Mapping[str, int] = field(default_factory=dict, repr=False, compare=False)
    """The largest single member's contributions per cell (``headline``, ``previous``,
    ``platform/<name>``, ``department/<name>``): what the disclosure layer's dominance rule
    reads. Never published: empty in published figures."""
    disclosure: str = ""
    """How the figures were protected for publishing (:mod:`e20kit.disclosure`); empty for
    the analytics' raw figures, which never leave the library as they are."""
    hidden_platforms: tuple[str, ...] = ()
    """Platforms with fewer than k members: named here, left out of ``platforms``."""
    context: tuple[ContextFigures, ...] = ()
    """Context platforms (mail, apps): beside participation, never part of it."""

    @property
    def partial(self) -> bool:
        """The period ends after some platform's newest complete day."""
        return any(p.partial for p in self.as_of)

    @property
    def short_history(self) -> tuple[str, ...]:
        """Platforms whose data begins after the previous period's first day: the changes
        against the previous period partly count data arriving."""
        return tuple(p.platform for p in self.as_of if p.short_history)

    def trend(self, figure: str) -> Trend | None:
        return next((t for t in self.trends if t.figure == figure), None)

    def leader_group(self, group: str) -> GroupFigures | None:
        """The overall ``leaders`` or ``staff`` row."""
        return next((g for g in self.leaders if g.group == group and g.department is None), None)


__all__ = [
    "HEADLINE_FIGURES",
    "Cohort",
    "ContainerFigures",
    "ContextFigures",
    "Contrasts",
    "DepartmentFigures",
    "FeatureShare",
    "FunnelStep",
    "GroupFigures",
    "Headline",
    "HeatCell",
    "Inequality",
    "Metrics",
    "Newcomers",
    "PlatformFigures",
    "TimePoint",
    "Trend",
]

"""Adoption metrics computed in SQL inside the store (SQLite and PostgreSQL alike).

>>> metrics = kit.metrics("last-30d")                      # doctest: +SKIP
>>> metrics.headline.active_members, metrics.headline.creator_share   # doctest: +SKIP
"""

from __future__ import annotations

from .compute import compute_metrics
from .inequality import gini, lorenz, top_share
from .model import (
    HEADLINE_FIGURES,
    Cohort,
    ContainerFigures,
    ContextFigures,
    Contrasts,
    DepartmentFigures,
    FeatureShare,
    FunnelStep,
    GroupFigures,
    Headline,
    HeatCell,
    Inequality,
    Metrics,
    Newcomers,
    PlatformFigures,
    TimePoint,
    Trend,
)
from .period import PRESETS, Period, parse_period
from .settings import AnalyticsSettings, DiagnosisThresholds

__all__ = [
    "HEADLINE_FIGURES",
    "PRESETS",
    "AnalyticsSettings",
    "Cohort",
    "ContainerFigures",
    "ContextFigures",
    "Contrasts",
    "DepartmentFigures",
    "DiagnosisThresholds",
    "FeatureShare",
    "FunnelStep",
    "GroupFigures",
    "Headline",
    "HeatCell",
    "Inequality",
    "Metrics",
    "Newcomers",
    "Period",
    "PlatformFigures",
    "TimePoint",
    "Trend",
    "compute_metrics",
    "gini",
    "lorenz",
    "parse_period",
    "top_share",
]

"""The pulse survey on the five reasons: questions, survey sources, anonymous answers, results.

>>> kit.survey.results()                  # doctest: +SKIP

See docs/survey.md.
"""

from __future__ import annotations

from .model import SurveyHandle, SurveyResponse, SurveySource, SurveySourceType, SurveyWave
from .questions import (
    AGREE,
    AUDIENCES,
    REASONS,
    SCALE_LABELS,
    Audience,
    SurveyQuestion,
    configured_questions,
    default_questions,
)
from .results import ReasonScore, SurveyResults, wilson
from .settings import SurveySettings

__all__ = [
    "AGREE",
    "AUDIENCES",
    "REASONS",
    "SCALE_LABELS",
    "Audience",
    "ReasonScore",
    "SurveyHandle",
    "SurveyQuestion",
    "SurveyResponse",
    "SurveyResults",
    "SurveySettings",
    "SurveySource",
    "SurveySourceType",
    "SurveyWave",
    "configured_questions",
    "default_questions",
    "wilson",
]

"""The plugin module named by the ``e20kit`` entry point: registers everything through hooks."""

from __future__ import annotations

from collections.abc import Iterable

from e20kit import Sandbox, SurveySourceType, hookimpl

from .sandbox import LIMESURVEY_SANDBOX
from .source import LIMESURVEY_SOURCE


@hookimpl
def e20kit_survey_sources() -> Iterable[SurveySourceType]:
    return [LIMESURVEY_SOURCE]


@hookimpl
def e20kit_sandboxes() -> Iterable[Sandbox]:
    return [LIMESURVEY_SANDBOX]

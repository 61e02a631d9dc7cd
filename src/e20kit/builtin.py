"""The built-in plugin: registered through the ``e20kit`` entry point like any third-party one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .connector import ConnectorType
from .connectors.csv import CSV_CONNECTOR
from .extensions import Check, ReportContext, ReportSection
from .findings import Finding
from .notifier import NotifierType
from .notifiers.log import LOG_NOTIFIER
from .onboarding.checks import BUILTIN_CHECKS
from .plugins import hookimpl
from .survey.csvsource import CSV_SURVEY_SOURCE
from .survey.model import SurveySourceType

if TYPE_CHECKING:
    from .analytics import Metrics


@hookimpl
def e20kit_connectors() -> Iterable[ConnectorType]:
    return [CSV_CONNECTOR]


@hookimpl
def e20kit_notifiers() -> Iterable[NotifierType]:
    return [LOG_NOTIFIER]


@hookimpl
def e20kit_survey_sources() -> Iterable[SurveySourceType]:
    return [CSV_SURVEY_SOURCE]


@hookimpl
def e20kit_checks() -> Iterable[Check]:
    return list(BUILTIN_CHECKS)


@hookimpl
def e20kit_diagnose(metrics: Metrics, lang: str) -> Iterable[Finding]:
    """The built-in playbook (docs/playbook.md)."""
    from .diagnose import playbook

    return playbook(metrics, lang)


@hookimpl(specname="e20kit_report_sections")
def champions_report_sections(context: ReportContext, metrics: Metrics) -> Iterable[ReportSection]:
    """Coverage, roster and buddy load of the champion programme."""
    from .champions.report import sections_for

    return sections_for(context, metrics)


@hookimpl(specname="e20kit_report_sections")
def context_report_sections(context: ReportContext, metrics: Metrics) -> Iterable[ReportSection]:
    """Context platforms (mail, apps): who writes only there, beside the participation figures."""
    from .report.context_section import sections_for

    return sections_for(context, metrics)


@hookimpl(specname="e20kit_report_sections")
def survey_report_sections(context: ReportContext) -> Iterable[ReportSection]:
    """ "Stated reasons": the latest survey wave's scores (docs/survey.md)."""
    from .survey.report import sections_for

    return sections_for(context)


@hookimpl(specname="e20kit_report_sections")
def effects_report_sections(context: ReportContext) -> Iterable[ReportSection]:
    """ "Did it work?": every experiment's and rollout's result (docs/effects.md)."""
    from .effects.report import sections_for

    return sections_for(context)

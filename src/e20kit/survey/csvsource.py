"""The built-in ``csv`` survey source: a tool's export on disk, as a configured source.

``e20kit survey import FILE --wave ID`` reads a file given on the command line; a
``[survey_sources.<name>] type = "csv"`` table names one (``path``, ``role``, ``columns``) so
that ``e20kit survey import --wave ID --source <name>`` reads it like any other source.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from ..connector import DataSource, PluginContext
from ..errors import SurveyError
from .csvimport import read_export
from .model import SurveyHandle, SurveyResponse, SurveySourceType, SurveyWave
from .questions import Audience, SurveyQuestion, default_questions
from .settings import CsvColumns


class CsvSurveySettings(BaseModel):
    """``[survey_sources.<name>]`` with ``type = "csv"``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Path
    """The export (CSV, UTF-8)."""
    role: Audience | None = None
    """The role of every response, for an export without a role column."""
    columns: CsvColumns = CsvColumns()


class CsvSurveySource:
    """Reads the responses of an export; cannot create a survey (the other tool did)."""

    def __init__(self, context: PluginContext[CsvSurveySettings]) -> None:
        self.name = context.name
        self.settings = context.settings
        questions = context.options.get("questions")
        self.questions: Sequence[SurveyQuestion] = questions or default_questions()

    def prepare(
        self, wave: SurveyWave, questions: Sequence[SurveyQuestion], units: Sequence[str]
    ) -> SurveyHandle:
        raise SurveyError(
            "a CSV export cannot create a survey: set the survey up in your tool with the "
            "statements of docs/survey.md and import its export",
            source=self.name,
            call="prepare",
        )

    def responses(self, wave: SurveyWave, handle_ref: str) -> Iterable[SurveyResponse]:
        return read_export(
            self.settings.path,
            columns=self.settings.columns,
            questions=self.questions,
            role=self.settings.role,
        )


CSV_SURVEY_SOURCE = SurveySourceType(
    name="csv",
    settings=CsvSurveySettings,
    factory=CsvSurveySource,
    description="Anonymous survey responses from another tool's CSV export",
    description_de="Anonyme Befragungsantworten aus dem CSV-Export eines anderen Werkzeugs",
    data_sources=(
        DataSource(
            endpoint="survey export (CSV file)",
            scope="read access to the exported file",
            data=(
                "per response: the tool's response id (stored only as a keyed hash), role, "
                "unit label and the five scores 1-5; every other column (times, e-mail, "
                "names, comments) is never read"
            ),
            scope_de="Lesezugriff auf die exportierte Datei",
            data_de=(
                "je Antwort: die Antwort-ID des Werkzeugs (nur als Hash mit geheimem Schlüssel "
                "gespeichert), Rolle, Einheit und die fünf Werte 1-5; alle anderen Spalten "
                "(Zeiten, E-Mail, Namen, Kommentare) werden nie gelesen"
            ),
        ),
    ),
)

__all__ = ["CSV_SURVEY_SOURCE", "CsvSurveySettings", "CsvSurveySource"]

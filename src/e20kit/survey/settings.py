"""Config section ``[survey]``; every key is documented in docs/survey.md and docs/config.md.

Example::

    [survey]
    min_respondents = 7

    [survey.questions.staff.closed_culture]
    text = "Sharing unfinished work in our tools feels risky."
    text_de = "Unfertige Arbeit in unseren Werkzeugen zu teilen, fühlt sich riskant an."

    [survey.csv]
    response_id = ["ID"]
    unit = ["Department"]
    [survey.csv.columns]
    no_time = "Q2"
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .invitation_settings import InvitationSettings


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuestionText(_Frozen):
    """One statement's wording; a missing language keeps the shipped text."""

    text: str | None = Field(default=None, min_length=1, max_length=300)
    text_de: str | None = Field(default=None, min_length=1, max_length=300)


class AudienceQuestions(_Frozen):
    """The statements of one audience, by reason."""

    complicated: QuestionText = QuestionText()
    no_time: QuestionText = QuestionText()
    training: QuestionText = QuestionText()
    unclear_benefit: QuestionText = QuestionText()
    closed_culture: QuestionText = QuestionText()


class QuestionOverrides(_Frozen):
    staff: AudienceQuestions = AudienceQuestions()
    leader: AudienceQuestions = AudienceQuestions()


class CsvColumns(_Frozen):
    """Which header of a CSV export holds what (docs/survey.md, "Importing a CSV export").

    Each list names the headers tried, in order, case-insensitively. A statement's column is
    found by ``columns.<reason>`` when given, else by the reason's key or the statement's text
    (English or German, as Microsoft Forms and Formbricks put the question in the header).
    """

    response_id: list[str] = Field(
        default_factory=lambda: ["response_id", "Response ID", "ID", "Antwort-ID"], min_length=1
    )
    role: list[str] = Field(default_factory=lambda: ["role", "Role", "Rolle"])
    unit: list[str] = Field(
        default_factory=lambda: ["unit", "Unit", "Department", "Abteilung", "Bereich"]
    )
    columns: dict[str, str] = Field(default_factory=dict)
    """Reason key -> header, for exports whose headers are neither keys nor statements."""


class SurveySettings(_Frozen):
    min_respondents: int | None = Field(default=None, ge=2, le=1000)
    """Fewest respondents a unit's score is shown for; default (and never less than)
    ``[privacy] min_group_size``."""
    questions: QuestionOverrides = QuestionOverrides()
    csv: CsvColumns = CsvColumns()
    invitations: InvitationSettings = InvitationSettings()
    """``[survey.invitations]``: how ``e20kit survey send`` invites and reminds."""


__all__ = ["AudienceQuestions", "CsvColumns", "QuestionOverrides", "QuestionText", "SurveySettings"]

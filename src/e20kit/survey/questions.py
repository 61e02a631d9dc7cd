"""The ten statements of the pulse survey: one per known reason, for staff and for leaders.

Agreement always means the reason applies (1 = strongly disagree, 5 = strongly agree), so a
high score reads the same way for every reason. The wording is in docs/survey.md and can be
changed per statement in ``[survey.questions.<audience>.<reason>]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..findings import Reason

if TYPE_CHECKING:
    from .settings import QuestionOverrides

Audience = Literal["staff", "leader"]
AUDIENCES: tuple[Audience, ...] = ("staff", "leader")
REASONS: tuple[Reason, ...] = (
    Reason.COMPLICATED,
    Reason.NO_TIME,
    Reason.TRAINING,
    Reason.UNCLEAR_BENEFIT,
    Reason.CLOSED_CULTURE,
)
"""The five reasons the survey asks about (the diagnosis' known reasons)."""
SCALE = (1, 2, 3, 4, 5)
AGREE = 4
"""Answers from here up count as agreeing (4 = agree, 5 = strongly agree)."""

SCALE_LABELS: dict[str, tuple[str, ...]] = {
    "en": (
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    ),
    "de": (
        "Stimme überhaupt nicht zu",
        "Stimme nicht zu",
        "Weder noch",
        "Stimme zu",
        "Stimme voll und ganz zu",
    ),
}
"""The agreement scale's points 1-5 as a survey tool shows them (and exports them)."""


@dataclass(frozen=True)
class SurveyQuestion:
    """One statement: which reason it asks about, whom, and its English and German text."""

    reason: Reason
    audience: Audience
    text: str
    text_de: str

    def in_lang(self, lang: str) -> str:
        return self.text_de if lang == "de" else self.text


_DEFAULTS: dict[Audience, dict[Reason, tuple[str, str]]] = {
    "staff": {
        Reason.COMPLICATED: (
            "The collaboration tools we use are complicated to use.",
            "Unsere Kollaborationswerkzeuge sind kompliziert zu bedienen.",
        ),
        Reason.NO_TIME: (
            "Beside my other work I have no time to use the collaboration tools.",
            "Neben meiner übrigen Arbeit habe ich keine Zeit, die Kollaborationswerkzeuge zu "
            "nutzen.",
        ),
        Reason.TRAINING: (
            "I have not been shown well enough how to use the collaboration tools.",
            "Mir wurde nicht ausreichend gezeigt, wie ich die Kollaborationswerkzeuge nutze.",
        ),
        Reason.UNCLEAR_BENEFIT: (
            "It is unclear to me what the collaboration tools gain me in my work.",
            "Mir ist unklar, was mir die Kollaborationswerkzeuge bei meiner Arbeit bringen.",
        ),
        Reason.CLOSED_CULTURE: (
            "Posting openly in our collaboration tools feels risky.",
            "Offen in unseren Kollaborationswerkzeugen zu schreiben, fühlt sich riskant an.",
        ),
    },
    "leader": {
        Reason.COMPLICATED: (
            "My team finds the collaboration tools complicated to use.",
            "Mein Team findet die Kollaborationswerkzeuge kompliziert zu bedienen.",
        ),
        Reason.NO_TIME: (
            "Beside its other work my team has no time for the collaboration tools.",
            "Neben seiner übrigen Arbeit hat mein Team keine Zeit für die Kollaborationswerkzeuge.",
        ),
        Reason.TRAINING: (
            "My team has not been trained well enough in the collaboration tools.",
            "Mein Team ist nicht ausreichend in den Kollaborationswerkzeugen geschult.",
        ),
        Reason.UNCLEAR_BENEFIT: (
            "My team does not see what the collaboration tools gain it.",
            "Mein Team sieht nicht, was ihm die Kollaborationswerkzeuge bringen.",
        ),
        Reason.CLOSED_CULTURE: (
            "In my team, people hold back from sharing work openly in the collaboration tools.",
            "In meinem Team hält man sich zurück, Arbeit offen in den Kollaborationswerkzeugen "
            "zu teilen.",
        ),
    },
}


def default_questions() -> tuple[SurveyQuestion, ...]:
    """The ten statements as shipped: five for staff, then five for leaders about their team."""
    return tuple(
        SurveyQuestion(reason, audience, *_DEFAULTS[audience][reason])
        for audience in AUDIENCES
        for reason in REASONS
    )


def configured_questions(overrides: QuestionOverrides) -> tuple[SurveyQuestion, ...]:
    """The defaults with ``[survey.questions.<audience>.<reason>]`` texts put in (a table that
    gives ``text`` only keeps the shipped German, and the other way round)."""
    out = []
    for q in default_questions():
        table = getattr(getattr(overrides, q.audience), q.reason.value)
        out.append(
            SurveyQuestion(q.reason, q.audience, table.text or q.text, table.text_de or q.text_de)
        )
    return tuple(out)


__all__ = [
    "AGREE",
    "AUDIENCES",
    "REASONS",
    "SCALE",
    "SCALE_LABELS",
    "Audience",
    "SurveyQuestion",
    "configured_questions",
    "default_questions",
]

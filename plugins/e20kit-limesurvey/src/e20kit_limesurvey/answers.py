"""Synthetic answers of a sandbox organisation, as rows the fake stores.

The organisation answers the way :func:`e20kit.sandbox.survey_answers` says people answer in an
organisation with its preset (staff agree with the planted reason far from unanimously, leaders
name other reasons, most people do not answer). Each response is stored as LimeSurvey stores it:
the hidden ``role`` and ``unit`` as the invitation link prefilled them, so the unit only where the
department has at least ``min_unit`` members of that role, and one 1-5 answer per statement.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from e20kit.sandbox import Org, survey_answers

from .lss import ROLE_CODE, UNIT_CODE, question_code

if TYPE_CHECKING:
    from .fake import Answers, FakeSurvey

MIN_UNIT = 5
"""The k of the demo and the sandbox ([privacy] min_group_size)."""


def org_answers(org: Org, *, min_unit: int = MIN_UNIT) -> Answers:
    """``answers`` for :class:`~e20kit_limesurvey.fake.LimeSurveyFake`: ``org``'s members
    answer each survey once, drawn from the organisation and the survey's id."""
    active = [m for m in org.people if m.active]
    cells = Counter((m.department, "leader" if m.is_leader else "staff") for m in active)

    def answers(survey: FakeSurvey) -> Iterator[dict[str, Any]]:
        for response in survey_answers(org, seed=survey.sid):
            unit = response.unit or ""
            if cells[(unit, response.role)] < min_unit:
                unit = ""  # the link carried no unit: too few share it
            row: dict[str, Any] = {ROLE_CODE: response.role, UNIT_CODE: unit}
            for reason, score in response.answers.items():
                code = question_code(response.role, reason)
                if code in survey.questions:
                    row[code] = score
            yield row

    return answers


__all__ = ["MIN_UNIT", "org_answers"]

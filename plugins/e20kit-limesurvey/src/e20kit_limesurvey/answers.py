"""Synthetic answers of a sandbox organisation, as rows the fake stores.

Staff agree with the reason the organisation was built to show (its preset) and mostly disagree
with the others; leaders, asked about their teams, see it less clearly (in a closed culture
they see no problem at all), so stated reasons differ between the two as in practice. A unit is
answered only where the department has at least ``min_unit`` members of that role, as the
invitation links carry it.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from e20kit import Reason
from e20kit.sandbox import PRESETS, Knobs, Org
from e20kit.survey import REASONS

from .lss import AUDIENCES, ROLE_CODE, UNIT_CODE, question_code

if TYPE_CHECKING:
    from .fake import Answers, FakeSurvey

PRESET_REASONS: Mapping[str, Reason] = {
    "closed_culture": Reason.CLOSED_CULTURE,
    "unclear_benefit": Reason.UNCLEAR_BENEFIT,
    "complicated": Reason.COMPLICATED,
    "no_time": Reason.NO_TIME,
    "too_little_training": Reason.TRAINING,
}
RESPONSE_RATE = 0.6
MIN_UNIT = 5


def planted_reason(org: Org) -> Reason | None:
    """The reason the organisation was built to show (its preset's knobs), if any."""
    for preset, reason in PRESET_REASONS.items():
        if Knobs(**PRESETS[preset]) == org.knobs:
            return reason
    return None


def _mean(reason: Reason, planted: Reason | None, role: str) -> float:
    if reason != planted:
        return 2.2
    if role == "leader":
        return 2.0 if reason == Reason.CLOSED_CULTURE else 3.4
    return 4.1


def org_answers(org: Org, *, min_unit: int = MIN_UNIT, rate: float = RESPONSE_RATE) -> Answers:
    """``answers`` for :class:`~e20kit_limesurvey.fake.LimeSurveyFake`: the active members of
    ``org`` answer (``rate`` of them, drawn from the org's seed and the survey's title)."""
    planted = planted_reason(org)
    active = [m for m in org.people if m.active]
    cells = Counter((m.department, _role(m.is_leader)) for m in active)

    def answers(survey: FakeSurvey) -> Iterator[dict[str, Any]]:
        rng = random.Random(f"{org.seed}:{survey.title}")
        for member in active:
            if rng.random() >= rate:
                continue
            role = _role(member.is_leader)
            unit = member.department if cells[(member.department, role)] >= min_unit else ""
            row: dict[str, Any] = {ROLE_CODE: role, UNIT_CODE: unit, "lang": member.locale[:2]}
            for reason in REASONS:
                code = question_code(role, reason)
                if code in survey.questions:
                    score = round(rng.gauss(_mean(reason, planted, role), 0.8))
                    row[code] = min(5, max(1, score))
            yield row

    return answers


def _role(is_leader: bool) -> str:
    return AUDIENCES[1] if is_leader else AUDIENCES[0]


__all__ = ["PRESET_REASONS", "org_answers", "planted_reason"]

"""Synthetic survey answers: what the members of a sandbox organisation say when asked why.

The pulse survey (docs/survey.md) asks staff and leaders how far each of the five known reasons
for low use applies (1 = strongly disagree ... 5 = strongly agree; agreeing means the reason
applies). :func:`survey_answers` lets a sandbox organisation answer it the way people do:

- most people do not answer (about 40 % of staff, 60 % of leaders respond, varying by
  department; members who never use the tools answer less often, leavers not at all);
- people agree with the planted reason more often than with the others, but far from all of
  them do, and a mild plant shows half as clearly as a clear one;
- staff under any real problem also say they have no time (the reason everybody gives), while
  leaders name what is about their team rather than about themselves: training and complicated
  tools, seldom the culture they set;
- in a healthy organisation nothing much is agreed with;
- departments differ a little, and some people agree with everything more than others.

Answers depend only on the organisation, the planted reasons, the strength and ``seed``: the
same arguments always give the same responses, in an order that says nothing about who gave
them (response ids are drawn, never derived from a member).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Mapping

from ..findings import Reason
from ..survey import AUDIENCES, REASONS, Audience, SurveyResponse
from .knobs import PRESETS, resolve_knobs
from .org import Org
from .records import Member

__all__ = ["planted_reasons", "survey_answers"]


_PRESET_REASON: Mapping[str, Reason] = {
    "complicated": Reason.COMPLICATED,
    "no_time": Reason.NO_TIME,
    "too_little_training": Reason.TRAINING,
    "training": Reason.TRAINING,
    "unclear_benefit": Reason.UNCLEAR_BENEFIT,
    "closed_culture": Reason.CLOSED_CULTURE,
}
"""Preset names (and reason values) -> the reason they plant."""

BASE_AGREE: Mapping[str, Mapping[Reason, float]] = {
    "staff": {
        Reason.COMPLICATED: 0.12,
        Reason.NO_TIME: 0.22,
        Reason.TRAINING: 0.14,
        Reason.UNCLEAR_BENEFIT: 0.12,
        Reason.CLOSED_CULTURE: 0.08,
    },
    "leader": {
        Reason.COMPLICATED: 0.18,
        Reason.NO_TIME: 0.10,
        Reason.TRAINING: 0.22,
        Reason.UNCLEAR_BENEFIT: 0.08,
        Reason.CLOSED_CULTURE: 0.04,
    },
}
"""Share who agree (4 or 5) with each statement in a healthy organisation, per role."""

PLANTED_AGREE = 0.6
"""Share of staff who agree with a clearly planted reason (a mild plant moves half as far)."""
LEADER_SEES: Mapping[Reason, float] = {
    Reason.COMPLICATED: 0.8,
    Reason.NO_TIME: 0.4,
    Reason.TRAINING: 1.0,
    Reason.UNCLEAR_BENEFIT: 0.5,
    Reason.CLOSED_CULTURE: 0.2,
}
"""How much of the staff's agreement with a planted reason leaders share about their team:
leaders readily see a training gap or awkward tools, seldom the culture they set themselves."""
ANY_PROBLEM: Mapping[str, Mapping[Reason, float]] = {
    "staff": {Reason.NO_TIME: 0.12},
    "leader": {Reason.TRAINING: 0.14, Reason.COMPLICATED: 0.1},
}
"""Added agreement wherever some reason is planted, whichever it is: staff say they have no
time, leaders ask for training and simpler tools."""

RESPONSE_RATE = {"staff": 0.4, "leader": 0.6}
"""Mean share of each role who answer (a department's own rate varies around it)."""
MISSING = 0.03
"""Chance that a respondent skips one statement."""


def planted_reasons(org: Org) -> tuple[Reason, ...]:
    """The reasons ``org``'s knobs plant, read from :data:`PRESETS` (an organisation built with
    ``preset=...`` and no further knobs); empty for a healthy or a hand-tuned one."""
    return tuple(
        _PRESET_REASON[name]
        for name in PRESETS
        if name in _PRESET_REASON and resolve_knobs(name, {}) == org.knobs
    )


def _reasons(planted: str | Reason | Iterable[str | Reason] | None, org: Org) -> set[Reason]:
    if planted is None:
        return set(planted_reasons(org))
    items = [planted] if isinstance(planted, str) else list(planted)
    out = set()
    for item in items:
        if item == "healthy":
            continue
        if str(item) not in _PRESET_REASON:
            raise ValueError(f"unknown planted reason {item!r}; known: {sorted(_PRESET_REASON)}")
        out.add(_PRESET_REASON[str(item)])
    return out


def _agree(role: str, planted: set[Reason], strength: float) -> dict[Reason, float]:
    """Each statement's agreement share for ``role`` before department and person vary it."""
    shares = dict(BASE_AGREE[role])
    for reason in planted:
        lift = (PLANTED_AGREE - BASE_AGREE["staff"][reason]) * strength
        shares[reason] += lift * (LEADER_SEES[reason] if role == "leader" else 1.0)
    if planted:
        for reason, extra in ANY_PROBLEM[role].items():
            shares[reason] += extra * strength
    return shares


def _score(rng: random.Random, agree: float) -> int | None:
    if rng.random() < MISSING:
        return None
    if rng.random() < agree:
        return 5 if rng.random() < 0.3 else 4
    return rng.choices((1, 2, 3), weights=(0.2, 0.45, 0.35))[0]


def _answers(
    rng: random.Random, shares: Mapping[Reason, float], unit: Mapping[Reason, float]
) -> dict[Reason, int | None]:
    leaning = rng.gauss(0.0, 0.07)  # some people agree with everything more than others
    return {
        reason: _score(rng, min(0.97, max(0.01, shares[reason] + unit[reason] + leaning)))
        for reason in REASONS
    }


def _role(member: Member) -> Audience:
    return "leader" if member.is_leader else "staff"


def survey_answers(
    org: Org,
    planted: str | Reason | Iterable[str | Reason] | None = None,
    *,
    strength: float = 1.0,
    seed: int = 0,
    response_rate: Mapping[str, float] | None = None,
) -> Iterator[SurveyResponse]:
    """One wave's completed responses of ``org``'s members, one per respondent.

    ``planted``: the reason(s) at work (reason values or preset names such as
    ``too_little_training``; ``"healthy"`` or an empty list for none); ``None`` reads them from
    the organisation's preset (:func:`planted_reasons`). ``strength`` 1.0 for a clear plant,
    0.5 for a mild one. ``response_rate`` per role (``staff``, ``leader``) overrides
    :data:`RESPONSE_RATE`. Each response carries the member's department as its unit.
    """
    if not 0.0 <= strength <= 1.0:
        raise ValueError(f"strength must be within 0..1, got {strength}")
    reasons = _reasons(planted, org)
    rates = {**RESPONSE_RATE, **(response_rate or {})}
    rng = random.Random(org.seed * 1_000_003 + seed)
    shares = {role: _agree(role, reasons, strength) for role in AUDIENCES}
    units = {dept: {reason: rng.gauss(0.0, 0.04) for reason in REASONS} for dept in org.departments}
    turnout = {dept: rng.uniform(-0.1, 0.1) for dept in org.departments}
    out: list[tuple[Audience, str, dict[Reason, int | None]]] = []
    for member in org.people:
        role = _role(member)
        chance = rates[role] + turnout[member.department]
        if member.archetype == "absent":
            chance *= 0.6
        if member.left_on is not None or rng.random() >= chance:
            continue
        answers = _answers(rng, shares[role], units[member.department])
        out.append((role, member.department, answers))
    rng.shuffle(out)
    for role, unit, answers in out:
        yield SurveyResponse(
            response_id=f"{rng.getrandbits(48):012x}", role=role, unit=unit, answers=answers
        )

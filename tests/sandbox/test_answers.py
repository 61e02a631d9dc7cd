"""Synthetic survey answers: in line with the planted reason, noisy the way people answer."""

from __future__ import annotations

from collections import Counter

import pytest

from e20kit.findings import Reason
from e20kit.sandbox import PRESETS, build_org, planted_reasons, survey_answers
from e20kit.survey import REASONS


def _agree(responses: list, role: str) -> dict[Reason, float]:
    """Share of ``role``'s respondents agreeing (4-5) with each statement."""
    out = {}
    for reason in REASONS:
        scores = [r.answers[reason] for r in responses if r.role == role]
        answered = [s for s in scores if s is not None]
        out[reason] = sum(s >= 4 for s in answered) / len(answered)
    return out


@pytest.fixture(scope="module")
def answers() -> dict[str, list]:
    return {preset: list(survey_answers(build_org(3, preset=preset))) for preset in PRESETS}


def test_same_seed_same_answers_other_seed_others() -> None:
    org = build_org(3, preset="closed_culture")
    first = list(survey_answers(org, seed=1))
    assert first == list(survey_answers(org, seed=1))
    assert first != list(survey_answers(org, seed=2))


def test_far_from_everyone_answers(answers: dict[str, list]) -> None:
    org = build_org(3)
    responses = answers["healthy"]
    staff = sum(1 for p in org.people if not p.is_leader)
    leaders = len(org.leaders)
    counts = Counter(r.role for r in responses)
    assert 0.25 * staff < counts["staff"] < 0.6 * staff
    assert 0.3 * leaders < counts["leader"] < 0.85 * leaders
    assert {r.unit for r in responses} <= set(org.departments)
    assert len({r.response_id for r in responses}) == len(responses)


@pytest.mark.parametrize(
    "preset", [p for p in PRESETS if p != "healthy"], ids=lambda p: f"preset={p}"
)
def test_staff_agree_most_with_the_planted_reason_but_not_all(
    answers: dict[str, list], preset: str
) -> None:
    (planted,) = planted_reasons(build_org(3, preset=preset))
    staff = _agree(answers[preset], "staff")
    assert max(staff, key=lambda r: staff[r]) is planted
    assert 0.45 < staff[planted] < 0.9
    assert all(staff[r] < staff[planted] - 0.15 for r in REASONS if r is not planted)


def test_a_healthy_organisation_agrees_with_nothing_much() -> None:
    # 1,500 members: about 90 leaders answer, enough that chance does not pass 1 in 3
    responses = list(survey_answers(build_org(3, members=1500, departments=10)))
    for role in ("staff", "leader"):
        assert max(_agree(responses, role).values()) < 0.33


def test_leaders_name_training_and_seldom_the_culture_they_set(
    answers: dict[str, list],
) -> None:
    closed = answers["closed_culture"]
    assert (
        _agree(closed, "leader")[Reason.CLOSED_CULTURE]
        < _agree(closed, "staff")[Reason.CLOSED_CULTURE] - 0.25
    )
    for preset in ("unclear_benefit", "no_time", "closed_culture"):
        leaders, staff = _agree(answers[preset], "leader"), _agree(answers[preset], "staff")
        assert leaders[Reason.TRAINING] > staff[Reason.TRAINING] + 0.1


def test_a_mild_plant_shows_less_clearly_than_a_clear_one() -> None:
    org = build_org(4, members=1000, departments=8)
    mild = _agree(list(survey_answers(org, "unclear_benefit", strength=0.5)), "staff")
    clear = _agree(list(survey_answers(org, "unclear_benefit")), "staff")
    healthy = _agree(list(survey_answers(org, "healthy")), "staff")
    reason = Reason.UNCLEAR_BENEFIT
    assert healthy[reason] + 0.1 < mild[reason] < clear[reason] - 0.1


def test_answers_are_on_the_scale_and_some_are_skipped(answers: dict[str, list]) -> None:
    scores = Counter(s for r in answers["no_time"] for s in r.answers.values())
    assert set(scores) == {1, 2, 3, 4, 5, None}
    assert 0 < scores[None] < 0.1 * sum(scores.values())


def test_planted_reasons_are_read_from_the_preset() -> None:
    assert planted_reasons(build_org(1, preset="too_little_training")) == (Reason.TRAINING,)
    assert planted_reasons(build_org(1)) == ()
    assert planted_reasons(build_org(1, preset="no_time", busy_factor=0.5)) == ()


def test_an_unknown_reason_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown planted reason 'boredom'"):
        list(survey_answers(build_org(1), "boredom"))
    with pytest.raises(ValueError, match="strength"):
        list(survey_answers(build_org(1), strength=1.5))

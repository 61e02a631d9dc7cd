"""Issue 23 "Done when": on sandbox organisations the combined diagnosis names the planted reason
where behaviour alone could not, and never flips a correct behavioural reading (the full
before/after is ``python -m benchmarks stated``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from e20kit.analytics import Metrics, compute_metrics, parse_period
from e20kit.diagnose import playbook
from e20kit.diagnose.stated import Stated, combine
from e20kit.findings import Finding, Reason, Severity
from e20kit.sandbox import PRESETS, build_org, planted_reasons, survey_answers
from e20kit.sandbox.suite import store_org
from e20kit.store import create_engine

AMBIGUOUS = {"creator_share": 0.14, "newcomer_creator_share": 0.01, "newcomer_share": 0.3}
"""Few creators at every tenure and newcomers far behind: the usage data of this 300-member
organisation cannot tell an unclear benefit from too little training."""


def _metrics(folder: Path, name: str, org: object) -> Metrics:
    engine = create_engine(f"sqlite:///{folder / name}.sqlite")
    try:
        store_org(engine, org)  # type: ignore[arg-type]
        return compute_metrics(
            engine,
            parse_period("last-120d", today=org.end),  # type: ignore[attr-defined]
            onboarding=False,
        )
    finally:
        engine.dispose()


def _named(findings: list[Finding]) -> set[Reason]:
    """Reasons named: not undecided, not a note (``info``), not a data gap."""
    return {
        f.reason
        for f in findings
        if not f.undecided and f.severity is not Severity.INFO and f.reason is not Reason.DATA_GAP
    }


@pytest.fixture(scope="module")
def ambiguous(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Metrics]:
    org = build_org(1, members=300, **AMBIGUOUS)
    return org, _metrics(tmp_path_factory.mktemp("orgs"), "ambiguous", org)


@pytest.mark.parametrize("planted", [Reason.UNCLEAR_BENEFIT, Reason.TRAINING])
def test_the_survey_names_the_reason_behaviour_left_undecided(
    ambiguous: tuple[object, Metrics], planted: Reason
) -> None:
    org, metrics = ambiguous
    before = playbook(metrics)
    (undecided,) = [f for f in before if f.undecided]
    assert {undecided.reason, *undecided.undecided} == {Reason.UNCLEAR_BENEFIT, Reason.TRAINING}
    assert not _named(before) & {Reason.UNCLEAR_BENEFIT, Reason.TRAINING}
    # the same behaviour, and people who say what is at work
    answers = Stated.of_answers(survey_answers(org, planted))  # type: ignore[arg-type]
    after = combine(before, answers, metrics)
    assert planted in _named(after)
    (decided,) = [f for f in after if f.rule == f"stated.decides.{planted}"]
    assert decided.rests_on == ("usage", "survey") and not decided.undecided
    assert not any(f.undecided for f in after)
    # answers half as clear from about 100 staff: decided right or left undecided, never wrong
    other = ({Reason.UNCLEAR_BENEFIT, Reason.TRAINING} - {planted}).pop()
    for seed in range(4):
        mild = Stated.of_answers(survey_answers(org, planted, strength=0.5, seed=seed))  # type: ignore[arg-type]
        assert other not in _named(combine(before, mild, metrics))


@pytest.fixture(scope="module")
def presets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[object, Metrics]]:
    folder = tmp_path_factory.mktemp("presets")
    out = {}
    for preset in PRESETS:
        org = build_org(7, preset=preset)
        out[preset] = (org, _metrics(folder, preset, org))
    return out


@pytest.mark.parametrize("preset", list(PRESETS), ids=lambda p: f"preset={p}")
def test_a_correct_behavioural_reading_is_never_flipped(
    presets: dict[str, tuple[object, Metrics]], preset: str
) -> None:
    org, metrics = presets[preset]
    before = playbook(metrics)
    planted = set(planted_reasons(org))  # type: ignore[arg-type]
    assert _named(before) == planted  # behaviour alone reads every preset right
    for seed in range(3):
        answers = Stated.of_answers(survey_answers(org, seed=seed))  # type: ignore[arg-type]
        after = combine(before, answers, metrics)
        assert _named(after) == planted
        assert all(f.rests_on for f in after)
        for reason in planted:  # the staff's answers agree: both halves of the evidence
            (finding,) = [
                f for f in after if f.reason is reason and f.severity is not Severity.INFO
            ]
            assert finding.rests_on == ("usage", "survey")

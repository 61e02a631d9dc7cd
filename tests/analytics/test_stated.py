"""Issue 23 item 5: stated beside observed. The survey's answers strengthen, decide, re-read or
contradict the usage findings; decisions read exact counts, judged at the end of their interval."""

from __future__ import annotations

import pytest

from e20kit.analytics import Metrics
from e20kit.diagnose import playbook
from e20kit.diagnose.stated import MIN_ANSWERED, Stated, combine
from e20kit.findings import Finding, Reason, Severity

from .test_differential import _with

R = Reason
HEALTHY_STAFF = {
    R.COMPLICATED: 0.12,
    R.NO_TIME: 0.2,
    R.TRAINING: 0.14,
    R.UNCLEAR_BENEFIT: 0.12,
    R.CLOSED_CULTURE: 0.08,
}


def stated(staff: dict[Reason, float], n: int = 120, leaders: dict | None = None) -> Stated:
    """Exact counts from agree shares of ``n`` staff (and 40 leaders)."""
    counts = {("staff", r): (round(staff.get(r, HEALTHY_STAFF[r]) * n), n) for r in HEALTHY_STAFF}
    lead = {**{r: 0.1 for r in HEALTHY_STAFF}, **(leaders or {})}
    counts |= {("leader", r): (round(share * 40), 40) for r, share in lead.items()}
    return Stated(counts=counts, shown={k: (a / m, m) for k, (a, m) in counts.items()})


@pytest.fixture(scope="module")
def undecided(healthy: Metrics) -> Metrics:
    """Newcomers clearly behind established members who create neither clearly enough nor
    clearly too little: the usage data cannot tell unclear benefit from training."""
    return _with(healthy, stayed=80, stayed_share=2 / 80, established=200, established_share=0.19)


def _finding(reason: Reason, severity: Severity = Severity.WATCH) -> Finding:
    return Finding(rule=f"{reason}.x", reason=reason, severity=severity, title=str(reason))


def test_without_a_survey_every_finding_rests_on_usage() -> None:
    plugin = Finding(rule="site.empty", reason=R.OTHER, title="Nobody")
    out = combine([_finding(R.NO_TIME), plugin], None)
    assert out[0].rests_on == ("usage",)
    assert out[1] == plugin  # not one of the five reasons: untouched


def test_a_plugin_finding_that_says_what_it_rests_on_is_left_as_it_is() -> None:
    own = _finding(R.NO_TIME).model_copy(update={"rests_on": ("survey",)})
    assert combine([own], stated({R.UNCLEAR_BENEFIT: 0.1})) == [own]


def test_agreement_strengthens_a_finding_and_says_it_rests_on_both() -> None:
    (out,) = combine([_finding(R.NO_TIME)], stated({R.NO_TIME: 0.62}))
    assert out.severity is Severity.WARNING
    assert out.rests_on == ("usage", "survey")
    assert "62% of staff agree that they have no time (120 answered)" in out.detail
    (said,) = [e for e in out.evidence if e.metric == "survey.staff.no_time"]
    assert said.value == pytest.approx(74 / 120) and said.reference == pytest.approx(0.1)


def test_a_finding_staff_clearly_do_not_give_stays_on_usage_and_says_so() -> None:
    (mild,) = combine([_finding(R.COMPLICATED)], stated({}))
    assert (mild.severity, mild.rests_on) == (Severity.INFO, ("usage",))  # kept, not named
    assert "The survey does not: 12% of staff agree" in mild.detail
    (clear,) = combine([_finding(R.COMPLICATED, Severity.WARNING)], stated({}))
    assert (clear.severity, clear.rests_on) == (Severity.WARNING, ("usage",))
    # 25 % of 40 could be 30 %: not clearly denied, the finding stands as it was
    (unsure,) = combine([_finding(R.COMPLICATED)], stated({R.COMPLICATED: 0.25}, n=40))
    assert (unsure.severity, unsure.detail) == (Severity.WATCH, "")


def test_the_survey_decides_what_usage_cannot(undecided: Metrics) -> None:
    (before,) = playbook(undecided)
    assert before.undecided == (R.TRAINING,)
    answers = stated({R.UNCLEAR_BENEFIT: 0.55, R.TRAINING: 0.18})
    (en,) = combine([before], answers, undecided)
    assert (en.reason, en.undecided, en.rests_on) == (R.UNCLEAR_BENEFIT, (), ("usage", "survey"))
    assert en.rule == "stated.decides.unclear_benefit"
    assert en.title == "The benefit is unclear"
    assert "The survey decides: 55% of staff agree that the benefit is unclear" in en.detail
    assert [r.reason for r in en.ruled_out] == [R.TRAINING]
    (de,) = combine(playbook(undecided, "de"), answers, undecided, "de")
    assert de.title == "Der Nutzen ist unklar" and "Die Befragung entscheidet" in de.detail
    (other,) = combine([before], stated({R.UNCLEAR_BENEFIT: 0.12, R.TRAINING: 0.6}), undecided)
    assert other.reason is R.TRAINING


@pytest.mark.parametrize(
    ("shares", "n"),
    [
        ({R.UNCLEAR_BENEFIT: 0.42, R.TRAINING: 0.34}, 120),  # intervals overlap
        ({R.UNCLEAR_BENEFIT: 0.7, R.TRAINING: 0.1}, MIN_ANSWERED - 1),  # too few answers
        ({R.UNCLEAR_BENEFIT: 0.2, R.TRAINING: 0.05}, 400),  # separated, but nobody says it
    ],
    ids=["overlap", "few", "unsaid"],
)
def test_the_survey_stays_undecided_when_its_evidence_does_not_separate(
    undecided: Metrics, shares: dict[Reason, float], n: int
) -> None:
    (before,) = playbook(undecided)
    (out,) = combine([before], stated(shares, n), undecided)
    assert out.undecided == (R.TRAINING,) and out.rule == before.rule
    assert "The survey does not tell them apart either" in out.detail


def test_a_symptom_shared_by_a_neighbour_is_reread_when_staff_clearly_name_it() -> None:
    training = _finding(R.TRAINING, Severity.WATCH)
    (out,) = combine([training], stated({R.UNCLEAR_BENEFIT: 0.58, R.TRAINING: 0.12}))
    assert (out.reason, out.severity, out.rests_on) == (
        R.UNCLEAR_BENEFIT,
        Severity.WATCH,
        ("usage", "survey"),
    )
    assert out.rule == "stated.rereads.training_as_unclear_benefit"
    assert "shares" in out.detail and out.ruled_out[0].reason is R.TRAINING
    # not a neighbour (no time shares no symptom with too little training): no re-reading
    (kept,) = [
        f for f in combine([training], stated({R.NO_TIME: 0.7})) if f.rests_on != ("survey",)
    ]
    assert kept.reason is R.TRAINING
    # a clear usage finding stands; what staff say instead is a finding of its own
    clear = _finding(R.TRAINING, Severity.WARNING)
    out = combine([clear], stated({R.UNCLEAR_BENEFIT: 0.58, R.TRAINING: 0.12}))
    assert [(f.reason, f.rests_on) for f in out] == [
        (R.TRAINING, ("usage",)),
        (R.UNCLEAR_BENEFIT, ("survey",)),
    ]


def test_a_mild_sign_beside_the_reason_staff_give_is_kept_in_sight_not_named() -> None:
    """Usage: a mild no-time sign and an unclear benefit; staff give the unclear benefit far
    more often than no time (which a third of them still say, as everybody does)."""
    no_time, unclear = _finding(R.NO_TIME), _finding(R.UNCLEAR_BENEFIT, Severity.WARNING)
    answers = stated({R.UNCLEAR_BENEFIT: 0.6, R.NO_TIME: 0.34}, n=300)
    kept, agreed = combine([no_time, unclear], answers)
    assert (kept.reason, kept.severity, kept.rests_on) == (R.NO_TIME, Severity.INFO, ("usage",))
    assert "The survey names another reason: 60% of staff agree that the benefit is unclear" in (
        kept.detail
    )
    assert (agreed.reason, agreed.rests_on) == (R.UNCLEAR_BENEFIT, ("usage", "survey"))
    # the same no-time sign where staff give no time most: agreement, not a note
    (confirmed,) = combine([no_time], stated({R.NO_TIME: 0.5}, n=300))
    assert (confirmed.severity, confirmed.rests_on) == (Severity.WARNING, ("usage", "survey"))


def test_a_correct_finding_is_not_reread_when_staff_also_name_its_reason() -> None:
    training = _finding(R.TRAINING, Severity.WATCH)
    out = combine([training], stated({R.UNCLEAR_BENEFIT: 0.58, R.TRAINING: 0.45}))
    assert [f.reason for f in out if "usage" in f.rests_on] == [R.TRAINING]


def test_disagreement_is_a_finding_of_its_own(healthy: Metrics) -> None:
    assert playbook(healthy) == []
    (en,) = combine([], stated({R.NO_TIME: 0.6}), healthy)
    assert en.title == "Staff say they have no time; their use shows time is not what is missing"
    assert (en.rule, en.severity, en.rests_on) == (
        "stated.contradicted.no_time",
        Severity.INFO,
        ("survey",),
    )
    (de,) = combine([], stated({R.NO_TIME: 0.6}), healthy, "de")
    assert de.title.startswith("Mitarbeitende sagen, dass ihnen die Zeit fehlt; ihre Nutzung")
    (unseen,) = combine([], stated({R.NO_TIME: 0.6}))  # no metrics: the usage cannot judge
    assert unseen.rule == "stated.unseen.no_time" and "cannot show" in unseen.title
    # where the usage cannot judge, what people say is the evidence there is: it names the reason
    assert (unseen.severity, unseen.rests_on) == (Severity.WATCH, ("survey",))
    # ... when it is the reason staff give most clearly; beside a clearer one it is a note
    out = combine([], stated({R.NO_TIME: 0.45, R.TRAINING: 0.7}))
    assert [(f.reason, f.severity) for f in out] == [
        (R.NO_TIME, Severity.INFO),
        (R.TRAINING, Severity.WATCH),
    ]


def test_leaders_and_staff_naming_different_reasons_is_said() -> None:
    out = combine(
        [_finding(R.UNCLEAR_BENEFIT)],
        stated({R.UNCLEAR_BENEFIT: 0.6}, leaders={R.TRAINING: 0.7}),
    )
    differ = out[-1]
    assert differ.rule == "stated.leaders_differ" and differ.severity is Severity.INFO
    assert differ.title == (
        "Leaders and staff give different reasons: leaders name too little training, "
        "staff unclear benefit"
    )
    same = combine([], stated({R.TRAINING: 0.6}, leaders={R.TRAINING: 0.7}))
    assert all(f.rule != "stated.leaders_differ" for f in same)


def test_a_score_the_published_results_hide_decides_nothing() -> None:
    """Leaders: 30 of 40 say training, but the results hide leaders' scores (fewer than the
    survey's minimum): no finding may say what that group said."""
    answers = stated({R.UNCLEAR_BENEFIT: 0.6}, leaders={R.TRAINING: 0.75})
    shown = {k: ((None, None) if k[0] == "leader" else v) for k, v in answers.shown.items()}
    hidden = Stated(counts=answers.counts, shown=shown)
    assert answers.says("leader", R.TRAINING) and not hidden.says("leader", R.TRAINING)
    out = combine([_finding(R.UNCLEAR_BENEFIT)], hidden)
    assert [f.rule for f in out] == ["unclear_benefit.x"]  # no leaders-differ finding


def test_a_healthy_survey_adds_nothing(healthy: Metrics) -> None:
    assert combine([], stated({}), healthy) == []


def test_stated_of_answers_counts_agreement_and_skips_blanks() -> None:
    from e20kit.sandbox import build_org, survey_answers

    responses = list(survey_answers(build_org(2, preset="no_time")))
    counts = Stated.of_answers(responses).counts
    answered = sum(1 for r in responses if r.role == "staff" and r.answers[R.NO_TIME] is not None)
    agreed = sum(1 for r in responses if r.role == "staff" and (r.answers[R.NO_TIME] or 0) >= 4)
    assert counts[("staff", R.NO_TIME)] == (agreed, answered)

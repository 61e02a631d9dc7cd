"""The labelled suite and a few of its organisations through the playbook on every test run
(the full suite is ``python -m benchmarks diagnosis``)."""

from __future__ import annotations

import pytest

from e20kit.analytics import compute_metrics, parse_period
from e20kit.diagnose import playbook
from e20kit.sandbox import build_org
from e20kit.sandbox.suite import (
    PLANTED,
    LabelledOrg,
    detection_chance,
    diagnosis_suite,
    store_org,
)
from e20kit.store import create_engine

SUITE = {spec.name: spec for spec in diagnosis_suite(1)}

# the 200-member organisations of seed 1: every reason clear, most mild, two healthy
PINNED = [
    "healthy-healthy-04",
    "healthy-healthy-09",
    "complicated-mild-14",
    "complicated-clear-19",
    "no_time-mild-24",
    "no_time-clear-34",
    "unclear_benefit-clear-59",
    "closed_culture-mild-64",
    "closed_culture-clear-69",
]
MISSED = ["training-mild-39", "training-clear-44", "unclear_benefit-mild-49"]
"""Plants on 200 members whose evidence does not survive the noise of the group measured (21
and 23 newcomers who stayed, 2 of 23 contributing; 15 % creators among 161 established
members, which could be 20 % by chance): not named; what matters is that no wrong reason is
named instead (issue 27)."""


def _named(spec: LabelledOrg, url: str) -> set[str]:
    org = spec.build()
    engine = create_engine(url)
    try:
        store_org(engine, org, platforms=spec.platforms)
        metrics = compute_metrics(
            engine, parse_period(spec.period(org), today=org.end), onboarding=False
        )
    finally:
        engine.dispose()
    return {str(f.reason) for f in playbook(metrics) if not f.undecided}


def test_suite_covers_reasons_strengths_sizes_periods_and_setups() -> None:
    specs = list(SUITE.values())
    assert len(specs) == 72
    assert sum(s.reason is None for s in specs) == 12
    for reason in PLANTED:
        mine = [s for s in specs if s.reason == reason]
        assert sorted(s.strength for s in mine) == ["clear"] * 6 + ["mild"] * 6
    assert min(s.members for s in specs) == 200 and max(s.members for s in specs) == 3000
    assert {s.days for s in specs} == {90, 120, 150, 180}
    assert {len(s.platforms) for s in specs} == {1, 2, 3}
    assert len({s.noise for s in specs}) == 2
    # healthy variety: no two organisations share their base behaviour
    assert len({s.knobs["absent_share"] for s in specs}) == len({s.seed for s in specs}) == 72


@pytest.mark.parametrize("name", PINNED)
def test_small_organisations_are_diagnosed_as_planted(name: str, sqlite_url: str) -> None:
    spec = SUITE[name]
    assert _named(spec, sqlite_url) == ({spec.reason} if spec.reason else set())


@pytest.mark.parametrize("name", MISSED)
def test_a_missed_plant_names_no_wrong_reason(name: str, sqlite_url: str) -> None:
    spec = SUITE[name]
    assert _named(spec, sqlite_url) <= {spec.reason}


def test_store_org_writes_through_the_bulk_paths(store_url: str) -> None:
    org = build_org(3, members=60, departments=3, days=35)
    engine = create_engine(store_url)
    try:
        written = store_org(engine, org, platforms=("confluence",))
        metrics = compute_metrics(engine, parse_period("last-28d", today=org.end))
    finally:
        engine.dispose()
    expected = sum(1 for _ in org.iter_events(("confluence",)))
    assert written == expected > 0
    assert metrics.headline.members == sum(1 for p in org.people if p.active)
    assert {p.platform for p in metrics.platforms} == {"confluence"}


def test_detection_chance_grows_with_the_gap_and_the_group() -> None:
    # 20 stayed newcomers contributing at two thirds of a 30 % established rate: mostly chance
    mild_small = detection_chance(20, 0.3, 0.68, 0.9)
    assert 0.2 < mild_small < 0.5
    assert detection_chance(200, 0.3, 0.68, 0.9) > 0.8 > mild_small
    assert detection_chance(20, 0.3, 0.18, 0.9) > 0.9
    # no gap at all: only the chance allowance's false alarms
    assert detection_chance(20, 0.3, 1.0, 0.9) < 0.15
    assert detection_chance(0, 0.3, 0.5, 0.9) == 0.0


def test_planted_ratio_is_the_training_gap() -> None:
    mild = [s for s in SUITE.values() if s.reason == "training" and s.strength == "mild"]
    clear = [s for s in SUITE.values() if s.reason == "training" and s.strength == "clear"]
    assert {round(s.planted_ratio or 0, 2) for s in mild} == {0.68}
    assert {round(s.planted_ratio or 0, 2) for s in clear} == {0.18}
    assert all(s.planted_ratio is None for s in SUITE.values() if s.reason != "training")

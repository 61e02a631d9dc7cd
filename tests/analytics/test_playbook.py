"""The playbook: each rule fires on a synthetic organisation built to show its reason and stays
quiet on the healthy one; texts in English and German; plugin rules join through the hook."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from e20kit import Evidence, Finding, Kit, Reason, Severity, hookimpl
from e20kit.analytics import FunnelStep, Metrics, compute_metrics, parse_period
from e20kit.diagnose import REMEDIES, TITLES, playbook
from e20kit.findings import Reason as R
from e20kit.sandbox import PRESETS, build_org
from e20kit.store import create_engine
from e20kit.store.rollup import refresh_store

from .orgstore import load_org

EXPECTED = {
    "closed_culture": R.CLOSED_CULTURE,
    "unclear_benefit": R.UNCLEAR_BENEFIT,
    "complicated": R.COMPLICATED,
    "no_time": R.NO_TIME,
    "too_little_training": R.TRAINING,
}


class Stores(dict[str, tuple[str, object]]):
    """One SQLite store per preset, built on first use (each xdist worker builds only its own)."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def __missing__(self, preset: str) -> tuple[str, object]:
        path = self.folder / f"{preset}.sqlite"
        org = build_org(seed=7, preset=preset)
        engine = create_engine(f"sqlite:///{path}")
        load_org(engine, org)
        engine.dispose()
        self[preset] = (f"sqlite:///{path}", org)
        return self[preset]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Stores:
    return Stores(tmp_path_factory.mktemp("orgs"))


def _metrics(stores: Stores, preset: str, period: str) -> Metrics:
    url, org = stores[preset]
    engine = create_engine(url)
    try:
        refresh_store(engine)
        return compute_metrics(engine, parse_period(period, today=org.end))  # type: ignore[attr-defined]
    finally:
        engine.dispose()


def test_every_reason_has_a_preset() -> None:
    assert set(EXPECTED) | {"healthy"} == set(PRESETS)


@pytest.mark.parametrize("period", ["last-30d", "last-90d"])
def test_healthy_organisation_gets_no_finding(stores: Stores, period: str) -> None:
    assert playbook(_metrics(stores, "healthy", period)) == []


@pytest.mark.parametrize("preset", sorted(EXPECTED))
def test_rule_fires_on_its_own_reason_only(stores: Stores, preset: str) -> None:
    findings = playbook(_metrics(stores, preset, "last-30d"))
    assert [f.reason for f in findings] == [EXPECTED[preset]]
    finding = findings[0]
    assert finding.rule.split(".")[0] == EXPECTED[preset].value
    assert finding.evidence and all(e.threshold is not None for e in finding.evidence)
    assert finding.remedies == REMEDIES[finding.reason]["en"]
    assert finding.severity in (Severity.WARNING, Severity.CRITICAL)


def test_busy_weeks_collapse_is_seen_over_90_days(stores: Stores) -> None:
    (finding,) = playbook(_metrics(stores, "no_time", "last-90d"))
    assert {e.metric for e in finding.evidence} == {
        "headline.active_days_per_week",
        "weekly.collapse",
    }
    assert finding.severity is Severity.CRITICAL


def test_german_texts(stores: Stores) -> None:
    m = _metrics(stores, "closed_culture", "last-30d")
    (en,) = playbook(m, "en")
    (de,) = playbook(m, "de")
    assert de.title == TITLES[R.CLOSED_CULTURE]["de"] != en.title
    assert de.remedies == REMEDIES[R.CLOSED_CULTURE]["de"]
    assert "Führungskräfte" in de.detail and "Schwelle" in de.detail
    assert de.evidence == en.evidence
    assert playbook(m, "fr")[0].title == en.title  # unknown languages fall back to English


def test_remedies_cover_the_five_reasons_in_both_languages() -> None:
    reasons = set(Reason) - {Reason.OTHER}
    assert set(REMEDIES) == reasons == set(TITLES)
    for texts in REMEDIES.values():
        assert texts["en"] and len(texts["en"]) == len(texts["de"])


def test_thresholds_are_configurable(stores: Stores) -> None:
    m = _metrics(stores, "healthy", "last-30d")
    strict = m.settings.diagnosis.model_copy(update={"creator_share": 0.9})
    m = dataclasses.replace(m, settings=m.settings.model_copy(update={"diagnosis": strict}))
    assert [f.reason for f in playbook(m)] == [R.UNCLEAR_BENEFIT]


def test_training_uses_the_onboarding_funnel_when_it_exists(stores: Stores) -> None:
    m = _metrics(stores, "healthy", "last-30d")
    steps = (
        FunnelStep("newcomer", "profile", 1, 40, 35, 5, 5 / 40),
        FunnelStep("newcomer", "first-post", 2, 40, 10, 30, 30 / 40),
    )
    (finding,) = playbook(dataclasses.replace(m, onboarding=steps))
    assert finding.reason is R.TRAINING
    assert finding.rule == "training.onboarding.stall_share"
    assert "newcomer/first-post" in finding.detail
    assert finding.evidence[0].value == pytest.approx(0.75)
    # with onboarding data, the newcomer fallback is not used: the training preset's newcomers
    # are ignored when every step goes well
    good = tuple(dataclasses.replace(s, stalled=1, stall_share=1 / 40) for s in steps)
    trained = _metrics(stores, "too_little_training", "last-30d")
    assert playbook(dataclasses.replace(trained, onboarding=good)) == []


def test_too_little_data_is_not_diagnosed(stores: Stores) -> None:
    m = _metrics(stores, "unclear_benefit", "last-30d")
    t = m.settings.diagnosis.model_copy(update={"min_active_members": 10_000})
    assert (
        playbook(dataclasses.replace(m, settings=m.settings.model_copy(update={"diagnosis": t})))
        == []
    )


class ExtraRule:
    @hookimpl
    def e20kit_diagnose(self, metrics: Metrics, lang: str) -> list[Finding]:
        return [
            Finding(
                rule="site.small",
                reason=Reason.OTHER,
                severity=Severity.INFO,
                title="klein" if lang == "de" else "small",
                evidence=(
                    Evidence(
                        metric="headline.active_members", value=metrics.headline.active_members
                    ),
                ),
            )
        ]


def test_kit_diagnose_runs_playbook_and_plugin_rules(stores: Stores, tmp_path: Path) -> None:
    url, org = stores["closed_culture"]
    kit = Kit.from_config(None, env={}, store_url=url, plugins=[ExtraRule()])
    try:
        findings = kit.diagnose(lang="de", period="last-30d", today=org.end)  # type: ignore[attr-defined]
    finally:
        kit.close()
    assert [f.rule for f in findings] == [
        "closed_culture.leaders.participation_ratio",
        "site.small",
    ]
    assert findings[1].title == "klein"

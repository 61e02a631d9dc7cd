"""The second benchmark family (``benchmarks/resampled.py``): organisations resampled from a real
Stack Exchange export, a smoke version of ``python -m benchmarks diagnosis`` on a few of them.

Skips with the reason when ``../shared/data`` is absent: the product never needs it."""

from __future__ import annotations

from typing import Any

import pytest

from e20kit import Finding
from e20kit.analytics import compute_metrics, parse_period
from e20kit.diagnose import playbook
from e20kit.store import create_engine

from . import benchmods

resampled: Any = benchmods.load("resampled")
pytestmark = pytest.mark.skipif(
    resampled.available() is not None, reason=str(resampled.available())
)

FAMILY = {spec.name: spec for spec in resampled.family(99)}
"""Seed 99: the family's development seed (the scored seeds are left to the benchmark)."""


def _findings(name: str, url: str) -> list[Finding]:
    spec = FAMILY[name]
    engine = create_engine(url)
    try:
        resampled.store(engine, spec)
        metrics = compute_metrics(
            engine, parse_period(f"last-{spec.days}d", today=resampled.END), onboarding=False
        )
    finally:
        engine.dispose()
    return list(playbook(metrics))


def test_the_curves_are_real_and_long_tailed() -> None:
    curves = resampled.curves()
    assert len(curves.counts) >= 60  # 66 of 272 users ever contributed
    assert max(curves.counts) > 10 * sorted(curves.counts)[len(curves.counts) // 2]
    shape = resampled.gap_quantiles()
    assert shape["p90"] > 5 * shape["median"]  # bursty: long pauses between real visits


def test_the_family_covers_reasons_strengths_sizes_and_setups() -> None:
    specs = list(FAMILY.values())
    assert len(specs) == 72 and sum(s.reason is None for s in specs) == 12
    for reason in resampled.PLANTED:
        assert (
            sorted(s.strength for s in specs if s.reason == reason) == ["clear"] * 6 + ["mild"] * 6
        )
    assert min(s.members for s in specs) == 200 and max(s.members for s in specs) == 3000
    assert {s.days for s in specs} == {90, 120, 150, 180}
    assert {len(s.platforms) for s in specs} == {1, 2}


def test_the_shifted_check_lies_outside_the_family_it_shifts() -> None:
    """The third check's organisations are drawn from other sizes, periods and a wider healthy
    variety than the family's, with the same reasons and strengths (and other draws)."""
    specs = resampled.family(1, design=resampled.SHIFTED)
    usual = resampled.family(1)
    assert sorted((s.reason or "", s.strength) for s in specs) == sorted(
        (s.reason or "", s.strength) for s in usual
    )
    assert {s.members for s in specs}.isdisjoint({s.members for s in usual})
    assert {s.days for s in specs} - {s.days for s in usual} == {60, 100, 200}
    assert {s.noise for s in specs} == {1.5} and max(s.noise for s in usual) == 1.0
    assert {s.seed for s in specs}.isdisjoint({s.seed for s in usual})


def test_a_small_healthy_resampled_organisation_gets_no_finding(sqlite_url: str) -> None:
    assert _findings("healthy-healthy-09", sqlite_url) == []


def test_a_clear_closed_culture_is_not_named_anything_else(sqlite_url: str) -> None:
    named = {str(f.reason) for f in _findings("closed_culture-clear-69", sqlite_url)}
    assert named <= {"closed_culture"}

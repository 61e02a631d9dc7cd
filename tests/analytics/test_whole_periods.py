"""Weekly and monthly blocks cover every day of a period: a partial first block, reported as
such, weighted by its days in active days per week and left out of the block means."""

from __future__ import annotations

import datetime as dt

import pytest

from e20kit.analytics import Metrics, compute_metrics, parse_period
from e20kit.sandbox import build_org
from e20kit.store import create_engine
from e20kit.store.rollup import refresh_store

from .orgstore import load_org


@pytest.fixture(scope="module")
def metrics(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Metrics]:
    org = build_org(seed=5, members=120, departments=4, days=120)
    url = f"sqlite:///{tmp_path_factory.mktemp('whole') / 'store.sqlite'}"
    engine = create_engine(url)
    try:
        load_org(engine, org)
        refresh_store(engine)
        return {
            spec: compute_metrics(engine, parse_period(spec, today=org.end), min_group_size=3)
            for spec in ("last-30d", "last-100d", "last-28d")
        }
    finally:
        engine.dispose()


def test_weekly_blocks_cover_every_day(metrics: dict[str, Metrics]) -> None:
    m = metrics["last-30d"]
    first, *rest = m.weekly
    assert (first.start, first.days) == (m.period.start, 2)
    assert [p.days for p in rest] == [7, 7, 7, 7]
    assert sum(p.days for p in m.weekly) == m.period.days
    assert first.start + dt.timedelta(days=2) == rest[0].start
    # the partial block's own figures: distinct members of its two days
    two_days = [p for p in m.daily if p.start < rest[0].start]
    assert len(two_days) == 2 and first.active >= max(p.active for p in two_days)
    assert first.contributions == sum(p.contributions for p in two_days)


def test_block_means_use_whole_blocks_and_days_are_weighted(metrics: dict[str, Metrics]) -> None:
    m = metrics["last-30d"]
    whole = [p for p in m.weekly if p.days == 7]
    assert m.headline.wau == pytest.approx(sum(p.active for p in whole) / len(whole))
    member_days = sum(p.active for p in m.daily)
    exposure = sum(p.active * p.days for p in m.weekly) / 7
    assert m.headline.active_days_per_week == pytest.approx(member_days / exposure)


def test_monthly_blocks_and_heat_map_and_feature_mix(metrics: dict[str, Metrics]) -> None:
    m = metrics["last-100d"]
    assert [p.days for p in m.monthly] == [10, 30, 30, 30]
    assert m.headline.mau == pytest.approx(sum(p.active for p in m.monthly[1:]) / 3)
    assert sum(p.days for p in m.weekly) == 100 and m.weekly[0].days == 2
    starts = sorted({c.week_start for c in m.heatmap})
    assert starts[0] == m.period.start and len(starts) == len(m.weekly)
    weeks = sorted({f.week_start for f in m.features if f.week_start is not None})
    assert weeks == [p.start for p in m.weekly]


def test_a_period_of_whole_weeks_has_no_partial_block(metrics: dict[str, Metrics]) -> None:
    m = metrics["last-28d"]
    assert [p.days for p in m.weekly] == [7, 7, 7, 7]
    assert [p.days for p in m.monthly] == [30]  # shorter than a month: the 30 days up to its end

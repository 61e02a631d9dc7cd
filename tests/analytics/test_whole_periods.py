"""Weekly and monthly blocks cover every day of a period. Weeks are ISO weeks (Monday to
Sunday): the weeks a period cuts are partial blocks at either end, reported as such, weighted
by their days in active days per week and left out of the block means."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from e20kit.analytics import Metrics, compute_metrics, parse_period
from e20kit.analytics.activity import iso_weeks
from e20kit.sandbox import build_org
from e20kit.store import create_engine
from e20kit.store.rollup import refresh_store

from .orgstore import load_org

MONDAY = 0
SPECS = ("last-30d", "last-100d", "last-28d", "2026-10-05..2026-11-02", "last-10d")


@pytest.fixture(scope="module")
def metrics(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Metrics]:
    org = build_org(seed=5, members=120, departments=4, days=120)
    assert org.end == dt.date(2026, 11, 1)  # a Sunday: last-30d is Friday 2 to Saturday 31 Oct
    url = f"sqlite:///{tmp_path_factory.mktemp('whole') / 'store.sqlite'}"
    engine = create_engine(url)
    try:
        load_org(engine, org)
        refresh_store(engine)
        return {
            spec: compute_metrics(engine, parse_period(spec, today=org.end), min_group_size=3)
            for spec in SPECS
        }
    finally:
        engine.dispose()


def test_weekly_blocks_are_iso_weeks_covering_every_day(metrics: dict[str, Metrics]) -> None:
    m = metrics["last-30d"]
    first, *whole, last = m.weekly
    # Friday 2 October to Sunday 4: partial; three whole weeks from Monday 5; then six days
    assert (first.start, first.days) == (m.period.start, 3)
    assert [(p.start.weekday(), p.days) for p in whole] == [(MONDAY, 7)] * 3
    assert (last.start, last.days) == (dt.date(2026, 10, 26), 6)
    assert sum(p.days for p in m.weekly) == m.period.days
    # the partial blocks' own figures: distinct members and contributions of their days
    for block in (first, last):
        days = [
            p for p in m.daily if block.start <= p.start < block.start + dt.timedelta(block.days)
        ]
        assert len(days) == block.days and block.active >= max(p.active for p in days)
        assert block.contributions == sum(p.contributions for p in days)


def test_block_means_use_whole_blocks_and_days_are_weighted(metrics: dict[str, Metrics]) -> None:
    m = metrics["last-30d"]
    whole = [p for p in m.weekly if p.days == 7]
    assert m.headline.wau == pytest.approx(sum(p.active for p in whole) / len(whole))
    member_days = sum(p.active for p in m.daily)
    exposure = sum(p.active * p.days for p in m.weekly) / 7
    assert m.headline.active_days_per_week == pytest.approx(member_days / exposure)


def test_monthly_blocks_and_heat_map_and_feature_mix(metrics: dict[str, Metrics]) -> None:
    m = metrics["last-100d"]
    assert [p.days for p in m.monthly] == [10, 30, 30, 30]  # 30-day blocks back from the end
    assert m.headline.mau == pytest.approx(sum(p.active for p in m.monthly[1:]) / 3)
    assert sum(p.days for p in m.weekly) == 100
    assert [m.weekly[0].days, m.weekly[-1].days] == [3, 6]
    assert all(p.start.weekday() == MONDAY for p in m.weekly[1:])
    starts = sorted({c.week_start for c in m.heatmap})
    assert starts == [p.start for p in m.weekly]
    weeks = sorted({f.week_start for f in m.features if f.week_start is not None})
    assert weeks == [p.start for p in m.weekly]


def test_a_period_of_whole_iso_weeks_has_no_partial_block(metrics: dict[str, Metrics]) -> None:
    m = metrics["2026-10-05..2026-11-02"]  # Monday 5 October to Sunday 1 November
    assert [(p.start.weekday(), p.days) for p in m.weekly] == [(MONDAY, 7)] * 4
    # 28 days of Sunday to Saturday cut two weeks: one day, three whole weeks, six days
    assert [p.days for p in metrics["last-28d"].weekly] == [1, 7, 7, 7, 6]
    assert [p.days for p in m.monthly] == [30]  # shorter than a month: the 30 days up to its end


def test_cohorts_are_the_iso_weeks_people_joined_in(metrics: dict[str, Metrics]) -> None:
    cohorts = [c for c in metrics["last-100d"].cohorts if not c.pooled]
    assert cohorts and all(c.week_start.weekday() == MONDAY for c in cohorts)


@pytest.mark.parametrize(
    ("start", "days", "layout"),
    [
        # (first Monday, whole weeks, lead, tail)
        (dt.date(2026, 10, 5), 28, (dt.date(2026, 10, 5), 4, 0, 0)),
        (dt.date(2026, 10, 1), 30, (dt.date(2026, 10, 5), 3, 4, 5)),
        # no whole ISO week in 7 days from a Tuesday: one 7-day block, as before ISO weeks
        (dt.date(2026, 10, 6), 7, (dt.date(2026, 10, 6), 1, 0, 0)),
        # shorter than a week: the whole week ending with it, reaching back before its start
        (dt.date(2026, 10, 27), 4, (dt.date(2026, 10, 24), 1, 0, 0)),
    ],
)
def test_iso_week_layout(start: dt.date, days: int, layout: tuple[object, ...]) -> None:
    weeks = iso_weeks(start, start + dt.timedelta(days=days))
    assert (weeks.first, weeks.count, weeks.lead, weeks.tail) == layout
    bounds = weeks.bounds()
    assert bounds[-1][1] == start + dt.timedelta(days=days)
    assert all(a < b for a, b in bounds)
    assert all(prev[1] == nxt[0] for prev, nxt in itertools.pairwise(bounds))


def test_a_short_period_without_a_whole_iso_week_still_has_a_weekly_mean(
    metrics: dict[str, Metrics],
) -> None:
    m = metrics["last-10d"]  # Thursday 22 to Saturday 31 October: Monday 26 to 31 is cut
    assert sum(p.days for p in m.weekly) == 10 and any(p.days == 7 for p in m.weekly)
    assert m.headline.wau > 0

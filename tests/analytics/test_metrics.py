"""Each metric against a small hand-computed store, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from e20kit.analytics import AnalyticsSettings, Metrics, compute_metrics, parse_period
from e20kit.store import create_engine
from e20kit.store.rollup import refresh_store

from .fixtures import TODAY, day, fact, insert, member

SETTINGS = AnalyticsSettings(lively_min_contributors=1)


def _store(url: str) -> sa.Engine:
    """Ops: a (leader), b (leader), c, d; Lab: e (leader), f; no department: g; h left.

    In February: a creates twice and views (wiki, s1); b views five times (s1) and posts in
    chat; c replies three times (chat, ch1); e views once (s2). In January only b viewed s3.
    """
    engine = create_engine(url)
    insert(
        engine,
        [
            member("a", department="Ops", leader=True),
            member("b", department="Ops", leader=True),
            member("c", department="Ops", joined=dt.date(2026, 1, 20)),
            member("d", department="Ops", joined=dt.date(2026, 2, 2)),
            member("e", department="Lab", leader=True),
            member("f", department="Lab"),
            member("g", department=None, joined=dt.date(2026, 2, 16)),
            member("h", department="Ops", active=False),
        ],
        [
            fact(day(1), "a", "create", count=2, container="s1"),
            fact(day(2), "a", "view", container="s1"),
            fact(day(1), "b", "view", count=5, container="s1"),
            fact(day(9), "b", "post", platform="chat", feature="chat"),
            fact(
                day(10),
                "c",
                "reply",
                count=3,
                platform="chat",
                feature="discussion",
                container="ch1",
            ),
            fact(day(22), "e", "view", container="s2"),
            fact(dt.date(2026, 1, 10), "b", "view", container="s3"),
        ],
    )
    return engine


@pytest.fixture
def metrics(store_url: str) -> Metrics:
    engine = _store(store_url)
    try:
        refresh_store(engine)
        return compute_metrics(
            engine, parse_period("last-28d", today=TODAY), settings=SETTINGS, min_group_size=3
        )
    finally:
        engine.dispose()


def test_headline(metrics: Metrics) -> None:
    h = metrics.headline
    assert (h.members, h.active_members) == (7, 4)
    assert h.participation_rate == pytest.approx(4 / 7)
    assert (h.creators, h.consumers) == (3, 1)
    assert h.creator_share == pytest.approx(0.75)
    assert h.consumer_share == pytest.approx(0.25)
    assert h.contributions == 6
    assert h.helping_share == pytest.approx(0.5)
    assert h.features_per_member == pytest.approx(5 / 4)


def test_active_by_day_week_month_and_stickiness(metrics: Metrics) -> None:
    assert len(metrics.daily) == 28
    by_day = {p.start.day: p.active for p in metrics.daily if p.active}
    assert by_day == {1: 2, 2: 1, 9: 1, 10: 1, 22: 1}
    # ISO weeks: Sunday 1 February is the partial first week, 2-22 February three whole
    # weeks from Monday, 23-28 February a partial last week of six days
    assert [(p.start, p.days, p.active) for p in metrics.weekly] == [
        (day(1), 1, 2),
        (day(2), 7, 1),
        (day(9), 7, 2),
        (day(16), 7, 1),
        (day(23), 6, 0),
    ]
    assert [p.creators for p in metrics.weekly] == [1, 0, 2, 0, 0]
    assert [(p.start, p.days, p.active) for p in metrics.monthly] == [(dt.date(2026, 1, 30), 30, 4)]
    h = metrics.headline
    assert h.dau == pytest.approx(6 / 28)
    assert h.wau == pytest.approx(4 / 3)  # whole weeks only
    assert h.mau == 4
    assert h.stickiness == pytest.approx(6 / 28 / 4)
    # 6 member-days over the weeks of exposure: each block's active members x its days / 7
    assert h.active_days_per_week == pytest.approx(6 / ((2 * 1 + 1 * 7 + 2 * 7 + 1 * 7) / 7))


def test_inequality(metrics: Metrics) -> None:
    ineq = metrics.inequality
    assert (ineq.population, ineq.contributors) == (4, 3)
    # totals sorted: 0, 1, 2, 3 -> 2 * (0 + 2 + 6 + 12) / (4 * 6) - 5 / 4
    assert ineq.gini == pytest.approx(40 / 24 - 1.25)
    assert ineq.top1_share == pytest.approx(0.5)
    assert ineq.top10_share == pytest.approx(0.5)
    assert ineq.lorenz[0] == (0.0, 0.0)
    assert ineq.lorenz[-1] == pytest.approx((1.0, 1.0))
    assert dict(ineq.lorenz)[0.5] == pytest.approx(1 / 6)


def test_platforms(metrics: Metrics) -> None:
    active = {p.platform: p.headline.active_members for p in metrics.platforms}
    creators = {p.platform: p.headline.creators for p in metrics.platforms}
    assert active == {"chat": 2, "wiki": 3}
    assert creators == {"chat": 2, "wiki": 1}


def test_leaders_versus_staff(metrics: Metrics) -> None:
    leaders, staff = metrics.leader_group("leaders"), metrics.leader_group("staff")
    assert leaders and staff
    assert (leaders.members, leaders.active, leaders.creators) == (3, 3, 2)
    assert leaders.participation_rate == pytest.approx(1.0)
    assert leaders.contribution_rate == pytest.approx(2 / 3)
    assert (staff.members, staff.active, staff.creators, staff.contributions) == (4, 1, 1, 3)
    assert staff.participation_rate == pytest.approx(0.25)
    per_department = [g for g in metrics.leaders if g.department is not None]
    # every department's leader/staff pair has a group under k = 3: all suppressed
    assert per_department and all(g.suppressed and g.active is None for g in per_department)


def test_departments_and_heatmap(metrics: Metrics) -> None:
    rows = {d.department: d for d in metrics.departments}
    assert set(rows) == {"Ops", "Lab", "(unknown)"}
    ops = rows["Ops"]
    assert (ops.members, ops.active, ops.creators, ops.contributions) == (4, 3, 3, 6)
    assert ops.participation_rate == pytest.approx(0.75)
    assert ops.creator_share == pytest.approx(1.0)
    for small in ("Lab", "(unknown)"):
        assert rows[small].suppressed and rows[small].active is None
    cells = {(c.department, c.week_start): c for c in metrics.heatmap}
    # ISO weeks: Sunday the 1st alone, three whole weeks from Monday the 2nd, six days left
    assert [cells[("Ops", day(d))].rate for d in (1, 2, 9, 16, 23)] == [0.5, 0.25, 0.5, 0, 0]
    assert all(c.suppressed and c.active is None for c in metrics.heatmap if c.department == "Lab")


def test_features(metrics: Metrics) -> None:
    period = {f.feature: f for f in metrics.features if f.week_start is None}
    assert {k: (v.active, v.actions) for k, v in period.items()} == {
        "wiki": (3, 9),
        "chat": (1, 1),
        "discussion": (1, 3),
    }
    assert sum(f.share or 0 for f in period.values()) == pytest.approx(1.0)
    week2 = {f.feature: f.share for f in metrics.features if f.week_start == day(9)}
    assert week2 == {"chat": 0.25, "discussion": 0.75, "wiki": 0.0}
    last = [f.share for f in metrics.features if f.week_start == day(23)]
    assert last and all(s is None for s in last)


def test_containers(metrics: Metrics) -> None:
    rows = {c.platform: c for c in metrics.containers}
    wiki, chat = rows["wiki"], rows["chat"]
    assert (wiki.containers, wiki.lively, wiki.quiet, wiki.dormant) == (3, 1, 1, 1)
    assert (chat.containers, chat.lively, chat.quiet, chat.dormant) == (1, 1, 0, 0)


def test_trends_against_previous_period(metrics: Metrics) -> None:
    assert metrics.previous.start == dt.date(2026, 1, 4)
    assert metrics.previous_headline.members == 5  # d and g joined in February
    assert metrics.previous_headline.active_members == 1
    trend = metrics.trend("active_members")
    assert trend is not None
    assert (trend.current, trend.previous, trend.change) == (4, 1, 3)
    assert trend.change_pct == pytest.approx(300.0)
    creator = metrics.trend("creator_share")
    assert creator is not None and creator.previous == 0.0 and creator.change_pct is None


def _cohort_store(url: str) -> sa.Engine:
    """n1-n3 joined on 5 January, n4 on 20 February; n1 stays, n2 drops out, n3 never shows."""
    engine = create_engine(url)
    jan5 = dt.date(2026, 1, 5)
    insert(
        engine,
        [member(f"n{i}", joined=jan5) for i in (1, 2, 3)]
        + [member("n4", joined=dt.date(2026, 2, 20))],
        [
            fact(jan5, "n1"),
            fact(dt.date(2026, 1, 26), "n1"),
            fact(dt.date(2026, 2, 23), "n1", "comment"),
            fact(dt.date(2026, 1, 6), "n2"),
        ],
    )
    return engine


def test_newcomer_cohorts_and_dropout(store_url: str) -> None:
    engine = _cohort_store(store_url)
    try:
        refresh_store(engine)
        period = parse_period("last-28d", today=TODAY)
        m = compute_metrics(engine, period, min_group_size=2)
        every = compute_metrics(engine, period, min_group_size=1)
    finally:
        engine.dispose()
    pooled = m.cohorts[0]
    assert pooled.pooled and pooled.size == 4 and not pooled.suppressed
    # week 1: both cohorts have lived through it (2 of 4 active); week 4: only January's
    assert pooled.retention == {1: 0.5, 4: pytest.approx(1 / 3), 8: None, 12: None}
    cohorts = {c.week_start: c for c in m.cohorts if not c.pooled}
    # February's single newcomer is hidden, and so is January: else 4 - 3 gives February
    assert [(c.size, c.suppressed) for c in cohorts.values()] == [(None, True), (None, True)]
    assert all(set(c.retention.values()) == {None} for c in cohorts.values())
    cohorts = {c.week_start: c for c in every.cohorts if not c.pooled}
    january = cohorts[dt.date(2026, 1, 5)]  # ISO weeks: cohorts start on a Monday
    assert january.size == 3 and not january.suppressed
    assert january.retention[1] == pytest.approx(2 / 3)
    assert january.retention[4] == pytest.approx(1 / 3)
    assert january.retention[8] is None  # not every member has lived through week 8 yet
    late = cohorts[dt.date(2026, 2, 16)]
    assert late.size == 1 and not late.suppressed and late.retention[1] == 0
    n = m.newcomers
    assert (n.newcomers, n.active, n.creators) == (4, 1, 1)
    assert n.creator_share == pytest.approx(1.0)
    assert (n.week1_active, n.dropped) == (2, 1)
    assert n.dropout == pytest.approx(0.5)


def test_leader_departments_count_as_leaders(store_url: str) -> None:
    engine = _store(store_url)
    try:
        settings = AnalyticsSettings(leader_departments=("Lab",))
        refresh_store(engine)
        m = compute_metrics(
            engine, parse_period("last-28d", today=TODAY), settings=settings, min_group_size=3
        )
    finally:
        engine.dispose()
    leaders, staff = m.leader_group("leaders"), m.leader_group("staff")
    assert leaders and staff
    # a, b (direct reports) plus e and f (the Lab group); staff: c, d, g
    assert (leaders.members, leaders.active, staff.members, staff.active) == (4, 3, 3, 1)


def test_a_report_sees_facts_written_since_the_last_one(store_url: str) -> None:
    """Rollups follow any write to the facts, including plain SQL outside e20kit, once
    refreshed; until then the metrics read what was refreshed and say they are stale."""
    engine = _store(store_url)
    period = parse_period("last-28d", today=TODAY)
    try:
        refresh_store(engine)
        before = compute_metrics(engine, period, settings=SETTINGS, min_group_size=3)
        with engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE facts SET count = 7 WHERE member_key = 'a' AND action = 'create'")
            )
            conn.execute(sa.text("DELETE FROM facts WHERE member_key = 'e'"))
        insert(engine, facts=[fact(day(3), "f", "edit", container="s2")])
        stale = compute_metrics(engine, period, settings=SETTINGS, min_group_size=3)
        assert refresh_store(engine)  # the read above wrote nothing: the days are still due
        after = compute_metrics(engine, period, settings=SETTINGS, min_group_size=3)
    finally:
        engine.dispose()
    assert not before.rollups_stale and not after.rollups_stale
    assert stale.rollups_stale and stale.headline == before.headline
    assert before.headline.contributions == 2 + 1 + 3
    assert after.headline.contributions == 7 + 1 + 3 + 1
    assert before.headline.active_members == after.headline.active_members == 4  # e out, f in
    assert after.headline.creators == before.headline.creators + 1

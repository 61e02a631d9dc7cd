"""Properties over random small organisations: every group under k is suppressed, shares add up."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from e20kit.analytics import compute_metrics, parse_period
from e20kit.store import create_engine

from .fixtures import TODAY, fact, insert, member

ACTIONS = ("view", "create", "reply", "react", "visit")
FEATURES = ("wiki", "chat", "files")

org = st.lists(
    st.tuples(
        st.sampled_from(("A", "B", "C", "D", None)),  # department
        st.booleans(),  # leader
        st.integers(min_value=0, max_value=120),  # joined days before today
        st.lists(
            st.tuples(
                st.integers(min_value=1, max_value=40),  # days before today
                st.sampled_from(ACTIONS),
                st.sampled_from(FEATURES),
                st.integers(min_value=1, max_value=9),
            ),
            max_size=6,
        ),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(org, st.integers(min_value=2, max_value=6))
def test_groups_under_k_are_suppressed_and_shares_sum_to_one(
    people: list[tuple[str | None, bool, int, list[tuple[int, str, str, int]]]], k: int
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 's.sqlite'}")
        members, facts = [], {}
        for i, (dept, leader, joined, acts) in enumerate(people):
            key = f"m{i}"
            members.append(
                member(
                    key, department=dept, leader=leader, joined=TODAY - dt.timedelta(days=joined)
                )
            )
            for ago, action, feature, count in acts:
                row = fact(
                    TODAY - dt.timedelta(days=ago), key, action, count=count, feature=feature
                )
                facts[tuple(row[c] for c in ("day", "member_key", "action", "feature"))] = row
        insert(engine, members, facts.values())
        m = compute_metrics(engine, parse_period("last-30d", today=TODAY), min_group_size=k)
        engine.dispose()

    true_sizes: dict[str, int] = {}
    for dept, _, joined, _ in people:
        if joined > 0:  # on record at the period's end
            label = dept or "(unknown)"
            true_sizes[label] = true_sizes.get(label, 0) + 1
    for d in m.departments:
        if true_sizes[d.department] < k:
            assert d.suppressed
        if d.suppressed:
            assert (d.members, d.active, d.creators, d.contributions) == (None,) * 4
            assert d.participation_rate is None
        else:
            assert d.members == true_sizes[d.department]
    hidden = [d.department for d in m.departments if d.suppressed]
    # never exactly one hidden department, nor hidden ones adding up to fewer than k
    if hidden and len(hidden) < len(m.departments):
        assert len(hidden) >= 2 and sum(true_sizes[d] for d in hidden) >= k
    for cell in m.heatmap:
        assert cell.suppressed == (cell.department in hidden)
        assert (cell.active is None) == cell.suppressed
    for group in m.leaders:
        if group.suppressed:
            assert group.members is None and group.active is None
            assert group.participation_rate is None
        else:
            assert group.members is not None and group.members >= k
    pairs: dict[str | None, list[bool]] = {}
    for group in m.leaders:
        pairs.setdefault(group.department, []).append(group.suppressed)
    assert all(len(set(flags)) == 1 for flags in pairs.values())  # a pair hides together
    for cohort in m.cohorts:
        assert (cohort.size is None) == cohort.suppressed
        if cohort.suppressed and not cohort.pooled:
            assert set(cohort.retention.values()) == {None}
        if cohort.size is not None:
            assert cohort.size >= k

    h = m.headline
    if h.active_members:
        assert h.creator_share is not None and h.consumer_share is not None
        assert h.creator_share + h.consumer_share == pytest.approx(1.0)
        assert h.creators + h.consumers == h.active_members
    weeks: dict[object, float] = {}
    for f in m.features:
        if f.share is not None:
            weeks[f.week_start] = weeks.get(f.week_start, 0.0) + f.share
    assert all(total == pytest.approx(1.0) for total in weeks.values())
    if m.inequality.gini is not None:
        assert 0.0 <= m.inequality.gini <= 1.0

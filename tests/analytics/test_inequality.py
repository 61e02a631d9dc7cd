"""Gini, top shares and the Lorenz curve: hand-computed cases and properties."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from e20kit.analytics import gini, lorenz, top_share
from e20kit.analytics.inequality import inequality

totals = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=300)


def test_equal_contributions_have_gini_zero() -> None:
    assert gini([5, 5, 5, 5]) == pytest.approx(0.0)


def test_one_contributor_of_many() -> None:
    values = [0] * 99 + [10]
    assert gini(values) == pytest.approx(0.99)  # (n - 1) / n
    assert top_share(values, 0.01) == pytest.approx(1.0)
    assert top_share(values, 0.10) == pytest.approx(1.0)


def test_hand_computed_gini_and_shares() -> None:
    values = [1, 2, 3, 4]  # 2 * (1 + 4 + 9 + 16) / (4 * 10) - 5 / 4 = 0.25
    assert gini(values) == pytest.approx(0.25)
    assert top_share(list(range(1, 21)), 0.10) == pytest.approx((19 + 20) / 210)


def test_nothing_to_measure() -> None:
    assert gini([]) is None and gini([0, 0]) is None
    assert top_share([0, 0], 0.1) is None
    assert lorenz([0, 0]) == ()


def test_lorenz_hand_computed() -> None:
    curve = dict(lorenz([0, 0, 1, 3], points=4))
    assert curve == {0.0: 0.0, 0.25: 0.0, 0.5: 0.0, 0.75: 0.25, 1.0: 1.0}


@given(totals)
def test_gini_within_zero_and_one(values: list[int]) -> None:
    value = gini(sorted(values))
    assert value is None or 0.0 <= value <= 1.0


@given(totals)
def test_shares_and_lorenz_are_consistent(values: list[int]) -> None:
    result = inequality(values, points=20)
    if sum(values) == 0:
        assert result.gini is None and result.lorenz == ()
        return
    assert result.top1_share is not None and result.top10_share is not None
    assert 0.0 < result.top1_share <= result.top10_share <= 1.0
    xs = [x for x, _ in result.lorenz]
    ys = [y for _, y in result.lorenz]
    assert result.lorenz[0] == (0.0, 0.0)
    assert xs[-1] == pytest.approx(1.0) and ys[-1] == pytest.approx(1.0)  # shares sum to 1
    assert all(b >= a - 1e-12 for a, b in itertools.pairwise(ys))  # non-decreasing
    assert all(y <= x + 1e-9 for x, y in result.lorenz)  # never above equality


@given(totals)
def test_order_does_not_matter(values: list[int]) -> None:
    assert inequality(values) == inequality(list(reversed(values)))

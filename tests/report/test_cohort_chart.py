"""The retention chart tells a hidden figure (hatched) from one not known yet (a dash)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from e20kit.analytics import parse_period
from e20kit.analytics.cohorts import lived_through
from e20kit.analytics.model import Cohort
from e20kit.report import charts
from e20kit.report.labels import labels

END = dt.date(2026, 11, 2)  # Monday: the period's last day is Sunday 1 November


def test_lived_through_counts_from_the_cohorts_last_joiner() -> None:
    monday = dt.date(2026, 10, 12)  # the last joiner came on Sunday 18 October
    assert lived_through(monday, 1, dt.date(2026, 10, 25))  # week 1 ends on the 24th
    assert not lived_through(monday, 1, dt.date(2026, 10, 24))


def test_pending_weeks_are_dashed_and_hidden_ones_hatched(monkeypatch: Any) -> None:
    weeks = {1: None, 4: None}
    rows = [
        Cohort(dt.date(2026, 9, 7), None, dict(weeks), suppressed=True),  # lived through both
        Cohort(dt.date(2026, 10, 26), 6, dict(weeks)),  # lived through neither
    ]
    seen: dict[str, Any] = {}
    draw = charts._grid_chart

    def grid(*args: Any) -> str:
        seen["values"], seen["pending"] = args[2], args[4]
        return ""

    monkeypatch.setattr(charts, "_grid_chart", grid)
    metrics = SimpleNamespace(
        cohorts=rows, period=parse_period("last-28d", today=END), min_group_size=5
    )
    charts.cohort_chart(metrics, labels("en"))  # type: ignore[arg-type]
    assert seen["pending"] == {(1, 0), (1, 1)}  # the second row's weeks: not yet, not hidden
    figure = draw(["a", "b"], ["w1", "w4"], seen["values"], labels("en"), seen["pending"])
    svg = charts.to_svg(figure, "t")
    assert "not lived through yet" in svg and "group too small" in svg

"""The narrow temporary copy of the facts: standalone use, bounds, clean-up."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from e20kit.analytics import compute_metrics, parse_period
from e20kit.analytics.headline import member_rollup, series
from e20kit.analytics.scratch import Scratch

from .fixtures import TODAY
from .test_metrics import SETTINGS, _store


def _temp_tables(conn: sa.Connection) -> list[str]:
    if conn.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_temp_master WHERE type = 'table'"
    else:
        sql = "SELECT relname FROM pg_class WHERE relpersistence = 't' AND relkind = 'r'"
    return [str(r[0]) for r in conn.exec_driver_sql(sql)]


def test_standalone_figures_match_compute_metrics(store_url: str) -> None:
    engine = _store(store_url)
    try:
        period = parse_period("last-28d", today=TODAY)
        metrics = compute_metrics(engine, period, settings=SETTINGS, min_group_size=3)
        with engine.connect() as conn:
            blocks = series(conn, period)[None]
            rows = member_rollup(conn, period.start, period.end)[None]
            left = [t for t in _temp_tables(conn) if t.startswith("e20kit_analytics")]
        assert blocks.daily.points == metrics.daily
        assert blocks.weekly.points == metrics.weekly
        assert blocks.monthly.points == metrics.monthly
        assert len(rows) == metrics.headline.active_members
        assert sum(r[1] for r in rows) == metrics.headline.contributions
        assert left == []
    finally:
        engine.dispose()


def test_scratch_refuses_days_it_does_not_hold() -> None:
    src = Scratch(dt.date(2026, 1, 1), dt.date(2026, 2, 1))
    src.in_span(dt.date(2026, 1, 1), dt.date(2026, 2, 1))
    with pytest.raises(ValueError, match="outside the copy"):
        src.in_span(dt.date(2025, 12, 31), dt.date(2026, 2, 1))
    with pytest.raises(ValueError, match="outside the copy"):
        src.in_span(dt.date(2026, 1, 1), dt.date(2026, 2, 2))
    assert src.offset(dt.date(2026, 1, 31)) == 1

"""Periods: presets, months, explicit ranges and the previous period."""

from __future__ import annotations

import datetime as dt

import pytest

from e20kit import ConfigError
from e20kit.analytics import Period, parse_period

TODAY = dt.date(2026, 3, 15)


@pytest.mark.parametrize("spec, days", [("last-7d", 7), ("last-30d", 30), ("last-90d", 90)])
def test_presets_end_before_today(spec: str, days: int) -> None:
    period = parse_period(spec, today=TODAY)
    assert period.end == TODAY and period.days == days and period.label == spec


def test_default_and_month() -> None:
    assert parse_period(None, today=TODAY).days == 30
    feb = parse_period("month:2026-02", today=TODAY)
    assert (feb.start, feb.end, feb.days) == (dt.date(2026, 2, 1), dt.date(2026, 3, 1), 28)
    assert parse_period("2026-01-01..2026-01-08", today=TODAY).days == 7


def test_previous_period_has_equal_length() -> None:
    period = parse_period("month:2026-02", today=TODAY)
    previous = period.previous()
    assert previous.end == period.start and previous.days == period.days


@pytest.mark.parametrize(
    "spec", ["last-0d", "yesterday", "month:2026-13", "2026-02-01..2026-01-01", "last-7"]
)
def test_bad_periods_are_config_errors(spec: str) -> None:
    with pytest.raises((ConfigError, ValueError)) as err:
        parse_period(spec, today=TODAY)
    if isinstance(err.value, ConfigError):
        assert spec in str(err.value)


def test_period_must_not_be_empty() -> None:
    with pytest.raises(ValueError):
        Period(TODAY, TODAY, "empty")

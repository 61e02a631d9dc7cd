"""Holidays and company closures: a week nobody works is not a week people had no time.

Neither sandbox generator has holidays; here the healthy organisation's facts are dropped over
Christmas to New Year, as a real organisation's would be, and the no-time reading must leave
those days out once ``analytics.closed_days`` or ``analytics.holidays`` names them, while a
real crunch outside the closure is still named."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from e20kit import Kit, Reason
from e20kit.analytics import AnalyticsSettings, Metrics, compute_metrics, parse_period
from e20kit.analytics.closures import closed_dates
from e20kit.config import load_config
from e20kit.diagnose import playbook
from e20kit.diagnose.figures import busy_collapse, days_a_week_open
from e20kit.diagnose.rules import no_time
from e20kit.errors import ConfigError
from e20kit.sandbox import Org, build_org
from e20kit.store import create_engine
from e20kit.store.rollup import refresh_store

from .orgstore import load_org

END = dt.date(2027, 2, 1)
"""The sandbox's window ends here (exclusive), so that its last 90 days hold the closure."""
CLOSURE = "2026-12-24..2027-01-02"
BRIDGE_DAYS = ("2026-12-24", "2026-12-27..2027-01-01")
"""The closure's days that are no public holiday in Germany (25 and 26 December and 1 January
are)."""


@dataclasses.dataclass(frozen=True)
class ClosedOrg:
    """``org`` with no activity on ``closed`` days: nobody is at work."""

    org: Org
    closed: frozenset[dt.date]

    @property
    def people(self) -> object:
        return self.org.people

    def iter_events(self) -> Iterator[tuple[object, object]]:
        return ((m, e) for m, e in self.org.iter_events() if e.day not in self.closed)


def _closure() -> frozenset[dt.date]:
    """The days of :data:`CLOSURE`, written out (the facts are dropped whatever the settings)."""
    return frozenset(dt.date(2026, 12, 24) + dt.timedelta(days=d) for d in range(9))


def _store(store_url: str, *, closed: bool = True, **knobs: object) -> None:
    """A sandbox organisation closed over Christmas (open throughout with ``closed=False``),
    its window ending at :data:`END`."""
    org = build_org(seed=7, end=END, preset="healthy", **knobs)
    engine = create_engine(store_url)
    try:
        load_org(engine, ClosedOrg(org, _closure() if closed else frozenset()))
        refresh_store(engine)
    finally:
        engine.dispose()


def _metrics(store_url: str, **knobs: object) -> Metrics:
    """The last 90 days of a sandbox organisation closed over Christmas (settings unset)."""
    _store(store_url, **knobs)
    engine = create_engine(store_url)
    try:
        return compute_metrics(engine, parse_period("last-90d", today=END))
    finally:
        engine.dispose()


def _with(m: Metrics, **settings: object) -> Metrics:
    """``m`` with ``[analytics]`` keys set as a config file would set them."""
    configured = AnalyticsSettings.model_validate({**m.settings.model_dump(), **settings})
    return dataclasses.replace(m, settings=configured)


def _reasons(m: Metrics) -> list[Reason]:
    return [f.reason for f in playbook(m)]


def test_a_closure_is_not_no_time_once_configured(store_url: str) -> None:
    m = _metrics(store_url)
    # the defect: the closed week reads as a collapse of the time people have
    assert Reason.NO_TIME in _reasons(m)
    assert busy_collapse(m) == 0.0
    closed = _with(m, closed_days=[CLOSURE])
    assert Reason.NO_TIME not in _reasons(closed)
    assert busy_collapse(closed) is not None and busy_collapse(closed) > 0.78  # judged, calm
    holidays = _with(m, holidays="DE", closed_days=list(BRIDGE_DAYS))
    assert Reason.NO_TIME not in _reasons(holidays)
    assert busy_collapse(holidays) == busy_collapse(closed)


def test_a_crunch_outside_the_closure_is_still_no_time(store_url: str) -> None:
    # weeks 6 and 7 of the window (15-28 November 2026), a quarter of the usual activity
    m = _with(_metrics(store_url, busy_weeks=(6, 7), busy_factor=0.25), closed_days=[CLOSURE])
    (finding,) = [f for f in playbook(m) if f.reason is Reason.NO_TIME]
    assert "weekly.collapse" in [e.metric for e in finding.evidence]
    collapse = busy_collapse(m)
    assert collapse is not None and collapse < 0.55


def test_active_days_a_week_count_the_weeks_the_organisation_was_open(
    store_url: str, tmp_path: Path
) -> None:
    m = _metrics(store_url)
    raw = m.headline.active_days_per_week
    assert raw is not None
    (days, _) = no_time(m)
    assert days.value == raw and days.wording is None  # unset: the published figure, as before
    (days, _) = no_time(_with(m, closed_days=[CLOSURE]))
    # the same organisation had it never closed: the closure lowers the headline figure, and
    # counting open days only brings it back (scaling by the 81 open days of 90 would
    # overshoot, since the week closed throughout has nobody active to weigh)
    reference = f"sqlite:///{tmp_path}/open.db"
    _store(reference, closed=False)
    engine = create_engine(reference)
    try:
        never_closed = compute_metrics(engine, parse_period("last-90d", today=END))
    finally:
        engine.dispose()
    unclosed = never_closed.headline.active_days_per_week
    assert unclosed is not None and raw < 0.98 * unclosed
    assert days.value == pytest.approx(unclosed, rel=0.03)
    assert raw * 90 / 81 > 1.05 * unclosed
    assert days.trend is None  # the previous period's weeks cannot be counted the same way
    assert "a week the organisation was open" in days.sentence("en")
    assert "geöffnet" in days.sentence("de")


def test_the_printed_figure_is_the_published_one_over_open_weeks(
    store_url: str, tmp_path: Path
) -> None:
    # fewer active days than healthy, so that the open-week figure is still a finding
    _store(store_url, active_days_per_member=0.7)
    path = tmp_path / "e20kit.toml"
    path.write_text(f'[analytics]\nclosed_days = ["{CLOSURE}"]\n', encoding="utf-8")
    kit = Kit.from_config(path, env={}, store_url=store_url)
    try:
        published = kit.metrics("last-90d", today=END)
        (finding,) = kit.diagnose(metrics=published, audited=False)
        (german,) = kit.diagnose(metrics=published, audited=False, lang="de")
    finally:
        kit.close()
    assert finding.reason is Reason.NO_TIME
    days = published.headline.active_days_per_week
    assert days is not None
    # stated from the published figures (not the raw ones), counting the days open
    open_days, _ = days_a_week_open(_with(published, closed_days=[CLOSURE]))
    assert open_days is not None and open_days > days
    shown = f"{open_days:.1f}"
    assert f"a week the organisation was open used the tools on {shown} days" in finding.detail
    assert f"an {shown.replace('.', ',')} Tagen" in german.detail and "geöffnet" in german.detail


def test_too_few_open_stretches_are_not_judged(store_url: str) -> None:
    m = _metrics(store_url)
    # closed every fifth day: no seven open days in a row remain
    every_fifth = [
        (dt.date(2026, 11, 3) + dt.timedelta(days=d)).isoformat() for d in range(0, 90, 5)
    ]
    assert busy_collapse(_with(m, closed_days=every_fifth)) is None


def test_closed_dates_across_a_year_boundary() -> None:
    start, end = dt.date(2026, 12, 20), dt.date(2027, 1, 10)
    bavaria = AnalyticsSettings(holidays="DE-BY")
    # Epiphany is a holiday in Bavaria: the following year's holidays count too
    assert closed_dates(bavaria, start, end) == {
        dt.date(2026, 12, 25),
        dt.date(2026, 12, 26),
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 6),
    }
    closure = AnalyticsSettings(closed_days=(CLOSURE, "2027-01-09..2027-01-20"))
    days = closed_dates(closure, dt.date(2026, 12, 30), end)
    assert sorted(days) == [
        dt.date(2026, 12, 30),
        dt.date(2026, 12, 31),
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 9),  # clipped to the range asked for
    ]
    assert closed_dates(AnalyticsSettings(), start, end) == frozenset()


@pytest.mark.parametrize(
    ("toml", "key", "says"),
    [
        ('closed_days = ["2026-12-32"]', "analytics.closed_days", "no such date"),
        ('closed_days = ["24.12.2026"]', "analytics.closed_days", "YYYY-MM-DD"),
        ('closed_days = ["last-7d"]', "analytics.closed_days", "YYYY-MM-DD"),
        ('closed_days = ["2027-01-02..2026-12-24"]', "analytics.closed_days", "after the start"),
        ('closed_days = ["2026-12-24..2026-12-24"]', "analytics.closed_days", "after the start"),
        ('holidays = "XX"', "analytics.holidays", "no public holidays known"),
        ('holidays = "DE-XX"', "analytics.holidays", "no public holidays known"),
    ],
)
def test_config_errors_name_the_key_and_the_file(
    tmp_path: Path, toml: str, key: str, says: str
) -> None:
    path = tmp_path / "e20kit.toml"
    path.write_text(f"[analytics]\n{toml}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    text = str(info.value)
    assert info.value.key == key and key in text and str(path) in text and says in text


def test_good_settings_load(tmp_path: Path) -> None:
    path = tmp_path / "e20kit.toml"
    path.write_text(
        '[analytics]\nholidays = "CH-ZH"\nclosed_days = ["2026-12-24", "2026-12-28..2027-01-02"]\n',
        encoding="utf-8",
    )
    analytics = load_config(path, env={}).settings.analytics
    assert analytics.holidays == "CH-ZH" and len(analytics.closed_days) == 2


def test_the_documented_example_loads(tmp_path: Path) -> None:
    """docs/config.md's ``[analytics]`` example for closed days is a config that loads."""
    docs = Path(__file__).resolve().parents[2] / "docs" / "config.md"
    blocks = docs.read_text(encoding="utf-8").split("```toml\n")[1:]
    (example,) = [b.split("```")[0] for b in blocks if "closed_days" in b]
    path = tmp_path / "e20kit.toml"
    path.write_text(example, encoding="utf-8")
    analytics = load_config(path, env={}).settings.analytics
    assert analytics.holidays == "DE-BY" and analytics.closed_days

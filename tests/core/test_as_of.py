"""As-of days: default periods end on the newest complete day; stale and partial are stated."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from e20kit import Kit
from e20kit.analytics import compute_metrics, parse_period
from e20kit.report.asof import as_of_lines

from .helpers import ACTIVITY, PEOPLE, write_config, write_exports

ENV = {"E20KIT_PSEUDONYM_SECRET": "a-test-secret-of-32-bytes-length"}
NEWEST = dt.date(2026, 10, 22)  # the newest day of helpers.ACTIVITY
SMALL_K = "[privacy]\nmin_group_size = 2\ntesting_small_groups = true\n"
"""Four people: the as-of lines are about freshness, so groups of two may be shown (testing)."""


def collected_kit(tmp_path: Path, extra: str = "") -> Kit:
    people = [
        *PEOPLE,
        ("wiki", "w1", "w1@example.org", "W", "IT", "", "", "2024-01-01", ""),
        ("wiki", "w2", "w2@example.org", "V", "IT", "", "", "2024-01-01", ""),
    ]
    activity = [*ACTIVITY, ("2026-10-12", "wiki", "w1", "view", "wiki", "home", "1")]
    exports = write_exports(tmp_path / "exports", people=people, activity=activity)
    config = write_config(tmp_path / "e20kit.toml", exports=exports, extra=SMALL_K + extra)
    kit = Kit.from_config(config, env=ENV, store_url=f"sqlite:///{tmp_path}/s.db")
    assert kit.collect(today=NEWEST).ok
    return kit


def test_the_default_period_ends_on_the_newest_complete_day_not_the_wall_clock(
    tmp_path: Path,
) -> None:
    with collected_kit(tmp_path) as kit:
        metrics = kit.metrics()  # the wall clock is weeks after the data
    assert metrics.period.last_day == NEWEST
    assert metrics.headline.active_members in (3, 5)  # all 4, published one off
    by_platform = {p.platform: p for p in metrics.as_of}
    assert by_platform["csv"].as_of == NEWEST and not by_platform["csv"].partial
    wiki = by_platform["wiki"]
    assert wiki.as_of == dt.date(2026, 10, 12) and wiki.partial  # ten days short of the period
    assert metrics.partial


def test_stale_platforms_and_partial_periods_are_stated_in_the_report(tmp_path: Path) -> None:
    with collected_kit(tmp_path, extra="[analytics]\nstale_after_days = 5\n") as kit:
        today = NEWEST + dt.timedelta(days=4)
        md = Path(str(kit.report("md", tmp_path / "r.md", today=today))).read_text()
        js = json.loads(Path(str(kit.report("json", tmp_path / "r.json", today=today))).read_text())
        html = Path(str(kit.report("html", tmp_path / "r.html", today=today))).read_text()
    assert "csv: complete up to 2026-10-22; the period runs 3 days past it" in md
    assert "wiki: complete up to 2026-10-12; STALE: 14 days old (more than 5)" in md
    assert "the figures of its last days are partial" in md and "partial" in html
    platforms = {p["platform"]: p for p in js["as_of"]["platforms"]}
    assert platforms["csv"]["stale"] is False and platforms["wiki"]["stale"] is True
    assert js["as_of"]["partial"] is True and js["as_of"]["stale_after_days"] == 5


def test_a_period_the_data_covers_is_not_partial(tmp_path: Path) -> None:
    with collected_kit(tmp_path) as kit:
        metrics = kit.metrics("2026-10-01..2026-10-12")
    assert not metrics.partial


def test_platform_rows_count_members_on_record_like_the_headline(tmp_path: Path) -> None:
    later = ("csv", "u4", "dee@example.org", "Dee", "IT", "", "", "2026-10-20", "")
    early = ("2026-09-20", "csv", "u1", "post", "discussion", "c1", "1")
    exports = write_exports(tmp_path / "exports", [*PEOPLE, later], [early, *ACTIVITY])
    config = write_config(tmp_path / "e20kit.toml", exports=exports)
    with Kit.from_config(config, env=ENV, store_url=f"sqlite:///{tmp_path}/s.db") as kit:
        assert kit.collect(today=NEWEST).ok
        # u2 joins during the period (on record at its end), u4 only after it
        kit.refresh()
        period = parse_period("2026-09-15..2026-10-05", today=NEWEST)
        metrics = compute_metrics(kit.engine, period)  # the raw figures, before publishing
    [csv] = metrics.platforms
    assert metrics.headline.members == csv.headline.members == 3
    assert csv.headline.participation_rate == metrics.headline.participation_rate


def test_one_day_past_the_data_reads_in_words() -> None:
    doc = {
        "period": {"end": "2026-10-31"},
        "as_of": {
            "platforms": [
                {"platform": "wiki", "as_of": "2026-10-29", "stale": False, "partial": True}
            ]
        },
    }
    assert as_of_lines(doc, "en") == [
        "wiki: complete up to 2026-10-29; the period runs one day past it"
    ]
    assert as_of_lines(doc, "de")[0].endswith("reicht einen Tag darüber hinaus")


def test_a_previous_period_before_the_data_began_is_flagged(tmp_path: Path) -> None:
    with collected_kit(tmp_path) as kit:
        metrics = kit.metrics()  # 23 September to 22 October; the previous one from 24 August
        covered = kit.metrics("2026-10-21..2026-10-23")  # previous: 19 and 20 October
        day = NEWEST + dt.timedelta(days=1)
        md = Path(str(kit.report("md", tmp_path / "r.md", today=day))).read_text()
        js = json.loads(Path(str(kit.report("json", tmp_path / "r.json", today=day))).read_text())
        html = Path(str(kit.report("html", tmp_path / "r.html", today=day))).read_text()
    assert 'id="short-history"' in html
    assert 'class="up"' not in html and 'class="down"' not in html  # changes stay uncoloured
    by_platform = {p.platform: p for p in metrics.as_of}
    assert by_platform["csv"].oldest_day == dt.date(2026, 10, 20)
    assert metrics.short_history == ("csv", "wiki")
    assert {p.platform: p.short_history for p in covered.as_of} == {"csv": True, "wiki": False}
    assert "csv: complete up to 2026-10-22; data begins 2026-10-20, after the previous" in md
    assert "not like for like: the data from csv, wiki begins after that period's start" in md
    assert js["as_of"]["short_history"] == ["csv", "wiki"]
    assert {p["platform"]: p["oldest_day"] for p in js["as_of"]["platforms"]} == {
        "csv": "2026-10-20",
        "wiki": "2026-10-12",
    }

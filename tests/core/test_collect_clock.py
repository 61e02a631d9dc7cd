"""The clock guard and the retention message (issues 24 and 25): a ``--today`` far ahead, a
clock behind the last collect, or a purge of most of the store deletes nothing without
``--force``; facts before the retention window are counted once, with the setting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from e20kit import Kit, OrgClock
from e20kit.cli import main
from e20kit.store import schema
from e20kit.testing import table_rows

from .helpers import ACTIVITY, write_config, write_exports

ENV = {"E20KIT_PSEUDONYM_SECRET": "s-16-bytes-secret"}
DAY = dt.date(2026, 10, 25)


def _kit(tmp_path: Path, store_url: str, extra: str = "", clock: OrgClock | None = None) -> Kit:
    exports = tmp_path / "exports"
    if not exports.exists():
        write_exports(exports)
    config = write_config(
        tmp_path / "e20kit.toml", exports=exports, store_url=store_url, extra=extra
    )
    kit = Kit.from_config(config, env=ENV)
    if clock is not None:
        kit.clock = clock
    return kit


def _facts(kit: Kit) -> list[tuple[object, ...]]:
    return table_rows(kit.engine, schema.facts)


def _at(day: dt.date) -> OrgClock:
    return OrgClock().fixed(dt.datetime.combine(day, dt.time(12), dt.UTC))


def test_a_reference_day_after_the_real_clock_purges_nothing(
    tmp_path: Path, store_url: str
) -> None:
    with _kit(tmp_path, store_url, clock=_at(DAY)) as kit:
        assert kit.collect(today=DAY).ok
        stored = _facts(kit)
        future = kit.collect(today=dt.date(2999, 12, 31))
        assert future.purged is None  # 8bc5a9f: every fact purged
        assert "after the real clock" in str(future.purge_refused)
        assert "--force" in str(future.purge_refused)
        assert _facts(kit) == stored
        forced = kit.collect(today=dt.date(2999, 12, 31), force=True)
        assert forced.purged is not None and forced.purged.purged["facts"] == len(stored)


def test_the_cli_collect_with_a_far_future_today_keeps_the_store(
    tmp_path: Path, store_url: str
) -> None:
    with _kit(tmp_path, store_url) as kit:
        assert kit.collect(today=DAY).ok
        stored = _facts(kit)
    runner = CliRunner()
    config = str(tmp_path / "e20kit.toml")
    result = runner.invoke(
        main, ["-c", config, "collect", "--today", "2999-12-31"], env=ENV, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "retention purge refused" in result.output
    with _kit(tmp_path, store_url) as kit:
        assert _facts(kit) == stored


def test_a_purge_of_most_of_the_store_needs_force(tmp_path: Path, store_url: str) -> None:
    with _kit(tmp_path, store_url, clock=_at(DAY)) as kit:
        assert kit.collect(today=DAY).ok
        stored = _facts(kit)
    later = DAY + dt.timedelta(days=40)
    shorter = "[privacy]\nretention_days = 10\n"
    with _kit(tmp_path, store_url, extra=shorter, clock=_at(later)) as kit:
        result = kit.collect(today=later)
        assert "privacy.max_purge_share" in str(result.purge_refused)
        assert "100%" in str(result.purge_refused)
        assert _facts(kit) == stored
        assert kit.collect(today=later, force=True).purged is not None
        assert _facts(kit) == []


def test_a_clock_behind_the_last_collect_purges_nothing(tmp_path: Path, store_url: str) -> None:
    with _kit(tmp_path, store_url, clock=_at(DAY)) as kit:
        assert kit.collect(today=DAY).ok
        stored = _facts(kit)
    earlier = DAY - dt.timedelta(days=30)
    with _kit(tmp_path, store_url, clock=_at(earlier)) as kit:
        result = kit.collect()
        assert "behind the last collect" in str(result.purge_refused)
        assert _facts(kit) == stored


def test_facts_before_the_retention_window_are_counted_once_with_the_setting(
    tmp_path: Path, store_url: str
) -> None:
    old = [("2018-03-05", *row[1:]) for row in ACTIVITY[:3]]
    write_exports(tmp_path / "exports", activity=[*old, *ACTIVITY])
    with _kit(tmp_path, store_url, extra="[privacy]\nretention_days = 400\n") as kit:
        result = kit.collect(today=DAY)
        assert result.ok
        run = result.runs[0]
        assert run.facts_before_retention == 3
        said = [w for w in run.warnings if "retention" in w]
        assert len(said) == 1  # 8bc5a9f: silent
        assert "3 facts" in said[0] and "privacy.retention_days = 400" in said[0]
        assert len(_facts(kit)) == len(ACTIVITY)


def test_retention_zero_keeps_old_history(tmp_path: Path, store_url: str) -> None:
    old = [("2018-03-05", *row[1:]) for row in ACTIVITY[:3]]
    write_exports(tmp_path / "exports", activity=[*old, *ACTIVITY])
    with _kit(tmp_path, store_url, extra="[privacy]\nretention_days = 0\n") as kit:
        result = kit.collect(today=DAY)
        assert result.ok and result.runs[0].facts_before_retention == 0
        assert len(_facts(kit)) == len(ACTIVITY) + 3

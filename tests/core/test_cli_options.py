"""Output options where people type them, and one spelling for the reference time."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from e20kit.cli import main

from .helpers import ACTIVITY, write_config, write_exports


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET", "s-16-bytes-secret")
    exports = write_exports(tmp_path / "exports")
    # `champions score` is an individual view: the works-council decision is made explicitly
    return write_config(
        tmp_path / "e20kit.toml",
        exports=exports,
        store_url=f"sqlite:///{tmp_path / 's.sqlite'}",
        extra="[privacy]\nallow_individual_views = true\nchampion_scoring = true\n",
    )


def run(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["-c", str(config), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("plugins", "--json"),
        ("diagnose", "--json", "--today", "2026-10-25"),
        ("champions", "list", "--json"),
        ("champions", "score", "--json"),
        ("onboarding", "status", "--json"),
    ],
)
def test_json_after_the_subcommand_is_the_same_as_before_it(
    configured: Path, args: tuple[str, ...]
) -> None:
    # nothing was collected: diagnose finds a data gap and exits 8 (docs/cli.md)
    expected = 8 if args[0] == "diagnose" else 0
    code, after, err = run(configured, *args)
    assert code == expected, err
    code, before, err = run(configured, "--json", *(a for a in args if a != "--json"))
    assert code == expected, err
    assert json.loads(after) == json.loads(before)


def test_quiet_and_verbose_after_the_subcommand(configured: Path) -> None:
    code, out, _ = run(configured, "collect", "--today", "2026-10-25")
    assert code == 0 and "facts written" in out
    code, out, _ = run(configured, "collect", "-q", "--today", "2026-10-25")
    assert code == 0 and out == ""
    assert run(configured, "plugins", "-vv")[0] == 0
    assert logging.getLogger().level == logging.DEBUG
    assert run(configured, "plugins", "-v")[0] == 0
    assert logging.getLogger().level == logging.INFO


def test_collect_refresh_brings_the_rollups_up_to_date(configured: Path) -> None:
    code, out, err = run(configured, "--json", "collect", "--today", "2026-10-25", "--refresh")
    assert code == 0, err
    data = json.loads(out)
    assert data["facts_written"] == len(ACTIVITY)
    assert sorted(data["refreshed"]["days"]) == sorted({a[0] for a in ACTIVITY})
    code, out, _ = run(configured, "--json", "collect", "--today", "2026-10-25", "--refresh")
    assert json.loads(out)["refreshed"] == {"days": []}  # nothing new collected


def test_today_is_the_one_spelling_and_now_a_hidden_alias(configured: Path) -> None:
    for command in (("collect",), ("report",), ("diagnose",), ("onboarding", "run"), ("run",)):
        code, out, _ = run(configured, *command, "--help")
        assert code == 0 and "--today" in out and "--now" not in out, command
    code, by_today, err = run(
        configured, "--json", "onboarding", "run", "--dry-run", "--today", "2026-10-25T09:00"
    )
    assert code == 0, err
    code, by_now, err = run(
        configured, "--json", "onboarding", "run", "--dry-run", "--now", "2026-10-25T09:00"
    )
    assert code == 0, err
    assert json.loads(by_today)["now"] == json.loads(by_now)["now"] == "2026-10-25T09:00:00+00:00"
    code, _, err = run(configured, "collect", "--today", "25.10.2026")
    assert code == 2 and "YYYY-MM-DD" in err


def test_run_takes_a_reference_day(configured: Path, tmp_path: Path) -> None:
    code, out, err = run(
        configured, "--json", "run", "--dry-run", "--today", "2026-10-25", "--report-dir",
        str(tmp_path / "reports"),
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["collect"]["facts_written"] == len(ACTIVITY)
    report = json.loads((tmp_path / "reports" / "report.json").read_text(encoding="utf-8"))
    assert report["period"]["end"] == "2026-10-25"

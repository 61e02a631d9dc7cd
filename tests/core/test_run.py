"""``e20kit run``: the whole cycle for cron, dry and for real, and its exit codes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from e20kit import Kit
from e20kit.cli import main
from e20kit.sandbox import build_org, write_csv_folder

ORG = build_org(members=80)
NOW = dt.datetime.combine(ORG.end - dt.timedelta(days=1), dt.time(9), tzinfo=dt.UTC)


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET", "s-16-bytes-secret")
    write_csv_folder(ORG, tmp_path / "exports")
    path = tmp_path / "e20kit.toml"
    path.write_text(
        f'[store]\nurl = "sqlite:///{tmp_path / "s.sqlite"}"\n'
        f"[collect]\nlookback_days = {ORG.days + 400}\n"
        f'[connectors.exports]\ntype = "csv"\npath = "{tmp_path / "exports"}"\n'
        f'[notifiers.log]\npath = "{tmp_path / "messages.jsonl"}"\n'
        "[onboarding.nudges]\nsend_on_weekends = true\nquiet_start = '00:00'\nquiet_end = '00:00'\n"
        "[champions]\nsend_on_weekends = true\nquiet_start = '00:00'\nquiet_end = '00:00'\n"
        '[[onboarding.checklists]]\nid = "newcomers"\n'
        '[[onboarding.checklists.steps]]\nid = "post"\ncheck = "activity"\n'
        'params = { actions = ["post"], min_count = 50 }\ntitle = "Post fifty times"\n',
        encoding="utf-8",
    )
    return path


def messages(tmp_path: Path) -> list[dict[str, str]]:
    path = tmp_path / "messages.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_run_cycle_dry_then_twice_for_real(config: Path, tmp_path: Path) -> None:
    with Kit.from_config(config) as kit:
        dry = kit.run_cycle(dry_run=True, now=NOW)
        assert dry.exit_code == 0 and dry.collect.facts_written > 0
        assert messages(tmp_path) == []  # a dry run messages nobody
        later = NOW + dt.timedelta(days=10)
        first = kit.run_cycle(now=later, report_dir=tmp_path / "reports")
        sent = messages(tmp_path)
        assert first.exit_code == 0 and sent, "stuck newcomers were nudged"
        assert {p.name for p in first.reports} == {"report.html", "report.md", "report.json"}
        second = kit.run_cycle(now=later + dt.timedelta(hours=1))
        assert messages(tmp_path) == sent  # nobody is messaged twice
        assert second.collect.facts_written == 0


def test_run_command_prints_json_and_exits_0(config: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = CliRunner().invoke(
        main, ["-c", str(config), "--json", "run", "--dry-run", "--report-dir", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["exit_code"] == 0 and data["collect"]["ok"]
    assert (out / "report.html").exists()


def test_quiet_run_prints_nothing_when_all_is_well(config: Path) -> None:
    result = CliRunner().invoke(main, ["-q", "-c", str(config), "run", "--dry-run"])
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""

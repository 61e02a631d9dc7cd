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


def quiet_config(config: Path, *, log_path: bool = True) -> Path:
    """``config`` with the default quiet hours (18:00 to 08:00) and, optionally, the log
    notifier without a path."""
    text = config.read_text(encoding="utf-8")
    text = text.replace("quiet_start = '00:00'\nquiet_end = '00:00'\n", "")
    text += "[privacy]\nchampion_scoring = true\n"  # so that there are candidates to invite
    if not log_path:
        text = "\n".join(line for line in text.splitlines() if "messages.jsonl" not in line)
    config.write_text(text, encoding="utf-8")
    return config


def test_run_in_quiet_hours_says_what_it_held_back_and_until_when(config: Path) -> None:
    """A run at 20:00 used to print "sent 0 nudges"; the held-back messages were only in --json."""
    later = (NOW + dt.timedelta(days=10)).replace(hour=20)
    args = [
        "-c",
        str(quiet_config(config)),
        "run",
        "--invite",
        "--today",
        f"{later:%Y-%m-%dT%H:%M}",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    nudges = next(line for line in result.stdout.splitlines() if line.startswith("onboarding:"))
    held = int(nudges.split("; ")[1].split()[0])
    assert held > 0
    assert nudges == f"onboarding: 0 nudges sent; {held} held back (quiet hours until 08:00)"
    invitations = [line for line in result.stdout.splitlines() if "invitation" in line]
    assert invitations and invitations[0].startswith("champions: 0 invitations sent; ")
    assert invitations[0].endswith(" held back (quiet hours until 08:00)")


def test_run_warns_when_messages_went_to_the_log_only(config: Path) -> None:
    later = (NOW + dt.timedelta(days=10)).replace(hour=10)
    path = quiet_config(config, log_path=False)
    args = ["-c", str(path), "run", "--today", f"{later:%Y-%m-%dT%H:%M}"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "nudges sent" in result.stdout
    assert "notifier 'log' is the log notifier without a path" in result.stderr
    assert "[notifiers.log] path" in result.stderr

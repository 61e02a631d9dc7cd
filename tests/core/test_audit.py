"""The audit trail (issue 15, item 4): reports and setting changes append rows; its own
retention, never the facts'."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa
from click.testing import CliRunner

from e20kit import Kit
from e20kit.cli import main
from e20kit.privacy.audit import os_user
from e20kit.store import schema


def _config(path: Path, extra: str = "") -> Path:
    path.write_text(f"[privacy]\npseudonymise = false\n{extra}", "utf-8")
    return path


def test_reports_and_setting_changes_are_audited(tmp_path: Path, store_url: str) -> None:
    config = _config(tmp_path / "a.toml")
    with Kit.from_config(config, env={}, store_url=store_url) as kit:
        out = tmp_path / "r.md"
        kit.report("md", out, period="last-7d", today=dt.date(2026, 3, 1))
        entries = kit.privacy.audit()
    assert [e.action for e in entries] == ["privacy_settings", "report"]
    report = entries[-1]
    assert (report.period, report.format, report.target) == ("last-7d", "md", str(out.resolve()))
    assert report.os_user == os_user() and report.at.tzinfo is not None
    assert entries[0].detail is not None and entries[0].detail["min_group_size"] == 5

    config = _config(tmp_path / "b.toml", "min_group_size = 10\naudit_retention_days = 30\n")
    with Kit.from_config(config, env={}, store_url=store_url) as kit:
        kit.privacy.purge(today=dt.date(2026, 3, 1))
        kit.privacy.purge(today=dt.date(2026, 3, 1))  # unchanged settings: no second row
        changes = [e for e in kit.privacy.audit() if e.action == "privacy_settings"]
        assert len(changes) == 2 and changes[-1].detail["min_group_size"] == 10  # type: ignore[index]
        # the trail keeps its own time: 30 days, whatever the facts' retention says
        old = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        with kit.engine.begin() as conn:
            conn.execute(schema.audit_log.update().values(at=old))
        result = kit.privacy.purge(today=dt.date(2026, 3, 1))
        assert result.purged["audit_log"] == 3
        # the settings in force are noted again once their row has gone
        with kit.engine.connect() as conn:
            left = conn.execute(sa.select(schema.audit_log.c.action)).scalars().all()
        assert left == ["privacy_settings"]


def test_audit_cli_lists_entries(tmp_path: Path, sqlite_url: str) -> None:
    config = _config(tmp_path / "a.toml")
    runner = CliRunner()
    args = ["-c", str(config), "--db", sqlite_url]
    result = runner.invoke(
        main, [*args, "report", "--format", "json", "--out", str(tmp_path / "r.json")]
    )
    assert result.exit_code == 8, result.output  # written, but an empty store is a data gap
    result = runner.invoke(main, ["--json", *args, "privacy", "audit"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[-1]["action"] == "report" and rows[-1]["format"] == "json"
    assert runner.invoke(main, [*args, "privacy", "audit"]).output.count(" report ") == 1

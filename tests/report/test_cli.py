"""``e20kit report`` and ``e20kit diagnose`` through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from e20kit.cli import main

from .conftest import Collected


def _run(org: Collected, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["-c", str(org.config), "--db", org.url, *args], catch_exceptions=False
    )
    return result.exit_code, result.output


def test_diagnose_healthy_prints_no_finding(healthy_org: Collected) -> None:
    code, out = _run(healthy_org, "diagnose", "--today", healthy_org.today.isoformat())
    assert code == 0
    assert out.strip().startswith("No known reason for low use was found in this period.")
    assert "pulse survey" in out  # mild gaps do not show in usage data alone
    code, out = _run(healthy_org, "--json", "diagnose", "--today", healthy_org.today.isoformat())
    assert code == 0 and json.loads(out) == []


def test_diagnose_prints_findings_with_remedies(closed_org: Collected) -> None:
    today = closed_org.today.isoformat()
    code, out = _run(closed_org, "diagnose", "--lang", "de", "--today", today)
    assert code == 0
    assert "Geschlossene Kultur" in out and "Change-Management" in out
    code, out = _run(closed_org, "--json", "diagnose", "--period", "last-90d", "--today", today)
    findings = json.loads(out)
    assert code == 0 and [f["reason"] for f in findings] == ["closed_culture"]
    assert findings[0]["evidence"][0]["metric"] == "leaders.participation_ratio"


def test_report_writes_each_format(closed_org: Collected, tmp_path: Path) -> None:
    today = closed_org.today.isoformat()
    for fmt, out in (("html", "r.html"), ("json", "r.json"), ("md", "r.md"), ("csv", "tables")):
        code, text = _run(
            closed_org,
            "report",
            "--format",
            fmt,
            "--out",
            str(tmp_path / out),
            "--period",
            "last-7d",
            "--today",
            today,
        )
        assert code == 0, text
        assert (tmp_path / out).exists()
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert doc["period"]["days"] == 7
    code, text = _run(
        closed_org,
        "--json",
        "report",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "t2"),
        "--today",
        today,
    )
    assert code == 0 and len(json.loads(text)["files"]) > 10


def test_bad_period_exits_2(closed_org: Collected, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "-c",
            str(closed_org.config),
            "--db",
            closed_org.url,
            "report",
            "--out",
            str(tmp_path / "x.html"),
            "--period",
            "fortnight",
        ],
    )
    assert result.exit_code == 2
    assert "unknown period 'fortnight'" in result.output

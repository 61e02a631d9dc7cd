"""``e20kit demo`` end to end, and the e20kit_sandboxes hook it is built on."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from e20kit import Sandbox, SandboxRun, hookimpl
from e20kit.cli import main
from e20kit.demo import run_demo
from e20kit.plugins import Plugins


def test_demo_runs_the_whole_cycle_and_writes_reports(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(main, ["--json", "demo", "--out", str(out), "--members", "120"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    first = data["first_run"]
    assert first["collect"]["ok"]
    assert all(run["facts_written"] > 0 for run in first["collect"]["connectors"])
    assert first["nominations"]["nominated"], "the demo nominates champions"
    assert (out / "report.html").stat().st_size > 10_000
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["findings"], "the default preset shows a known reason for low use"
    # the preset is named, so its finding is not read as a real result
    assert data["preset"] == "closed_culture"
    assert "preset closed_culture" in report["organisation"]
    assert "preset closed_culture" in (out / "report.html").read_text(encoding="utf-8")
    # A week later nothing new is collected: reruns never double count.
    assert data["week_later"]["collect"]["facts_written"] == 0
    # Running the demo again starts afresh and ends the same way.
    again = CliRunner().invoke(main, ["--json", "demo", "--out", str(out), "--members", "120"])
    assert again.exit_code == 0
    assert json.loads(again.stdout)["first_run"]["collect"] == first["collect"]


def test_a_registered_sandbox_is_started_and_its_connector_collected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin's e20kit_sandboxes hook feeds the demo exactly like the built-in ones."""
    started: list[Any] = []

    class FakeIntranet:
        @hookimpl
        def e20kit_sandboxes(self) -> list[Sandbox]:
            def start(org: Any, stack: contextlib.ExitStack) -> SandboxRun:
                started.append(org)
                stack.callback(started.append, "stopped")
                folder = tmp_path / "intranet"
                from e20kit.sandbox import write_csv_folder

                write_csv_folder(org, folder, platform="intranet", platforms=["confluence"])
                return SandboxRun(connector={"type": "csv", "path": str(folder)})

            return [Sandbox(name="intranet", start=start)]

    original = Plugins.__init__

    def with_fake(self: Plugins, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.extra = (*self.extra, FakeIntranet())

    monkeypatch.setattr(Plugins, "__init__", with_fake)
    result = run_demo(tmp_path / "out", members=60)
    # (named apart from the platforms: installed plugins such as e20kit-confluence serve those)
    assert "intranet" in result.served
    assert started[-1] == "stopped" and started[0].people
    runs = {r.name: r for r in result.first.collect.runs}
    assert runs["intranet"].ok and runs["intranet"].facts_written > 0


def test_the_healthy_preset_gives_no_finding_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "healthy"
    args = ["demo", "--out", str(out), "--members", "120", "--preset", "healthy"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "preset: healthy: built to show a healthy organisation" in result.output
    assert "findings for the 30 days up to the first run: 0" in result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["findings"] == []

"""An experiment set up in the config runs through ``e20kit run``: newcomers drawn once, the
hold-outs not messaged, a crash and a rerun re-draw nobody, the result in ``effects --json``
and in the report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from e20kit import Kit
from e20kit.cli import main
from e20kit.onboarding.nudges import NudgePlanner
from e20kit.sandbox import build_org, write_csv_folder
from e20kit.store import schema

ORG = build_org(members=200)
DAY = ORG.end - dt.timedelta(days=1)

EXPERIMENT = """
[[experiments]]
id = "nudges-run"
checklist = "newcomers"
holdout_share = 0.25
planned_size = 16
horizon_days = 7
"""


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET", "s-16-bytes-secret")
    write_csv_folder(ORG, tmp_path / "exports")
    path = tmp_path / "e20kit.toml"
    path.write_text(
        f'[store]\nurl = "sqlite:///{tmp_path / "s.sqlite"}"\n'
        f"[collect]\nlookback_days = {ORG.days + 400}\n"
        "[privacy]\nmin_group_size = 2\ntesting_small_groups = true\n"
        f'[connectors.exports]\ntype = "csv"\npath = "{tmp_path / "exports"}"\n'
        f'[notifiers.log]\npath = "{tmp_path / "messages.jsonl"}"\n'
        "[onboarding.nudges]\nsend_on_weekends = true\nquiet_start = '00:00'\nquiet_end = '00:00'\n"
        "weekly_cap = 10\n"
        "[champions]\nsend_on_weekends = true\nquiet_start = '00:00'\nquiet_end = '00:00'\n"
        '[[onboarding.checklists]]\nid = "newcomers"\n'
        "audience = { joined_within_days = 120 }\n"
        '[[onboarding.checklists.steps]]\nid = "post"\ncheck = "activity"\n'
        'params = { actions = ["post"], min_count = 50 }\ntitle = "Post fifty times"\n'
        + EXPERIMENT,
        encoding="utf-8",
    )
    return path


def assignments(config: Path) -> dict[str, str]:
    with Kit.from_config(config) as kit, kit.engine.connect() as conn:
        rows = conn.execute(sa.select(schema.experiment_assignments))
        return {r.member_key: r.arm for r in rows}


def messaged(tmp_path: Path) -> set[str]:
    path = tmp_path / "messages.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return {json.loads(line)["member"] for line in lines}


def invoke(config: Path, *args: str) -> str:
    done = CliRunner().invoke(main, ["-c", str(config), *args], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    return done.output


def test_run_crash_rerun_effects_and_report(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("killed while nudging")

    with monkeypatch.context() as patched:
        patched.setattr(NudgePlanner, "nudge", crash)
        with pytest.raises(RuntimeError), Kit.from_config(config) as kit:
            kit.run_cycle(now=dt.datetime.combine(DAY, dt.time(9), tzinfo=dt.UTC))
    drawn = assignments(config)
    assert len(drawn) == 16 and set(drawn.values()) == {"nudged", "hold-out"}

    invoke(config, "run", "--today", DAY.isoformat(), "--report-dir", str(tmp_path / "r"))
    assert assignments(config) == drawn  # the rerun re-drew nobody
    held = {k for k, arm in drawn.items() if arm == "hold-out"}
    assert messaged(tmp_path) and not messaged(tmp_path) & held

    invoke(config, "onboarding", "run", "--today", (DAY + dt.timedelta(days=1)).isoformat())
    assert assignments(config) == drawn

    data = json.loads(invoke(config, "effects", "--json", "--today", str(DAY + dt.timedelta(8))))
    (experiment,) = data["experiments"]
    assert experiment["id"] == "nudges-run" and abs(experiment["at_horizon"] - 16) <= 2
    assert experiment["status"] in ("conclusive", "inconclusive")
    assert experiment["difference"] is not None
    report = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    assert any(s["id"] == "effects" for s in report["sections"])

"""``e20kit onboarding``: run --dry-run, status --json, mark, import-marks, opt-out/opt-in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from e20kit.cli import main
from e20kit.store import create_engine, schema

from .helpers import (
    NOW,
    SECRET,
    Recorder,
    add_fact,
    add_member,
    days_ago,
    make_kit,
    rows,
    sent,
)

WHEN = NOW.strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def config(tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET", SECRET)
    kit = make_kit(tmp_path, sqlite_url, f'\n[store]\nurl = "{sqlite_url}"\n')
    for key in ("m1", "m2", "m3", "m4", "m5"):
        add_member(kit.engine, key, days_ago(10))
    add_fact(kit.engine, "m5", days_ago(3), "chat", "post")
    kit.close()
    return tmp_path / "e20kit.toml"


def run(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["-c", str(config), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_dry_run_prints_who_gets_what(config: Path, tmp_path: Path) -> None:
    code, out, _ = run(config, "onboarding", "run", "--dry-run", "--now", WHEN)
    assert code == 0
    lines = [line for line in out.splitlines() if line.startswith("WOULD SEND")]
    assert lines == [
        *(
            f"WOULD SEND: {key} via out: Your next step: Say hello in a channel"
            for key in ("m1", "m2", "m3", "m4")
        ),
        "WOULD SEND: m5 via out: Your next step: Attend the intro session",
    ]
    assert "dry run: nothing sent or recorded" in out
    assert sent(tmp_path) == []


def test_run_then_status_json(config: Path, tmp_path: Path) -> None:
    code, out, _ = run(config, "--json", "onboarding", "run", "--now", WHEN)
    assert code == 0
    data = json.loads(out)
    assert [n["member_key"] for n in data["nudges"]] == ["m1", "m2", "m3", "m4", "m5"]
    assert len(sent(tmp_path)) == 5
    code, out, _ = run(config, "--json", "onboarding", "status")
    steps = json.loads(out)["steps"]
    # published through the disclosure layer: sizes and counts one off, never exact
    published = [(s["step"], s["eligible"], s["completed"], s["stalled"]) for s in steps]
    assert [(step, eligible in (5, 6)) for step, eligible, _, _ in published] == [
        ("first_post", True),
        ("intro_session", True),
        ("first_page", True),
    ]
    assert published[0][2] in (1, 2) and published[0][3] in (3, 5)
    assert published[1][2] == 0 and published[1][3] in (1, 2)
    assert published[2][2:] == (0, 0)  # zeros stay zeros
    code, out, _ = run(config, "onboarding", "status")
    assert "Getting started (newcomers):" in out
    first = published[0]
    line = f"1. Say hello in a channel (first_post): {first[2]}/{first[1]} completed, {first[3]}"
    assert line + " stalled" in out  # the text prints the same published figures


def test_status_suppresses_small_checklists(config: Path) -> None:
    config.write_text(config.read_text() + "\n[privacy]\nmin_group_size = 6\n")
    run(config, "onboarding", "run", "--now", WHEN)
    _, out, _ = run(config, "--json", "onboarding", "status")
    steps = json.loads(out)["steps"]
    assert all(s["suppressed"] and s["eligible"] is None for s in steps)


def test_failed_delivery_exits_5(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from e20kit.onboarding import engine

    monkeypatch.setattr(engine.OnboardingEngine, "_notifier", lambda self, given: Recorder({"m2"}))
    code, _, err = run(config, "onboarding", "run", "--now", WHEN)
    assert code == 5
    assert "FAILED: m2 via out" in err and "mailbox unavailable" in err


def test_mark_and_import(config: Path, tmp_path: Path) -> None:
    run(config, "onboarding", "run", "--now", WHEN)
    code, out, _ = run(config, "--json", "onboarding", "mark", "m1", "intro_session")
    assert code == 0
    assert json.loads(out)["completed_now"] == ["newcomers"]
    marks = tmp_path / "marks.csv"
    marks.write_text(
        "member,step,checklist,marked_at\n"
        "m2,intro_session,newcomers,2026-02-27\n"
        "someone.new@example.org,intro_session,,\n",
        encoding="utf-8",
    )
    code, out, _ = run(config, "onboarding", "import-marks", str(marks))
    assert code == 0
    assert "2 marks imported, 1 step completed now, 1 for members not stored yet" in out
    code, out, _ = run(config, "--json", "onboarding", "status")
    intro = json.loads(out)["steps"][1]
    assert intro["step"] == "intro_session" and intro["completed"] in (1, 3)


def test_import_rejects_a_bad_file_before_writing(config: Path, tmp_path: Path) -> None:
    marks = tmp_path / "marks.csv"
    marks.write_text("member,step\nm1,intro_session\nm2,nonsense\n", encoding="utf-8")
    code, _, err = run(config, "onboarding", "import-marks", str(marks))
    assert code == 2 and "no step 'nonsense'" in err
    engine = create_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")
    assert rows(engine, schema.onboarding_marks) == 0


def test_opt_out_by_email_and_opt_in(config: Path, tmp_path: Path) -> None:
    code, out, _ = run(config, "--json", "onboarding", "opt-out", "Someone@Example.org")
    key = json.loads(out)["member"]
    assert code == 0 and "@" not in key and len(key) == 32
    code, out, _ = run(config, "onboarding", "opt-out", "m1", "--scope", "onboarding")
    assert "m1 opted out of onboarding" in out
    code, out, _ = run(config, "--json", "onboarding", "run", "--now", WHEN)
    data = json.loads(out)
    assert "m1" not in [n["member_key"] for n in data["nudges"]]
    assert data["skipped"] == {"opted_out": 1}
    code, out, _ = run(config, "onboarding", "opt-in", "m1")
    assert "1 opt-out removed" in out


def test_quiet_run_prints_only_problems(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from e20kit.onboarding import engine

    monkeypatch.setattr(engine.OnboardingEngine, "_notifier", lambda self, given: Recorder({"m2"}))
    code, out, err = run(config, "-q", "onboarding", "run", "--now", WHEN)
    assert code == 5 and out == ""
    assert err.count("FAILED") == 1 and "m2" in err

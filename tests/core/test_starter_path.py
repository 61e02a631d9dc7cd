"""The starter path as printed: ``init``, then the commands it prints, then nudges that name the
checklist's title and say how to opt out (nothing reads replies)."""

from __future__ import annotations

import datetime as dt
import json
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from e20kit.cli import main
from e20kit.clock import OrgClock
from e20kit.sandbox import build_org, write_csv_folder


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def printed_steps(out: str) -> list[str]:
    return [line.strip() for line in out.splitlines() if line.startswith("  ")]


def run_printed(line: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run one printed step as a shell would (an ``export`` sets the variable)."""
    if line.startswith("export "):
        name = line.removeprefix("export ").split("=", 1)[0]
        monkeypatch.setenv(name, "a-secret-of-more-than-16-bytes")
        return
    args = shlex.split(line, comments=True)
    assert args[0] == "e20kit"
    code, out, err = invoke(*args[1:])
    assert code == 0, f"`{line}` exited {code}: {out}{err}"


def test_init_prints_commands_that_work_as_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`init` then its next command used to fail: folder 'exports' does not exist."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("E20KIT_PSEUDONYM_SECRET", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the default store
    code, out, _ = invoke("init")
    assert code == 0
    steps = printed_steps(out)
    assert steps[0].startswith("export E20KIT_PSEUDONYM_SECRET=")
    assert steps[1] == "e20kit -c e20kit.toml collect"
    for line in steps[:2]:
        run_printed(line, monkeypatch)
    # with data in the folder it created, the printed report command works too
    today = OrgClock("Europe/Berlin").today()
    write_csv_folder(build_org(members=40, days=40, end=today), tmp_path / "exports")
    for line in steps[1:]:
        run_printed(line, monkeypatch)
    assert (tmp_path / "adoption.html").stat().st_size > 1000


def test_init_json_and_a_config_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke("init", "--json", "etc/e20kit.toml")
    assert code == 0
    data = json.loads(out)
    assert data["config"] == "etc/e20kit.toml" and data["exports_created"]
    exports = tmp_path / "etc" / "exports"
    assert Path(data["exports"]) == exports and exports.is_dir()
    assert f'path = "{exports}"' in (tmp_path / "etc" / "e20kit.toml").read_text(encoding="utf-8")


def test_db_works_after_the_subcommand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke("init")[0] == 0
    store = tmp_path / "elsewhere.sqlite"
    code, _, err = invoke("-c", "e20kit.toml", "onboarding", "status", "--db", f"sqlite:///{store}")
    assert code == 0, err
    assert store.exists()


def test_starter_nudges_name_the_checklist_and_how_to_opt_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nudges said "0 of 2 steps of **newcomers**" and "just reply and we will stop"."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET", "a-secret-of-more-than-16-bytes")
    assert invoke("init")[0] == 0
    config = tmp_path / "e20kit.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('# path = "./messages.jsonl"', 'path = "./messages.jsonl"')
    text = text.replace("[store]\n", f'[store]\nurl = "sqlite:///{tmp_path / "s.sqlite"}"\n')
    config.write_text(text, encoding="utf-8")
    today = OrgClock("Europe/Berlin").today()
    write_csv_folder(build_org(members=80, days=60, end=today), tmp_path / "exports")
    assert invoke("-c", "e20kit.toml", "collect")[0] == 0
    monday = today - dt.timedelta(days=today.weekday())
    code, out, err = invoke("-c", "e20kit.toml", "onboarding", "run", "--today", f"{monday}T09:00")
    assert code == 0, out + err
    sent = [json.loads(line) for line in Path("messages.jsonl").read_text().splitlines()]
    assert sent
    for message in sent:
        body = " ".join(message["body"].split())
        assert ("**Welcome aboard**" in body) or ("**Willkommen an Bord**" in body)
        assert "newcomers**" not in body
        assert "reply" not in body and "antworten Sie" not in body
        assert "switch them off" in body or "abgestellt" in body
    code, out, _ = invoke("-c", "e20kit.toml", "onboarding", "status")
    assert "Welcome aboard (newcomers):" in out and "Read the team handbook (read_wiki)" in out


def test_onboarding_run_warns_when_the_log_notifier_keeps_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The starter's log notifier has no path: "sent 5 nudges" went nowhere anyone reads."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET", "a-secret-of-more-than-16-bytes")
    assert invoke("init")[0] == 0
    config = tmp_path / "e20kit.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("[store]\n", f'[store]\nurl = "sqlite:///{tmp_path / "s.sqlite"}"\n'),
        encoding="utf-8",
    )
    today = OrgClock("Europe/Berlin").today()
    write_csv_folder(build_org(members=80, days=60, end=today), tmp_path / "exports")
    assert invoke("-c", "e20kit.toml", "collect")[0] == 0
    monday = today - dt.timedelta(days=today.weekday())
    code, out, err = invoke("-c", "e20kit.toml", "onboarding", "run", "--today", f"{monday}T09:00")
    assert code == 0 and "nudges sent" in out
    assert "notifier 'log' is the log notifier without a path" in err

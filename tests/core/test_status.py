"""``e20kit status``: freshness, bookmarks, lock, pending deliveries and the last run's exit
code, from the store alone; ``--check`` tries credentials without collecting."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from e20kit import Kit
from e20kit.cli import main
from e20kit.sandbox import build_org, write_csv_folder
from e20kit.store import schema

ORG = build_org(members=40, days=30)
SECRET = "s-16-bytes-secret"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET", SECRET)
    write_csv_folder(ORG, tmp_path / "exports")
    path = tmp_path / "e20kit.toml"
    path.write_text(
        f'[store]\nurl = "sqlite:///{tmp_path / "s.sqlite"}"\n'
        f"[collect]\nlookback_days = {ORG.days + 400}\n"
        f'[connectors.exports]\ntype = "csv"\npath = "{tmp_path / "exports"}"\n',
        encoding="utf-8",
    )
    return path


def test_status_after_a_collect_reads_the_store_without_secrets(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = ORG.end + dt.timedelta(days=2)
    assert invoke("-c", str(config), "collect", "--today", str(today))[0] == 0
    monkeypatch.delenv("E20KIT_PSEUDONYM_SECRET")
    code, out, err = invoke("-c", str(config), "--json", "status")
    assert code == 0, err
    data = json.loads(out)
    assert data["last_run"]["command"] == "collect" and data["last_run"]["exit_code"] == 0
    assert data["last_run"]["status"] == "ok"
    assert data["lock"] == {"held": False, "holder": None, "unfinished_run": None}
    assert data["pending_deliveries"] == {}
    (exports,) = data["connectors"]
    assert exports["name"] == "exports" and exports["type"] == "csv"
    assert exports["newest_day"] == str(ORG.end - dt.timedelta(days=1))
    assert exports["last_run"] == {
        "ok": True,
        "retries": 0,
        "facts_written": exports["last_run"]["facts_written"],
    }
    assert exports["last_run"]["facts_written"] > 0
    code, out, _ = invoke("-c", str(config), "status")
    assert code == 0
    assert "last run: collect finished" in out and ": ok, exit 0" in out
    assert "lock: free" in out and "exports (csv): last collect" in out


def test_status_names_the_lock_holder_and_a_run_that_never_finished(config: Path) -> None:
    with Kit.from_config(config) as kit:
        with kit.lock("onboarding"):
            code, out, _ = invoke("-c", str(config), "status")
            assert code == 0
            assert "lock: held by onboarding since" in out
        with kit.engine.begin() as conn:  # a run killed with SIGKILL leaves its row behind
            conn.execute(
                sa.insert(schema.runs).values(
                    command="run",
                    started_at=dt.datetime(2026, 11, 2, 9, 10, tzinfo=dt.UTC),
                    status="running",
                    detail={"pid": 4242, "host": "cron-host"},
                )
            )
    code, out, _ = invoke("-c", str(config), "status")
    assert "lock: free" in out
    assert "run started 2026-11-02 09:10 UTC (pid 4242 on cron-host) never finished" in out
    assert "last run: onboarding finished" in out


def test_a_failed_run_records_its_exit_code(config: Path, tmp_path: Path) -> None:
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace(str(tmp_path / "exports"), str(tmp_path / "gone")), "utf-8")
    assert invoke("-c", str(config), "collect")[0] == 2
    data = json.loads(invoke("-c", str(config), "--json", "status")[1])
    assert data["last_run"]["exit_code"] == 2 and data["last_run"]["status"] == "failed"


def test_status_check_tries_credentials_and_collects_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_module = pytest.importorskip("e20kit_mattermost.fake", reason="e20kit-mattermost")
    with fake_module.MattermostFake.from_org(ORG) as fake:
        path = tmp_path / "e20kit.toml"
        path.write_text(
            f'[store]\nurl = "sqlite:///{tmp_path / "s.sqlite"}"\n'
            f'[connectors.chat]\ntype = "mattermost"\nurl = "{fake.url}"\n'
            'token_env = "CHAT_TOKEN"\n[http]\nretries = 0\n',
            encoding="utf-8",
        )
        monkeypatch.setenv("CHAT_TOKEN", fake_module.ADMIN_TOKEN)
        code, out, err = invoke("-c", str(path), "status", "--check")
        assert code == 0, out + err
        assert "credentials: ok" in out
        monkeypatch.setenv("CHAT_TOKEN", "wrong-token-123")
        code, out, _ = invoke("-c", str(path), "--json", "status", "--check")
        assert code == 6
        (chat,) = json.loads(out)["connectors"]
        assert chat["check"] != "ok" and "wrong-token-123" not in out
        with Kit.from_config(path) as kit, kit.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(schema.facts)).scalar() == 0
            people = conn.execute(sa.select(sa.func.count()).select_from(schema.identities))
            assert people.scalar() == 0

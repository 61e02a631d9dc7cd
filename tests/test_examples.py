"""Every example under examples/ runs against the sandbox."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import sqlalchemy as sa

from e20kit import Kit
from e20kit.sandbox import build_org, write_csv_folder
from e20kit.store import schema

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ENV = {"E20KIT_PSEUDONYM_SECRET": "example-secret-16b"}


def load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sandbox_config(tmp_path: Path, members: int = 80, extra: str = "") -> Path:
    org = build_org(members=members)
    write_csv_folder(org, tmp_path / "exports")
    config = tmp_path / "e20kit.toml"
    config.write_text(
        f'[store]\nurl = "sqlite:///{tmp_path / "store.sqlite"}"\n'
        f"[collect]\nlookback_days = {org.days + 400}\n"
        f'[connectors.exports]\ntype = "csv"\npath = "{tmp_path / "exports"}"\n{extra}',
        encoding="utf-8",
    )
    return config


def test_weekly_report_script_runs_as_cron_would(tmp_path: Path) -> None:
    config = sandbox_config(tmp_path)
    out = tmp_path / "reports"
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "weekly_report.py"), str(config), str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (out / "adoption.html").stat().st_size > 1000
    assert (out / "adoption.md").read_text(encoding="utf-8").strip()


def test_hr_enrichment_plugin_sets_departments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugin = load(EXAMPLES / "hr_enrichment_plugin.py", "hr_enrichment_plugin")
    org = build_org(members=30)
    hr = tmp_path / "hr.csv"
    hr.write_text(
        "email,department,title\n" + "".join(f"{p.email},Research,Scientist\n" for p in org.people),
        encoding="utf-8",
    )
    monkeypatch.setenv(plugin.HR_FILE_ENV, str(hr))
    config = sandbox_config(tmp_path, members=30)
    with Kit.from_config(config, env=ENV, plugins=[plugin]) as kit:
        assert kit.collect(today=org.end).ok
        with kit.engine.connect() as conn:
            departments = set(conn.execute(sa.select(schema.members.c.department)).scalars())
    assert departments == {"Research"}


def test_post_report_to_channel_against_the_mattermost_fake(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_module = pytest.importorskip("e20kit_mattermost.fake", reason="e20kit-mattermost")
    example = load(EXAMPLES / "post_report_to_channel.py", "post_report_to_channel")
    config = sandbox_config(tmp_path)
    org = build_org(members=80)
    with Kit.from_config(config, env=ENV) as kit:
        assert kit.collect(today=org.end).ok
    with fake_module.MattermostFake.from_org(org) as fake:
        channel = next(c for c in fake.data.channels.values() if c.type == "O")
        monkeypatch.setenv("MATTERMOST_URL", fake.url)
        monkeypatch.setenv("MATTERMOST_TOKEN", fake_module.BOT_TOKEN)
        monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET", ENV["E20KIT_PSEUDONYM_SECRET"])
        assert example.main([str(config), channel.id]) == 0
        posted = fake.data.channel_posts[channel.id][-1]
        assert posted.message.startswith("#") and "Adoption" in posted.message
        assert "posted" in capsys.readouterr().out
        monkeypatch.setenv("MATTERMOST_TOKEN", "wrong-token-123")
        assert example.main([str(config), channel.id]) == 6
        assert "wrong-token-123" not in capsys.readouterr().err


def test_publish_to_microsoft365_against_the_graph_fake(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_module = pytest.importorskip("e20kit_sharepoint.fake", reason="e20kit-sharepoint")
    example = load(EXAMPLES / "publish_to_microsoft365.py", "publish_to_microsoft365")
    org = build_org(members=40)
    with fake_module.GraphFake.from_org(org) as fake:
        table = fake.table("EXAMPLE_GRAPH_SECRET")
        lines = "".join(f"{k} = {json.dumps(v)}\n" for k, v in table.items())
        config = sandbox_config(tmp_path, extra=f"[connectors.m365]\n{lines}")
        monkeypatch.setenv("EXAMPLE_GRAPH_SECRET", str(fake.tenant.app.client_secret))
        monkeypatch.setenv("E20KIT_TEAMS_WEBHOOK", fake.webhook_url)
        monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET", ENV["E20KIT_PSEUDONYM_SECRET"])
        site = f"{fake.pages.host}:{fake.pages.path}"
        assert example.main([str(config), site]) == 0
        out = capsys.readouterr().out
        assert "sharepoint:" in out and ": created https://" in out and ": posted " in out
        assert fake.pages.page("Adoption-report.aspx") is not None
        assert len(fake.workflows.posts) == 1
        assert example.main([str(config), site]) == 0  # the same week again: nothing twice
        assert ": unchanged " in capsys.readouterr().out and len(fake.workflows.posts) == 1
        assert fake.webhook_url not in out


def test_examples_run_against_e20kit_sandbox_as_documented(tmp_path: Path) -> None:
    """`e20kit sandbox` serves the fakes with data up to yesterday: the weekly report example
    runs against it without --today (it failed with HTTP 400 on fakes ending 2026-11-01)."""
    box = tmp_path / "sandbox"
    e20kit = Path(sys.executable).with_name("e20kit")
    server = subprocess.Popen(
        [str(e20kit), "sandbox", "--out", str(box), "--members", "60", "--days", "40"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        printed = []
        for line in server.stdout:  # the config is printed once every fake is serving
            printed.append(line)
            if line.startswith("# try:"):
                break
        text = "".join(printed)
        assert "[connectors." in text and "export " in text, text + server.stderr.read()
        env = dict(os.environ)
        for line in (box / "sandbox.env").read_text(encoding="utf-8").splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            env[name] = value.strip("'")
        out = tmp_path / "reports"
        done = subprocess.run(
            [sys.executable, str(EXAMPLES / "weekly_report.py"), str(box / "e20kit.toml"), out],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "Adoption report" in (out / "adoption.md").read_text(encoding="utf-8")
    finally:
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0


def test_pulse_survey_script_invites_reminds_and_reads_answers(tmp_path: Path) -> None:
    pytest.importorskip("e20kit_limesurvey")
    from e20kit_limesurvey.fake import PASSWORD, USERNAME, LimeSurveyFake

    script = load(EXAMPLES / "pulse_survey.py", "pulse_survey")
    org = build_org(members=60)
    log = tmp_path / "messages.jsonl"
    with LimeSurveyFake.from_org(org) as fake:
        extra = (
            f'[notifiers.log]\ntype = "log"\npath = "{log}"\n'
            f'[survey_sources.limesurvey]\nurl = "{fake.url}"\nusername = "{USERNAME}"\n'
            'password_env = "LS_PASSWORD"\n[survey.invitations]\nnotifier = "log"\n'
        )
        config = sandbox_config(tmp_path, members=60, extra=extra)
        monday = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
        with Kit.from_config(config, env={**ENV, "LS_PASSWORD": PASSWORD}) as kit:
            assert kit.collect(today=org.end).ok
            first = script.run_wave(kit, "2026-12", now=monday)
            invited = len(log.read_text(encoding="utf-8").splitlines())
            later = script.run_wave(kit, "2026-12", now=monday + dt.timedelta(days=7))
            again = script.run_wave(kit, "2026-12", now=monday + dt.timedelta(days=7, hours=1))
    assert first[0] == f"2026-12: {invited} messages sent" and invited > 40
    assert later[0] == f"2026-12: {invited} messages sent"  # the reminders
    assert again[0] == "2026-12: 0 messages sent"
    assert "new answers" in first[1] and int(first[1].split()[1]) > 10
    assert again[1].startswith("2026-12: 0 new answers")

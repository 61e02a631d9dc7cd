from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from e20kit import Kit, __version__
from e20kit.cli import main

from .distributions import GOOD_PLUGIN, TOKEN_PLUGIN, make_distribution
from .helpers import ACTIVITY, write_config, write_exports

SECRET = "tok-3c1b9e77-KNOWN-SECRET"


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET", "s-16-bytes-secret")
    exports = write_exports(tmp_path / "exports")
    return write_config(
        tmp_path / "e20kit.toml", exports=exports, store_url=f"sqlite:///{tmp_path / 's.sqlite'}"
    )


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_help_and_version() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for command in ("init", "collect", "plugins", "demo"):
        assert command in out
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


def test_init_writes_a_config_that_loads(tmp_path: Path) -> None:
    target = tmp_path / "e20kit.toml"
    code, _out, _ = run("init", str(target))
    assert code == 0 and target.exists()
    from e20kit import load_config

    assert load_config(target, env={}).settings.organisation.timezone == "Europe/Berlin"
    code, _, err = run("init", str(target))
    assert code == 2 and "--force" in err


def test_starter_config_checklist_and_champions_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET", "s-16-bytes-secret")
    target = tmp_path / "e20kit.toml"
    assert run("init", str(target))[0] == 0
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    code, _, err = run("-c", str(target), "--db", db, "onboarding", "run", "--dry-run")
    assert code == 0, err
    code, _, err = run("-c", str(target), "--db", db, "champions", "nominate", "--dry-run")
    assert code == 2 and "privacy.champion_scoring = true" in err  # a decision, off by default
    monkeypatch.setenv("E20KIT_PRIVACY__CHAMPION_SCORING", "true")
    code, _, err = run("-c", str(target), "--db", db, "champions", "nominate", "--dry-run")
    assert code == 0, err


def test_collect_json_output(configured: Path) -> None:
    code, out, _ = run("-c", str(configured), "--json", "collect", "--today", "2026-10-25")
    assert code == 0
    data = json.loads(out)
    assert data["ok"] and data["facts_written"] == len(ACTIVITY)


def test_bad_config_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "never.sqlite"
    path = tmp_path / "bad.toml"
    path.write_text(f'[store]\nurl = "sqlite:///{db}"\n[collect]\nbatch_size = "big"\n')
    code, _out, err = run("-c", str(path), "collect")
    assert code == 2
    assert str(path) in err and "collect.batch_size" in err and "'big'" in err
    assert not db.exists()


def test_second_concurrent_run_exits_75(configured: Path) -> None:
    kit = Kit.from_config(configured)
    with kit.lock("test"):
        code, _, err = run("-c", str(configured), "collect")
    kit.close()
    assert code == 75 and "another e20kit run holds the lock" in err
    assert run("-c", str(configured), "collect", "--today", "2026-10-25")[0] == 0


def test_plugins_json_lists_builtins(configured: Path) -> None:
    code, out, _ = run("-c", str(configured), "--json", "plugins")
    data = json.loads(out)
    assert code == 0
    assert any(p["name"] == "builtin" for p in data["plugins"])
    assert "csv" in data["connectors"] and "log" in data["notifiers"]
    assert {"confluence", "sharepoint", "teams"} <= set(data["publishers"])  # the --publish schemes


# -- a token never leaks --------------------------------------------------------------------


class Rejecting(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"id": "api.context.session_expired.app_error", "message": "expired"}'
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def rejecting_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Rejecting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_known_token_appears_nowhere_in_output_or_logs(
    tmp_path: Path,
    rejecting_server: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET", "s-16-bytes-secret")
    monkeypatch.setenv("T_TOKEN", SECRET)
    path = tmp_path / "e20kit.toml"
    path.write_text(
        f'[store]\nurl = "sqlite:///{tmp_path / "s.sqlite"}"\n[http]\nretries = 0\n'
        f'[connectors.chat]\ntype = "tokened"\nurl = "{rejecting_server}"\ntoken_env = "T_TOKEN"\n'
    )
    make_distribution(tmp_path / "site", "e20kit-tokened", "e20kit_tok_mod", TOKEN_PLUGIN, "tok")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    with caplog.at_level(logging.DEBUG):
        result = CliRunner().invoke(main, ["-vv", "-c", str(path), "--json", "collect"])
    everything = result.stdout + result.stderr + caplog.text + repr(result.exception)
    # rejected before anything was read: a rerun cannot help, so exit 2 naming the key to fix
    assert result.exit_code == 2, everything
    data = json.loads(result.stdout)
    error = data["connectors"][0]["error"]
    assert "chat" in error and rejecting_server in error and "401" in error
    assert "connectors.chat.token_env" in error
    assert SECRET not in everything


def test_cli_as_a_real_subprocess_loads_an_installed_plugin(
    configured: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    make_distribution(site, "e20kit-sample", "e20kit_sample_mod", GOOD_PLUGIN, "sample")
    env = {**os.environ, "PYTHONPATH": str(site), "E20KIT_PSEUDONYM_SECRET": "s-16-bytes-secret"}
    env.pop("E20KIT_DISABLE_PLUGINS", None)
    done = subprocess.run(
        [sys.executable, "-m", "e20kit", "-c", str(configured), "--json", "plugins"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    names = {p["name"] for p in json.loads(done.stdout)["plugins"]}
    assert {"builtin", "sample"} <= names
    done = subprocess.run(
        [sys.executable, "-m", "e20kit", "-c", str(configured), "collect", "--today", "2026-10-25"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"{len(ACTIVITY)} facts written" in done.stdout
    assert done.stderr == ""  # quiet when not on a terminal


def test_starter_config_connector_examples_are_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("e20kit_confluence")
    pytest.importorskip("e20kit_sharepoint")
    pytest.importorskip("e20kit_limesurvey")
    target = tmp_path / "e20kit.toml"
    assert run("init", str(target))[0] == 0
    lines, inside = [], False
    examples = ("# [connectors.wiki]", "# [connectors.m365]", "# [survey_sources.", "# [survey.")
    for line in target.read_text(encoding="utf-8").splitlines():
        if line.startswith(examples):
            inside = True
        elif not line.startswith("# "):
            inside = False
        lines.append(line.removeprefix("# ") if inside else line)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tables = {line.split()[0] for line in lines if line.startswith("[connectors.")}
    assert {"[connectors.wiki]", "[connectors.m365]"} <= tables
    assert "[survey_sources.limesurvey]" in lines and "[survey.invitations]" in lines
    secrets = ("CONFLUENCE_API_TOKEN", "M365_CLIENT_SECRET", "LIMESURVEY_PASSWORD")
    for name in ("E20KIT_PSEUDONYM_SECRET", *secrets):
        monkeypatch.setenv(name, "a-secret-of-sixteen-bytes")
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    # every command checks the whole config first: the uncommented examples must validate
    code, _, err = run("-c", str(target), "--db", db, "onboarding", "run", "--dry-run")
    assert code == 0, err

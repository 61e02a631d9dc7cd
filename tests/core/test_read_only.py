"""Commands that only read the store run without any platform secret (issue 21 item 6); the
commands that call a platform still refuse before they write anything.

On 8bc5a9f ``report --lang de`` on the demo store exited 2 on an unset connector token."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from e20kit import Kit
from e20kit.cli import main
from e20kit.sandbox import build_org, write_csv_folder

SECRET = {"E20KIT_PSEUDONYM_SECRET": "a-secret-of-16-bytes"}


@pytest.fixture
def collected(tmp_path: Path) -> tuple[Path, str]:
    """A store filled by the csv connector; the config also names a Mattermost connector and
    notifier whose token variable is not set."""
    org = build_org(seed=5, members=30, departments=2, days=20)
    write_csv_folder(org, tmp_path / "export")
    store = f"sqlite:///{tmp_path / 'store.sqlite'}"
    hr = f'[connectors.hr]\ntype = "csv"\npath = "{tmp_path / "export"}"\n'
    config = tmp_path / "e20kit.toml"
    config.write_text(hr, "utf-8")
    with Kit.from_config(config, env=SECRET, store_url=store) as kit:
        assert kit.collect(today=org.end).ok
    chat = '[connectors.chat]\ntype = "mattermost"\nurl = "https://chat.example.org"\n'
    dm = '[notifiers.dm]\ntype = "mattermost"\nurl = "https://chat.example.org"\n'
    config.write_text(
        f'{hr}\n{chat}token_env = "MM_TOKEN_NOT_SET"\n\n{dm}token_env = "MM_TOKEN_NOT_SET"\n',
        "utf-8",
    )
    return config, store


@pytest.mark.parametrize(
    "command",
    [
        ("report", "--lang", "de", "--format", "md", "--out", "{tmp}/r.md"),
        ("diagnose",),
        ("privacy", "inventory", "--lang", "de"),
        ("privacy", "audit", "--verify"),
        ("onboarding", "status"),
        ("champions", "list"),
    ],
)
def test_reading_commands_need_no_platform_secret(
    collected: tuple[Path, str], tmp_path: Path, command: tuple[str, ...]
) -> None:
    config, store = collected
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    result = CliRunner(env=SECRET).invoke(main, ["-c", str(config), "--db", store, *args])
    assert result.exit_code in (0, 8), result.output + result.stderr
    assert "MM_TOKEN_NOT_SET" not in result.stderr


@pytest.mark.parametrize("command", [("collect",), ("onboarding", "run", "--dry-run")])
def test_commands_that_call_a_platform_still_need_its_secret(
    collected: tuple[Path, str], command: tuple[str, ...]
) -> None:
    config, store = collected
    result = CliRunner(env=SECRET).invoke(main, ["-c", str(config), "--db", store, *command])
    assert result.exit_code == 2
    assert "missing secret" in result.stderr and "MM_TOKEN_NOT_SET" in result.stderr


def test_a_misshapen_table_is_still_an_error_for_reading_commands(
    collected: tuple[Path, str],
) -> None:
    """Only the environment is read lazily: the file itself is checked as before."""
    config, store = collected
    config.write_text(config.read_text("utf-8") + 'retries = "many"\n', "utf-8")
    result = CliRunner(env=SECRET).invoke(main, ["-c", str(config), "--db", store, "diagnose"])
    assert result.exit_code == 2 and "notifiers.dm" in result.stderr

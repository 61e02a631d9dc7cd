"""Exit 2 means nothing was written: no store file, no tables, no folders (case 9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from e20kit.cli import main

MM = '[connectors.chat]\ntype = "mattermost"\nurl = "https://chat.example.org"\n'


def _cli(tmp_path: Path, config: str, *args: str, env: dict[str, str] | None = None) -> tuple:
    path = tmp_path / "e20kit.toml"
    path.write_text(config, encoding="utf-8")
    env = {"E20KIT_PSEUDONYM_SECRET": "a-secret-of-16-bytes", "MM_TOKEN": "tok", **(env or {})}
    result = CliRunner(env=env).invoke(main, ["-c", str(path), *args], catch_exceptions=False)
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("config", "env", "says"),
    [
        (MM + 'token = "inline"\n', {}, "must not hold a secret"),
        (MM + 'token_env = "NOT_SET"\n', {}, "missing secret"),
        ('[connectors.x]\ntype = "nosuchtype"\n', {}, "no installed plugin"),
        (
            '[connectors.chat]\ntype = "mattermost"\nurl = "ftp://x"\ntoken_env = "MM_TOKEN"\n',
            {},
            "url",
        ),
        (MM + 'token_env = "MM_TOKEN"\n', {"E20KIT_PSEUDONYM_SECRET": "short"}, "16 bytes"),
        ('[notifiers.dm]\ntype = "mattermost"\nurl = "https://c.example.org"\n', {}, "token"),
    ],
)
@pytest.mark.parametrize(
    "command", [("collect",), ("report", "--format", "json", "--out", "r.json")]
)
def test_a_config_error_creates_no_store(
    tmp_path: Path, config: str, env: dict[str, str], says: str, command: tuple[str, ...]
) -> None:
    if command[0] == "report" and says == "missing secret":
        pytest.skip("report only reads the store: it needs no platform secret (test_read_only)")
    store = tmp_path / "store.sqlite"
    code, err = _cli(tmp_path, f'[store]\nurl = "sqlite:///{store}"\n{config}', *command, env=env)
    assert code == 2, err
    assert says in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e20kit.toml"]


def test_a_store_folder_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    store = tmp_path / "nonexistent" / "dir" / "x.sqlite"
    code, err = _cli(tmp_path, f'[store]\nurl = "sqlite:///{store}"\n', "collect")
    assert code == 2 and "store.url" in err and "does not exist" in err
    assert not (tmp_path / "nonexistent").exists()

"""Typed plugin contexts: the core validates settings and registers their secrets once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel, SecretStr

from e20kit import HttpSession, load_config
from e20kit.instances import plugin_context, secret_values


class Login(BaseModel):
    user: str
    password: SecretStr


class WikiSettings(BaseModel):
    url: str
    token: SecretStr
    logins: list[Login] = []
    by_site: dict[str, Login] = {}
    note: str = "token-like text that is not a secret"


def settings() -> WikiSettings:
    return WikiSettings(
        url="https://wiki.example.org",
        token=SecretStr("tok-top"),
        logins=[Login(user="a", password=SecretStr("pw-in-list"))],
        by_site={"eu": Login(user="b", password=SecretStr("pw-in-dict"))},
    )


def test_every_secret_is_found_once_nested_ones_included() -> None:
    twice = settings().model_copy(update={"by_site": {"x": Login(user="c", password="tok-top")}})
    assert secret_values(settings()) == ("tok-top", "pw-in-list", "pw-in-dict")
    assert secret_values(twice) == ("tok-top", "pw-in-list")
    assert "token-like text that is not a secret" not in secret_values(settings())


def test_sessions_from_the_context_mask_the_settings_secrets_unasked() -> None:
    context = plugin_context(load_config(env={}), "connectors", "wiki", settings())
    assert context.settings.token.get_secret_value() == "tok-top"  # typed: no isinstance
    session = context.http(base_url="https://wiki.example.org")
    assert isinstance(session, HttpSession)
    assert {"tok-top", "pw-in-list", "pw-in-dict"} <= set(session.secrets)
    late = context.http(secrets=("runtime-oauth-token",))
    assert isinstance(late, HttpSession)
    assert {"tok-top", "runtime-oauth-token"} <= set(late.secrets)
    session.close()
    late.close()


TYPED_FACTORIES = """
from collections.abc import Iterator, Mapping

from pydantic import BaseModel

from e20kit import ActivityItem, ConnectorType, Person, PluginContext, Window


class WikiSettings(BaseModel):
    url: str


class ChatSettings(BaseModel):
    server: str


class WikiConnector:
    capabilities = frozenset({"people"})

    def __init__(self, context: PluginContext[WikiSettings]) -> None:
        self.url: str = context.settings.url

    def people(self) -> Iterator[Person]:
        return iter(())

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[ActivityItem]:
        return iter(())

    def close(self) -> None:
        return None


FITS = ConnectorType(name="wiki", settings=WikiSettings, factory=WikiConnector)
ANY: ConnectorType = FITS
WRONG = ConnectorType(name="chat", settings=ChatSettings, factory=WikiConnector)
"""


@pytest.mark.slow
def test_mypy_accepts_a_typed_factory_and_rejects_one_for_other_settings(tmp_path: Path) -> None:
    module = tmp_path / "typed_factories.py"
    module.write_text(TYPED_FACTORIES, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--follow-imports=silent",
            str(module),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    lines = TYPED_FACTORIES.splitlines()
    wrong = next(n for n, line in enumerate(lines, start=1) if line.startswith("WRONG"))
    assert len(errors) == 1, done.stdout
    assert f"typed_factories.py:{wrong}:" in errors[0]
    assert 'incompatible type "type[WikiConnector]"' in errors[0]
    assert "PluginContext[ChatSettings]" in errors[0]

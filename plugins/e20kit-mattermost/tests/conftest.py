"""Shared fixtures: a small synthetic org served by the fake, and a Kit aimed at it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from e20kit_mattermost.fake import ADMIN_TOKEN, MattermostFake

from e20kit import Kit, load_config
from e20kit.sandbox.org import Org, build_org

TOKEN_ENV = "MM_TEST_TOKEN"
SECRET = "test-secret-not-for-production"


@pytest.fixture(scope="session")
def org() -> Org:
    return build_org(seed=11, members=30, days=21)


@pytest.fixture
def fake(org: Org) -> Iterator[MattermostFake]:
    with MattermostFake.from_org(org) as server:
        yield server


@pytest.fixture
def today(org: Org) -> dt.date:
    return org.end - dt.timedelta(days=1)


KitFactory = Callable[..., Kit]


@pytest.fixture
def make_kit(tmp_path: Path) -> Iterator[KitFactory]:
    """``make_kit(url, store_url, token=..., **connector_options)`` -> a Kit with one connector."""
    kits: list[Kit] = []

    def factory(url: str, store_url: str, *, token: str = ADMIN_TOKEN, **options: Any) -> Kit:
        extra = "".join(f"{k} = {_toml(v)}\n" for k, v in options.items())
        path = tmp_path / f"e20kit-{len(kits)}.toml"
        path.write_text(
            f"""
[collect]
lookback_days = 25

[http]
retries = 6
backoff_factor = 0.001
backoff_max_s = 0.02
timeout_s = 5

[connectors.chat]
type = "mattermost"
url = "{url}"
token_env = "{TOKEN_ENV}"
{extra}"""
        )
        env = {TOKEN_ENV: token, "E20KIT_PSEUDONYM_SECRET": SECRET}
        kit = Kit(load_config(path, env=env), store_url=store_url)
        kits.append(kit)
        return kit

    yield factory
    for kit in kits:
        kit.close()


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)

"""Shared fixtures: a small synthetic org served by the fake, and Kits aimed at it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from confluence_testkit import LOOKBACK, SECRET, TOKEN_ENV, KitFactory, toml
from e20kit_confluence.fake import ConfluenceFake

from e20kit import Kit, load_config
from e20kit.sandbox import Org, build_org

DEPLOYMENTS = {
    "cloud": {"cloud": True},
    "dc": {"cloud": False},
    "dc-context": {"cloud": False, "context": "/confluence"},
}


@pytest.fixture(scope="session")
def org() -> Org:
    return build_org(seed=11, members=30, days=21)


@pytest.fixture
def today(org: Org) -> dt.date:
    return org.end - dt.timedelta(days=1)


@pytest.fixture(params=sorted(DEPLOYMENTS))
def deployment(request: pytest.FixtureRequest) -> dict[str, Any]:
    return dict(DEPLOYMENTS[request.param])


@pytest.fixture
def fake(org: Org, deployment: dict[str, Any]) -> Iterator[ConfluenceFake]:
    with ConfluenceFake.from_org(org, hidden_emails=0.3, **deployment) as server:
        yield server


@pytest.fixture
def make_kit(tmp_path: Path) -> Iterator[KitFactory]:
    """``make_kit(fake, store_url, token=..., **connector_options)`` -> a Kit with one connector."""
    kits: list[Kit] = []

    def factory(
        fake: ConfluenceFake,
        store_url: str,
        *,
        token: str | None = None,
        tables: dict[str, dict[str, Any]] | None = None,
        **options: Any,
    ) -> Kit:
        tables = dict(tables or {})
        http = {"retries": 6, "backoff_factor": 0.001, "backoff_max_s": 0.02, "timeout_s": 5}
        tables = {
            **tables,
            "collect": {"lookback_days": LOOKBACK},
            "http": {**http, **tables.get("http", {})},
            "connectors.wiki": {**fake.settings(), **options},
        }
        path = tmp_path / f"e20kit-{len(kits)}.toml"
        path.write_text(toml(tables))
        env = {TOKEN_ENV: token or fake.token, "E20KIT_PSEUDONYM_SECRET": SECRET}
        kit = Kit(load_config(path, env=env), store_url=store_url)
        kits.append(kit)
        return kit

    yield factory
    for kit in kits:
        kit.close()

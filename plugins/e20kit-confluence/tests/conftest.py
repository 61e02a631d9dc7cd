"""Shared fixtures: a small synthetic org served by the fake, and Kits aimed at it."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from e20kit_confluence import ConfluenceConnector, ConfluenceSettings
from e20kit_confluence.fake import ConfluenceFake

from e20kit import HttpSession, Kit, PluginContext, load_config, make_session
from e20kit.sandbox import Org, build_org
from e20kit.testing import table_rows

TOKEN_ENV = "E20KIT_CONFLUENCE_TOKEN"
SECRET = "test-secret-not-for-production"
LOOKBACK = 25

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


KitFactory = Callable[..., Kit]


def toml(tables: dict[str, dict[str, Any]]) -> str:
    lines = []
    for section, table in tables.items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in table.items()]
    return "\n".join(lines) + "\n"


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
        tables = {
            **(tables or {}),
            "collect": {"lookback_days": LOOKBACK},
            "http": {"retries": 6, "backoff_factor": 0.001, "backoff_max_s": 0.02, "timeout_s": 5},
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


def context_for(fake: ConfluenceFake, **options: Any) -> PluginContext:
    """The plugin context the core would build for ``fake.settings()`` (secrets resolved)."""
    values = {**fake.settings(), **options}
    values.pop("type")
    for key in ("api_token_env", "token_env"):
        if key in values:
            values[key.removesuffix("_env")] = fake.token
            del values[key]
    settings = ConfluenceSettings.model_validate(values)

    def http(**kwargs: Any) -> HttpSession:
        return make_session("wiki", secrets=(fake.token,), **kwargs)

    return PluginContext(name="wiki", settings=settings, http=http, logger=logging.getLogger("t"))


def connector_for(fake: ConfluenceFake, **options: Any) -> ConfluenceConnector:
    """The connector built as the core builds it, without a store."""
    return ConfluenceConnector(context_for(fake, **options))


def table(engine: sa.Engine, name: str) -> sa.Table:
    """A store table by name, reflected (plugin tests read the store as an outsider would)."""
    return sa.Table(name, sa.MetaData(), autoload_with=engine)


def rows(engine: sa.Engine, name: str) -> list[tuple[object, ...]]:
    return table_rows(engine, table(engine, name))


def empty_store(url: str) -> None:
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        for each in reversed(meta.sorted_tables):
            conn.execute(each.delete())
    engine.dispose()

"""Helpers the Confluence plugin tests share (a unique module name: several plugins' tests
run in one session, and each has its own conftest)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from e20kit_confluence import ConfluenceConnector, ConfluenceSettings
from e20kit_confluence.fake import ConfluenceFake

from e20kit import HttpSession, Kit, PluginContext, make_session
from e20kit.testing import table_rows

TOKEN_ENV = "E20KIT_CONFLUENCE_TOKEN"
SECRET = "test-secret-not-for-production"
LOOKBACK = 25

KitFactory = Callable[..., Kit]


def toml(tables: dict[str, dict[str, Any]]) -> str:
    lines = []
    for section, table in tables.items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in table.items()]
    return "\n".join(lines) + "\n"


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


def attributes_by_person(engine: sa.Engine) -> dict[str, dict[str, Any]]:
    """Person id -> the attributes the store keeps for that account."""
    ident = table(engine, "identities")
    with engine.connect() as conn:
        found = conn.execute(sa.select(ident.c.person_id, ident.c.attributes)).all()
    return {str(pid): dict(attrs) for pid, attrs in found}


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

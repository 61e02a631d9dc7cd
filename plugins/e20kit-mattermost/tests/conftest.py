"""Shared fixtures: a small synthetic org served by the fake, and a Kit aimed at it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from e20kit_mattermost.fake import ADMIN_TOKEN, MattermostFake

from e20kit import Kit
from e20kit.sandbox import Org, build_org
from e20kit.testing import build_kit

TOKEN_ENV = "MM_TEST_TOKEN"


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
    """``make_kit(url, store_url=None, token=..., **connector_options)`` -> a Kit collecting
    connector ``chat`` from ``url`` (a fresh SQLite store unless ``store_url`` is given)."""
    kits: list[Kit] = []

    def factory(
        url: str, store_url: str | None = None, *, token: str = ADMIN_TOKEN, **options: Any
    ) -> Kit:
        kit = build_kit(
            tmp_path,
            connectors={
                # the tests opt in to direct messages (off by default), as the demo does
                "chat": {
                    "type": "mattermost",
                    "url": url,
                    "token_env": TOKEN_ENV,
                    "direct_messages": True,
                    **options,
                }
            },
            settings={"collect": {"lookback_days": 25}},
            store_url=store_url,
            env={TOKEN_ENV: token},
        )
        kits.append(kit)
        return kit

    yield factory
    for kit in kits:
        kit.close()

"""Shared fixtures: a small synthetic org, a test CA made with trustme, and the Graph fake."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import trustme
from e20kit_sharepoint.fake import GraphFake

from e20kit.sandbox import Org, build_org


@pytest.fixture(scope="session")
def org() -> Org:
    return build_org(seed=11, members=30, days=40)


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    """The throwaway CA that signs the fake authority's certificate."""
    return trustme.CA()


@pytest.fixture
def fake(org: Org, ca: trustme.CA) -> Iterator[GraphFake]:
    with GraphFake.from_org(org, ca=ca, teams_from_mattermost=True, window_s=1.0) as server:
        yield server


@pytest.fixture
def today(org: Org) -> dt.date:
    return org.end - dt.timedelta(days=1)

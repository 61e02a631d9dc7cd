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


SECRET_ENV = "M365_TEST_CLIENT_SECRET"

SHAREPOINT_FACT = {
    "view": ("view", "files"),
    "edit": ("view", "files"),
    "create": ("view", "files"),
    "comment": ("view", "files"),
    "sync": ("sync", "files"),
    "share": ("share", "files"),
    "visit": ("visit", "site"),
}
"""How the fake folds the org's SharePoint events into report columns, as the connector reads
them back: (action, feature) of the stored fact."""


def expected_totals(org: Org, first: dt.date, last: dt.date) -> dict[tuple[str, str], int]:
    """(action, feature) -> count the connector must store for the days ``first..last``."""
    out: dict[tuple[str, str], int] = {}
    for member, event in org.iter_events(["sharepoint", "mattermost"]):
        if not first <= event.day <= last or not member.active:
            continue
        action, feature = event.action.value, event.feature.value
        key: tuple[str, str] | None
        if event.platform == "sharepoint":
            key = SHAREPOINT_FACT[action]
        elif feature == "chat" and action in ("post", "reply"):
            key = ("post", "chat")
        elif feature == "discussion" and action in ("post", "reply"):
            key = (action, "discussion")
        else:
            key = None
        if key is not None:
            out[key] = out.get(key, 0) + event.count
    return out

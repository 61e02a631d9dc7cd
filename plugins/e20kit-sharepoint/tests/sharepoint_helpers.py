"""What the tests expect of the fake's organisation (a module, not a conftest, so it imports
under one name however the suite is collected)."""

from __future__ import annotations

import datetime as dt

from e20kit_sharepoint.fake import GraphFake
from e20kit_sharepoint.reports import SHAREPOINT_ACTIVITY

from e20kit.sandbox import Org

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
        if not first <= event.day <= last:
            continue
        if event.platform == "sharepoint" and event.action.value == "visit" and event.container:
            # the site report's page views name nobody: leavers' views count too
            out[("view", "site")] = out.get(("view", "site"), 0) + event.count
        if not member.active:
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


LATE_SYNCS = 7
"""Synced files :func:`revise_and_add_a_day` adds: 5 on the revised day, 2 on the next."""


def revise_and_add_a_day(fake: GraphFake) -> None:
    """Microsoft revises the as-of day (5 more synced files for one member) and the next day's
    data arrives (2 more): what a later run must read, counted once."""
    as_of = fake.tenant.refreshed
    user = next(
        u
        for u in fake.tenant.users
        if u.enabled and u.user_type == "Member" and u.created.date() <= as_of
    )
    fake.tenant.add(SHAREPOINT_ACTIVITY, as_of, user.id, "Synced File Count", 5)
    fake.tenant.latency_days -= 1
    fake.tenant.add(
        SHAREPOINT_ACTIVITY, as_of + dt.timedelta(days=1), user.id, "Synced File Count", 2
    )

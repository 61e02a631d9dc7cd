"""What the tests expect of the fake's organisation (a module, not a conftest, so it imports
under one name however the suite is collected)."""

from __future__ import annotations

import datetime as dt

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

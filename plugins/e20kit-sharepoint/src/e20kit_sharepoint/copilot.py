"""Microsoft 365 Copilot (beta): days of use, from the last-activity dates Microsoft gives.

``getMicrosoft365CopilotUsageUserDetail`` is a **beta** report, moving from ``/reports`` to
``/copilot/reports``. It has only the ``period=`` form, lists licensed users only, and holds no
counts: per member and Copilot app, the last day of use. Each read therefore turns into honest
facts only this way: a ``visit`` of the app's Copilot on that last day (count 1). Reading again
after the date moved adds the new day; the same date again changes nothing (facts are upserted
by key, so no ``Replace`` is needed and nothing earlier is ever deleted).

Only uses after the previous read's refresh date are yielded (none when the refresh date did
not move), so reading an unchanged report again writes nothing.

What is lost between two reads: every day of use but the last per app. With a daily run and
Microsoft's refresh date moving one day at a time, each day of use is seen; when runs are
missed, or the refresh date jumps, the days in between that were not the last are gone for good,
and the first read ever gives one day per app. A use Microsoft adds late, dated on or before a
refresh date already read, is not seen either. Days are never invented, so Copilot figures are
a lower bound.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from e20kit import Action, Feature, Stream

from .reports import REFRESH, UPN, Report, _columns, csv_records, is_concealed
from .settings import COPILOT

FUNCTION = "getMicrosoft365CopilotUsageUserDetail"
PERIOD = "D7"
"""The shortest period: the last-activity dates do not depend on it, the rows do (users with
Copilot enabled in it)."""
PATHS = (
    f"/copilot/reports/{FUNCTION}(period='{PERIOD}')?$format=text/csv",
    f"/reports/{FUNCTION}(period='{PERIOD}')?$format=text/csv",
)
"""Where the beta report lives: its new place first, then where it was (each run asks in this
order: one request while the new place answers, two while only the old one does)."""
FALLBACK_STATUSES = frozenset({400, 404})
"""What Graph answers for a function it does not know at that path."""

APPS: dict[str, tuple[str, Feature]] = {
    # column -> (container suffix, feature of the app it helps in)
    "Microsoft Teams Copilot Last Activity Date": ("teams", Feature.CHAT),
    "Word Copilot Last Activity Date": ("word", Feature.FILES),
    "Excel Copilot Last Activity Date": ("excel", Feature.FILES),
    "PowerPoint Copilot Last Activity Date": ("powerpoint", Feature.FILES),
    "Outlook Copilot Last Activity Date": ("outlook", Feature.CHAT),
    "OneNote Copilot Last Activity Date": ("onenote", Feature.WIKI),
    "Loop Copilot Last Activity Date": ("loop", Feature.WIKI),
    "Copilot Chat Last Activity Date": ("chat", Feature.CHAT),
}
"""The per-app last-activity columns; ``Last Activity Date`` (any app) adds nothing to them."""

COPILOT_USAGE = Report(
    function=FUNCTION,
    label="Microsoft 365 Copilot usage user detail (beta)",
    columns=_columns(
        "Report Refresh Date,Report Period,User Principal Name,Display Name,Last Activity Date,"
        "Microsoft Teams Copilot Last Activity Date,Word Copilot Last Activity Date,"
        "Excel Copilot Last Activity Date,PowerPoint Copilot Last Activity Date,"
        "Outlook Copilot Last Activity Date,OneNote Copilot Last Activity Date,"
        "Loop Copilot Last Activity Date,Copilot Chat Last Activity Date"
    ),
    counts={},
    container="m365:copilot:",
    platform=COPILOT,
    setting="copilot",
)
STREAM = Stream(
    COPILOT_USAGE.stream,
    required=False,
    provides="Microsoft 365 Copilot days of use (beta report)",
)


def beta_url(graph_url: str) -> str:
    """The beta base next to ``graph_url`` (``.../v1.0`` -> ``.../beta``)."""
    base = graph_url.rstrip("/")
    return (base.rsplit("/", 1)[0] if base.endswith("/v1.0") else base) + "/beta"


@dataclass(frozen=True)
class Use:
    """One member's last day of use of one app's Copilot, as one read saw it."""

    user: str
    """User principal name, lower-cased (or the concealed hash)."""
    day: dt.date
    container: str
    feature: Feature


@dataclass(frozen=True)
class CopilotRead:
    users: list[str]
    """Every user the report lists (licensed users), used or not."""
    uses: list[Use]
    refreshed: dt.date | None
    bad_lines: list[int]
    """Lines with a date that is not a date (left out, named)."""


def parse_copilot(body: bytes, *, connector: str, endpoint: str) -> CopilotRead:
    """The last days of use of every member the report lists."""
    users: list[str] = []
    uses: list[Use] = []
    bad: list[int] = []
    refreshed: dt.date | None = None
    label = COPILOT_USAGE.label
    for line, record in csv_records(
        COPILOT_USAGE, label, body, connector=connector, endpoint=endpoint
    ):
        user = (record.get(UPN) or "").strip()
        if not user:
            continue
        key = user if is_concealed(user) else user.lower()
        users.append(key)
        try:
            row_refreshed = _date(record.get(REFRESH))
            found = [(column, _date(record.get(column))) for column in APPS]
        except ValueError:
            bad.append(line)
            continue
        if row_refreshed is not None:
            refreshed = max(refreshed or row_refreshed, row_refreshed)
        for column, day in found:
            if day is not None:
                suffix, feature = APPS[column]
                uses.append(Use(key, day, COPILOT_USAGE.container + suffix, feature))
    return CopilotRead(users, uses, refreshed, bad)


def _date(value: str | None) -> dt.date | None:
    text = (value or "").strip()
    return dt.date.fromisoformat(text) if text else None


def new_uses(
    uses: list[Use], first: dt.date, last: dt.date, read_before: dt.date | None
) -> Iterator[Use]:
    """The uses on days the run covers and after ``read_before`` (the refresh date of the
    previous read: an older last use was read then, or is history older than the window asked
    for; a use after ``last`` is a clock gone wrong)."""
    start = first if read_before is None else max(first, read_before + dt.timedelta(days=1))
    return (u for u in uses if start <= u.day <= last)


ACTION = Action.VISIT
"""A day of use: presence, never a contribution (Copilot writes, the member does not post)."""

__all__ = [
    "ACTION",
    "APPS",
    "COPILOT_USAGE",
    "FALLBACK_STATUSES",
    "PATHS",
    "STREAM",
    "CopilotRead",
    "Use",
    "beta_url",
    "new_uses",
    "parse_copilot",
]

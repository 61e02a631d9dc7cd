"""The Graph usage reports the connector reads, their documented CSV columns, and the parser.

Each report is asked for one day at a time with the ``date=`` form and answers one row per
user, or (site usage) one row per site. Every column that carries a count (or, in the apps
report, a Yes/No) maps to one documented :class:`~e20kit.Action` and :class:`~e20kit.Feature`;
the other documented columns are known and unused. Each per-user report stores its facts under
its own pseudo-container and platform, so re-reading one report's day replaces exactly that
report's facts. The site usage report's rows name no person: its page views become anonymous
counts with the site as container. Outlook and the apps land on context platforms
(:func:`e20kit.is_context_platform`): stored, never counted as participation.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from e20kit import Action, ConnectorFatalError, Feature

from .settings import M365_APPS, OUTLOOK, PLATFORM, VIVA_ENGAGE

log = logging.getLogger("e20kit.sharepoint")

REFRESH = "Report Refresh Date"
UPN = "User Principal Name"
SITE_ID = "Site Id"
SITE_PREFIX = "m365:site:"
"""Container ids of sites: this prefix and the report's ``Site Id`` (a GUID, never concealed)."""


def _columns(header: str) -> tuple[str, ...]:
    return tuple(header.split(","))


@dataclass(frozen=True, eq=False)
class Report:
    """One usage-report function and how its columns become facts (one instance each)."""

    function: str
    """The Graph function, e.g. ``getSharePointActivityUserDetail``."""
    label: str
    columns: tuple[str, ...]
    """The documented CSV header, in order (graph-reports.md section 2)."""
    counts: Mapping[str, tuple[Action, Feature]]
    """Count columns -> the fact they add to (several columns may add to one fact)."""
    container: str
    """Pseudo-container of this report's facts."""
    user_id_column: str | None = None
    """A column holding the Entra object id (only the Teams report has one)."""
    key_column: str = UPN
    """Whose row it is: the user (``User Principal Name``) or, per site, ``Site Id``."""
    platform: str = PLATFORM
    """The platform of this report's facts."""
    flags: frozenset[str] = frozenset()
    """Count columns that hold ``Yes``/``No`` (used that day or not) instead of a number."""
    setting: str | None = None
    """The connector setting that turns this report off (``None``: always read)."""
    stream: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stream", f"report:{self.function}")

    @property
    def per_site(self) -> bool:
        """Rows belong to sites, not people: their counts name nobody."""
        return self.key_column == SITE_ID

    @property
    def actions(self) -> frozenset[Action]:
        return frozenset(action for action, _ in self.counts.values())

    def path(self, day: dt.date) -> str:
        return f"/reports/{self.function}(date={day.isoformat()})"


FILE_COUNTS = {
    # Microsoft counts views and edits together; they are reads far more often than not.
    "Viewed Or Edited File Count": (Action.VIEW, Feature.FILES),
    "Synced File Count": (Action.SYNC, Feature.FILES),
    "Shared Internally File Count": (Action.SHARE, Feature.FILES),
    "Shared Externally File Count": (Action.SHARE, Feature.FILES),
}
"""The file columns SharePoint's and OneDrive's activity reports share."""

SHAREPOINT_ACTIVITY = Report(
    function="getSharePointActivityUserDetail",
    label="SharePoint activity user detail",
    columns=_columns(
        "Report Refresh Date,User Principal Name,Is Deleted,Deleted Date,Last Activity Date,"
        "Viewed Or Edited File Count,Synced File Count,Shared Internally File Count,"
        "Shared Externally File Count,Visited Page Count,Assigned Products,Report Period"
    ),
    counts={**FILE_COUNTS, "Visited Page Count": (Action.VISIT, Feature.SITE)},
    container="m365:sharepoint",
)

ONEDRIVE_ACTIVITY = Report(
    function="getOneDriveActivityUserDetail",
    label="OneDrive activity user detail",
    columns=_columns(
        "Report Refresh Date,User Principal Name,Is Deleted,Deleted Date,Last Activity Date,"
        "Viewed Or Edited File Count,Synced File Count,Shared Internally File Count,"
        "Shared Externally File Count,Assigned Products,Report Period"
    ),
    counts=FILE_COUNTS,
    container="m365:onedrive",
)

TEAMS_ACTIVITY = Report(
    function="getTeamsUserActivityUserDetail",
    label="Teams user activity user detail",
    columns=_columns(
        "Report Refresh Date,Tenant Display Name,Shared Channel Tenant Display Names,User Id,"
        "User Principal Name,Last Activity Date,Is Deleted,Deleted Date,Assigned Products,"
        "Team Chat Message Count,Private Chat Message Count,Call Count,Meeting Count,"
        "Post Messages,Reply Messages,Urgent Messages,Meetings Organized Count,"
        "Meetings Attended Count,Ad Hoc Meetings Organized Count,Ad Hoc Meetings Attended Count,"
        "Scheduled One-time Meetings Organized Count,Scheduled One-time Meetings Attended Count,"
        "Scheduled Recurring Meetings Organized Count,"
        "Scheduled Recurring Meetings Attended Count,Audio Duration,Video Duration,"
        "Screen Share Duration,Audio Duration In Seconds,Video Duration In Seconds,"
        "Screen Share Duration In Seconds,Has Other Action,Is Licensed,Report Period"
    ),
    counts={
        # Team Chat Message Count is the sum of channel posts and replies: not counted twice.
        "Post Messages": (Action.POST, Feature.DISCUSSION),
        "Reply Messages": (Action.REPLY, Feature.DISCUSSION),
        "Private Chat Message Count": (Action.POST, Feature.CHAT),
        # Meetings and calls: present in a conversation without a message of one's own.
        "Meeting Count": (Action.VISIT, Feature.CHAT),
        "Call Count": (Action.VISIT, Feature.CHAT),
    },
    container="m365:teams",
    user_id_column="User Id",
)

SITE_USAGE = Report(
    function="getSharePointSiteUsageDetail",
    label="SharePoint site usage detail",
    columns=_columns(
        "Report Refresh Date,Site Id,Site URL,Owner Display Name,Is Deleted,Last Activity Date,"
        "File Count,Active File Count,Page View Count,Visited Page Count,Storage Used (Byte),"
        "Storage Allocated (Byte),Root Web Template,Owner Principal Name,Report Period"
    ),
    counts={
        # Visited Page Count is left out: the activity report's per-user visits already count
        # the same visits, and the day totals would hold them twice. Page views are new.
        "Page View Count": (Action.VIEW, Feature.SITE),
    },
    container=SITE_PREFIX,
    key_column=SITE_ID,
)

VIVA_ENGAGE_ACTIVITY = Report(
    function="getYammerActivityUserDetail",
    label="Viva Engage activity user detail",
    columns=_columns(
        "Report Refresh Date,User Principal Name,Display Name,User State,State Change Date,"
        "Last Activity Date,Posted Count,Read Count,Liked Count,Assigned Products,Report Period"
    ),
    counts={
        # One count for every message written: Microsoft does not tell new threads from
        # replies in this report, so all of them are posts.
        "Posted Count": (Action.POST, Feature.DISCUSSION),
        "Read Count": (Action.VIEW, Feature.DISCUSSION),
        "Liked Count": (Action.REACT, Feature.DISCUSSION),
    },
    container="m365:vivaengage",
    platform=VIVA_ENGAGE,
    setting="viva_engage",
)

EMAIL_ACTIVITY = Report(
    function="getEmailActivityUserDetail",
    label="Outlook email activity user detail",
    columns=_columns(
        "Report Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,"
        "Last Activity Date,Send Count,Receive Count,Read Count,Meeting Created Count,"
        "Meeting Interacted Count,Assigned Products,Report Period"
    ),
    counts={
        # Context only. Receive Count is left out: mail arriving is nobody's action.
        "Send Count": (Action.POST, Feature.CHAT),
        "Read Count": (Action.VIEW, Feature.CHAT),
        "Meeting Created Count": (Action.CREATE, Feature.SITE),
        "Meeting Interacted Count": (Action.VISIT, Feature.SITE),
    },
    container="m365:outlook",
    platform=OUTLOOK,
    setting="outlook_and_apps",
)

_APPS = ("Outlook", "Word", "Excel", "PowerPoint", "OneNote", "Teams")
_APP_FEATURES = {
    # Context only: a day with the app open. The feature keeps the app families apart.
    "Outlook": Feature.CHAT,
    "Teams": Feature.DISCUSSION,
    "Word": Feature.FILES,
    "Excel": Feature.FILES,
    "PowerPoint": Feature.FILES,
    "OneNote": Feature.WIKI,
}
M365_APP_ACTIVITY = Report(
    function="getM365AppUserDetail",
    label="Microsoft 365 apps user detail",
    columns=_columns(
        "Report Refresh Date,User Principal Name,Last Activation Date,Last Activity Date,"
        "Report Period,Windows,Mac,Mobile,Web,Outlook,Word,Excel,PowerPoint,OneNote,Teams,"
        "Outlook (Windows),Word (Windows),Excel (Windows),PowerPoint (Windows),"
        "OneNote (Windows),Teams (Windows),Outlook (Mac),Word (Mac),Excel (Mac),"
        "PowerPoint (Mac),OneNote (Mac),Teams (Mac),Outlook (Mobile),Word (Mobile),"
        "Excel (Mobile),PowerPoint (Mobile),OneNote (Mobile),Teams (Mobile),Outlook (Web),"
        "Word (Web),Excel (Web),PowerPoint (Web),OneNote (Web),Teams (Web)"
    ),
    # The per-device columns (Windows, Mac, Mobile, Web and each app on each) are known and
    # unused: which device is no concern of an adoption programme.
    counts={app: (Action.VISIT, _APP_FEATURES[app]) for app in _APPS},
    container="m365:apps",
    platform=M365_APPS,
    flags=frozenset(_APPS),
    setting="outlook_and_apps",
)

REPORTS: tuple[Report, ...] = (
    SHAREPOINT_ACTIVITY,
    ONEDRIVE_ACTIVITY,
    TEAMS_ACTIVITY,
    SITE_USAGE,
    VIVA_ENGAGE_ACTIVITY,
    EMAIL_ACTIVITY,
    M365_APP_ACTIVITY,
)
BY_FUNCTION = {r.function: r for r in REPORTS}


def enabled_reports(settings: object) -> tuple[Report, ...]:
    """The reports the connector's settings ask for, in :data:`REPORTS` order."""
    return tuple(r for r in REPORTS if r.setting is None or getattr(settings, r.setting))


_YES_NO = {"yes": 1, "true": 1, "1": 1, "no": 0, "false": 0, "0": 0}
"""The apps report's cells [inferred: the CSV writes Yes/No, the JSON true/false]."""

_HASH = re.compile(r"[0-9A-Fa-f]{32,64}")


def is_concealed(user: str) -> bool:
    """A user column that holds Microsoft's hash instead of a principal name."""
    return "@" not in user and bool(_HASH.fullmatch(user))


@dataclass(frozen=True)
class Row:
    user: str
    """User principal name, lower-cased (or the concealed hash); for a site, its ``Site Id``."""
    user_id: str | None
    refreshed: dt.date
    counts: dict[tuple[Action, Feature], int]


@dataclass(frozen=True)
class BadRow:
    """A row that could not be read: its line and column, never its values."""

    line: int
    column: str
    problem: str


@dataclass(frozen=True)
class ParsedReport:
    report: Report
    day: dt.date
    rows: list[Row]
    bad: list[BadRow] = field(default_factory=list)
    """Rows left out: a cell that is not a date or a whole number (the rest is kept)."""

    @property
    def refreshed(self) -> dt.date | None:
        """The report's as-of day (``Report Refresh Date``), ``None`` for a header-only answer."""
        return max((r.refreshed for r in self.rows), default=None)

    def refreshed_until(self, limit: dt.date) -> dt.date | None:
        """The as-of day from the rows dated no later than ``limit`` (a row from the future
        must not move the report's as-of day past the real clock)."""
        return max((r.refreshed for r in self.rows if r.refreshed <= limit), default=None)

    @property
    def concealed(self) -> bool:
        return not self.report.per_site and any(is_concealed(r.user) for r in self.rows)


class ReportUnreadable(ConnectorFatalError):
    """A downloaded report day that cannot be read as a whole (not UTF-8, an unterminated
    quote, a truncated or damaged row, a documented column missing): the day stays unread."""


T = TypeVar("T")


def _csv_checked(
    read: Callable[[], T], reader: csv.DictReader[str], fail: Callable[[str], Exception]
) -> T:
    """``read()``, with the csv module's own errors (a cell over its field limit, a NUL byte)
    turned into the report's error naming the line."""
    try:
        return read()
    except csv.Error as err:
        raise fail(f"line {reader.line_num + 1}: unreadable CSV ({err})") from None


def _csv_rows(
    reader: csv.DictReader[str], fail: Callable[[str], Exception]
) -> Iterator[dict[str, str]]:
    while True:
        record = _csv_checked(lambda: next(reader, None), reader, fail)
        if record is None:
            return
        yield record


def csv_records(
    report: Report, label: str, body: bytes, *, connector: str, endpoint: str
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, record) of one downloaded CSV with every documented column. A file that cannot
    be read as a whole raises :class:`ReportUnreadable` naming ``label`` and the line."""

    def fail(message: str) -> ReportUnreadable:
        return ReportUnreadable(f"{label}: {message}", connector=connector, endpoint=endpoint)

    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise fail("the CSV is not UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    header = _csv_checked(lambda: reader.fieldnames or [], reader, fail)
    missing = [c for c in report.columns if c not in header]
    if missing:
        raise fail(f"documented column {missing[0]!r} is missing from the CSV header")
    extra = [c for c in header if c not in report.columns]
    if extra:
        log.debug("%s: %s has undocumented columns, ignored: %s", connector, report.label, extra)
    for line, record in enumerate(_csv_rows(reader, fail), start=2):
        if None in record:
            raise fail(f"line {line} has more fields than the header")
        if None in record.values():
            raise fail(f"line {line} has fewer fields than the header (truncated?)")
        yield line, record


def parse_report(
    report: Report, day: dt.date, body: bytes, *, connector: str, endpoint: str
) -> ParsedReport:
    """Rows of one downloaded CSV. A file that cannot be read as a whole raises
    :class:`ReportUnreadable` naming report, day and line; a row with a bad cell is left out
    and named in ``bad``."""
    rows: list[Row] = []
    bad: list[BadRow] = []
    label = f"{report.label} for {day}"
    for line, record in csv_records(report, label, body, connector=connector, endpoint=endpoint):
        found = _row(report, record)
        if isinstance(found, BadRow):
            bad.append(BadRow(line, found.column, found.problem))
        elif found is not None:
            rows.append(found)
    return ParsedReport(report, day, rows, bad)


def _row(report: Report, record: Mapping[str, str | None]) -> Row | BadRow | None:
    """One CSV record as a row (``None``: no key), or what is wrong with it (line set later)."""
    user = (record.get(report.key_column) or "").strip()
    if not user:
        return None
    try:
        refreshed = dt.date.fromisoformat((record.get(REFRESH) or "").strip())
    except ValueError:
        return BadRow(0, REFRESH, "not a date")
    counts: dict[tuple[Action, Feature], int] = {}
    for column, fact in report.counts.items():
        raw = (record.get(column) or "").strip() or "0"
        if column in report.flags:
            value = _YES_NO.get(raw.lower(), -1)
            if value < 0:
                return BadRow(0, column, "not Yes or No")
            counts[fact] = counts.get(fact, 0) + value
            continue
        try:
            value = int(raw)
        except ValueError:
            return BadRow(0, column, "not a whole number")
        if value < 0:
            return BadRow(0, column, "negative")
        counts[fact] = counts.get(fact, 0) + value
    uid = (record.get(report.user_id_column) or "").strip() if report.user_id_column else ""
    key = user if report.per_site or is_concealed(user) else user.lower()
    return Row(key, uid or None, refreshed, counts)


__all__ = [
    "BY_FUNCTION",
    "EMAIL_ACTIVITY",
    "M365_APP_ACTIVITY",
    "ONEDRIVE_ACTIVITY",
    "REFRESH",
    "REPORTS",
    "SHAREPOINT_ACTIVITY",
    "SITE_ID",
    "SITE_PREFIX",
    "SITE_USAGE",
    "TEAMS_ACTIVITY",
    "UPN",
    "VIVA_ENGAGE_ACTIVITY",
    "BadRow",
    "ParsedReport",
    "Report",
    "ReportUnreadable",
    "Row",
    "csv_records",
    "enabled_reports",
    "is_concealed",
    "parse_report",
]

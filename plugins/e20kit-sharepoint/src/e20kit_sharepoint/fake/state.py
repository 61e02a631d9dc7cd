"""The fake tenant's data: app registration, users, daily report counts and sent mail."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..copilot import APPS as COPILOT_APPS
from ..copilot import COPILOT_USAGE
from ..reports import REFRESH, REPORTS, UPN, Report

NAMESPACE = uuid.UUID("6f1c2b0e-2d8a-4c39-9a55-3c6d0e2f7a11")
TENANT_NAME = "Synthetic Ltd"
PRODUCTS = "MICROSOFT 365 E5"


def object_id(*parts: str) -> str:
    """A stable Entra-style object id (a UUID) for a synthetic record."""
    return str(uuid.uuid5(NAMESPACE, "\0".join(parts)))


@dataclass
class FakeUser:
    id: str
    upn: str
    mail: str | None
    display_name: str
    department: str | None = None
    job_title: str | None = None
    created: dt.datetime = dt.datetime(2024, 1, 1, 9, tzinfo=dt.UTC)
    preferred_language: str | None = None
    enabled: bool = True
    user_type: str = "Member"
    manager_id: str | None = None

    def resource(self) -> dict[str, Any]:
        """The user as Graph serialises it (camelCase, ISO times with ``Z``)."""
        return {
            "id": self.id,
            "mail": self.mail,
            "userPrincipalName": self.upn,
            "displayName": self.display_name,
            "department": self.department,
            "jobTitle": self.job_title,
            "createdDateTime": self.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "preferredLanguage": self.preferred_language,
            "accountEnabled": self.enabled,
            "userType": self.user_type,
        }


@dataclass
class App:
    """The app registration the fake authority accepts."""

    tenant_id: str = "fake-tenant"
    client_id: str = "11111111-2222-3333-4444-555555555555"
    client_secret: str | None = "fake-client-secret-value"
    thumbprint: str | None = None
    """SHA-1 thumbprint (hex) of the certificate whose key may sign client assertions."""
    certificate_pem: bytes | None = None


@dataclass(frozen=True)
class FakeSite:
    """A SharePoint site of the site usage report."""

    id: str
    url: str
    owner: str
    """Owner display name."""
    created: dt.date


@dataclass
class Tenant:
    """Everything the fake Graph, download host and authority serve."""

    today: dt.date
    """The fake's current day; ``date=`` accepts the 30 days up to it."""
    app: App = field(default_factory=App)
    users: list[FakeUser] = field(default_factory=list)
    sites: list[FakeSite] = field(default_factory=list)
    latency_days: int = 2
    """The reports' refresh date is this many days before ``today``."""
    concealed: bool = False
    extra_columns: tuple[str, ...] = ()
    """Undocumented columns appended to every CSV (a newer header)."""
    counts: dict[tuple[str, dt.date, str], dict[str, int]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    """(report function, day, user or site id) -> column -> count."""
    copilot_days: dict[tuple[str, str], set[dt.date]] = field(
        default_factory=lambda: defaultdict(set)
    )
    """(user id, per-app last-activity column) -> the days that user used that app's Copilot;
    a user with any is licensed (the report lists licensed users only)."""
    copilot_licensed: set[str] = field(default_factory=set)
    """Users with a Copilot licence: listed by the Copilot report, used or not (any user with
    a day of use is licensed too)."""
    copilot_paths: frozenset[str] = frozenset({"/beta/copilot/reports", "/beta/reports"})
    """Where the fake serves the beta Copilot report (leave one out: a moved endpoint)."""
    sent_items: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    """Mailbox (lower-cased) -> messages saved to Sent Items, oldest first."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def refreshed(self) -> dt.date:
        return self.today - dt.timedelta(days=self.latency_days)

    def user(self, key: str) -> FakeUser | None:
        key = key.lower()
        return next((u for u in self.users if key in (u.id, u.upn.lower())), None)

    def add(self, report: Report, day: dt.date, user_id: str, column: str, count: int) -> None:
        if column not in report.counts:
            raise ValueError(f"{column!r} is not a count column of {report.function}")
        cell = self.counts[(report.function, day, user_id)]
        cell[column] = cell.get(column, 0) + count

    def csv(self, report: Report, day: dt.date) -> bytes:
        """The report of one day in the documented column order, with a UTF-8 BOM."""
        header = [*report.columns, *self.extra_columns]
        lines = [",".join(header)]
        if day <= self.refreshed and report.per_site:
            for site in self.sites:
                if site.created > day:
                    continue
                counts = self.counts.get((report.function, day, site.id), {})
                row = self._site_row(report, day, site, counts)
                lines.append(",".join(_csv_cell(v) for v in row))
        elif day <= self.refreshed:
            for user in self.users:
                if user.created.date() > day:
                    continue
                counts = self.counts.get((report.function, day, user.id), {})
                lines.append(",".join(_csv_cell(v) for v in self._row(report, day, user, counts)))
        return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")

    @property
    def copilot_users(self) -> set[str]:
        """Ids of the users the Copilot report lists (licensed, with or without use)."""
        return self.copilot_licensed | {uid for uid, _ in self.copilot_days}

    def use_copilot(self, user_id: str, column: str, day: dt.date) -> None:
        if column not in COPILOT_APPS:
            raise ValueError(f"{column!r} is not a Copilot app column")
        self.copilot_days[(user_id, column)].add(day)

    def copilot_csv(self) -> bytes:
        """The Copilot usage report as of the refresh date: each licensed user's last day of
        use per app (none after the refresh date), with a UTF-8 BOM."""
        licensed = self.copilot_users
        lines = [",".join(COPILOT_USAGE.columns)]
        for user in self.users:
            if user.id not in licensed:
                continue
            last = {
                column: max(
                    (
                        d
                        for d in self.copilot_days.get((user.id, column), ())
                        if d <= self.refreshed
                    ),
                    default=None,
                )
                for column in COPILOT_APPS
            }
            seen = [d for d in last.values() if d is not None]
            name, display = user.upn, user.display_name
            if self.concealed:
                name, display = _hash(user.upn), _hash(user.display_name)
            values = {
                REFRESH: self.refreshed.isoformat(),
                "Report Period": "7",
                UPN: name,
                "Display Name": display,
                "Last Activity Date": max(seen).isoformat() if seen else "",
                **{c: d.isoformat() if d else "" for c, d in last.items()},
            }
            lines.append(",".join(_csv_cell(values[c]) for c in COPILOT_USAGE.columns))
        return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")

    def _last_use(self, user_id: str, column: str) -> dt.date | None:
        days = self.copilot_days.get((user_id, column), ())
        return max((d for d in days if d <= self.refreshed), default=None)

    def _row(
        self, report: Report, day: dt.date, user: FakeUser, counts: dict[str, int]
    ) -> list[str]:
        name, display = user.upn, user.display_name
        if self.concealed:
            name, display = _hash(user.upn), _hash(user.display_name)
        active = any(counts.values())
        values = {
            REFRESH: self.refreshed.isoformat(),
            UPN: name,
            "Display Name": display,
            "User State": "Active",
            "State Change Date": "",
            "Last Activation Date": user.created.date().isoformat(),
            "User Id": user.id if not self.concealed else "",
            "Tenant Display Name": TENANT_NAME,
            "Is Deleted": "False",
            "Deleted Date": "",
            "Last Activity Date": day.isoformat() if active else "",
            "Assigned Products": PRODUCTS,
            "Report Period": "1",
            "Is Licensed": "Yes",
            "Has Other Action": "No",
            # channel messages in total (the report's own sum of posts and replies)
            "Team Chat Message Count": str(
                counts.get("Post Messages", 0) + counts.get("Reply Messages", 0)
            ),
        }
        row = []
        for column in report.columns:
            if column in report.flags:
                row.append("Yes" if counts.get(column) else "No")
            elif report.flags and (column in _DEVICES or column.endswith(")")):
                # the apps report's devices: the fake's members use everything on the web
                app = column.removesuffix(" (Web)")
                row.append("Yes" if (app == "Web" and active) or counts.get(app) else "No")
            elif column in report.counts:
                row.append(str(counts.get(column, 0)))
            elif column in values:
                row.append(values[column])
            elif column.endswith("Duration"):
                row.append("00:00:00")
            elif (
                column.endswith("In Seconds")
                or column.endswith("Count")
                or column == "Urgent Messages"
            ):
                row.append("0")
            else:
                row.append("")
        return row + ["x"] * len(self.extra_columns)

    def _site_row(
        self, report: Report, day: dt.date, site: FakeSite, counts: dict[str, int]
    ) -> list[str]:
        """Concealment hashes the URL and owner names too; the Site Id stays a GUID."""
        url, owner = site.url, site.owner
        if self.concealed:
            url, owner = _hash(site.url), _hash(site.owner)
        active = any(counts.values())
        values = {
            REFRESH: self.refreshed.isoformat(),
            "Site Id": site.id,
            "Site URL": url,
            "Owner Display Name": owner,
            "Owner Principal Name": "" if self.concealed else "owner@synthetic.onmicrosoft.com",
            "Is Deleted": "False",
            "Last Activity Date": day.isoformat() if active else "",
            "Root Web Template": "Team Site",
            "Report Period": "1",
        }
        return [
            str(counts.get(c, 0)) if c in report.counts else values.get(c, "0")
            for c in report.columns
        ] + ["x"] * len(self.extra_columns)


_DEVICES = frozenset({"Windows", "Mac", "Mobile", "Web"})


def _hash(value: str) -> str:
    return hashlib.md5(value.lower().encode(), usedforsecurity=False).hexdigest().upper()


def _csv_cell(value: str) -> str:
    return f'"{value}"' if "," in value or '"' in value else value


__all__ = ["NAMESPACE", "REPORTS", "App", "FakeSite", "FakeUser", "Tenant", "object_id"]

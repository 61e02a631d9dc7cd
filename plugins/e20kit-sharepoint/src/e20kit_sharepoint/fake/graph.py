"""The fake Graph endpoints and the separate report download host.

Graph: ``GET /v1.0/users`` (``$select``, ``$top`` up to 999 but 100 with ``$expand``,
``@odata.nextLink`` with an opaque ``$skiptoken``), the usage-report functions with the
``date=`` form (302 to the download host with an ``ETag``, 304 for a matching
``If-None-Match``; 400 outside the 30 days; a sliding-window quota per function answering 429
with a fractional ``Retry-After``), ``sendMail`` and the Sent Items
listing filtered on a single-value extended property. The download host serves the CSV
without any authentication and records the headers of every request it got.
"""

from __future__ import annotations

import base64
import collections
import datetime as dt
import hashlib
import itertools
import re
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from e20kit.sandbox import Request, Response, Router

from ..copilot import COPILOT_USAGE
from ..reports import BY_FUNCTION, Report
from .errors import graph_error
from .pages import SitePages
from .state import Tenant

MAX_TOP = 999
EXPAND_TOP = 100
DEFAULT_TOP = 100
_CALL = re.compile(r"(?P<function>[A-Za-z0-9]+)\((?P<arg>date|period)=(?P<value>[^)]*)\)\Z")
_PERIODS = frozenset({"'D7'", "'D30'", "'D90'", "'D180'", "'ALL'"})
_EP_FILTER = re.compile(
    r"singleValueExtendedProperties/any\(ep:\s*ep/id eq '(?P<id>(?:[^']|'')*)' "
    r"and ep/value eq '(?P<value>(?:[^']|'')*)'\)\Z",
    re.IGNORECASE,
)


class Quota:
    """The report quota: ``budget`` accepted requests per function in any ``window_s``."""

    def __init__(self, budget: int, window_s: float) -> None:
        self.budget = budget
        self.window_s = window_s
        self.accepted: dict[str, collections.deque[float]] = collections.defaultdict(
            collections.deque
        )
        self.rejected: collections.Counter[str] = collections.Counter()
        self.retry_afters: list[str] = []
        self.log: list[tuple[str, float]] = []
        """(function, monotonic time) of every accepted request."""
        self.lock = threading.Lock()

    def busiest(self, function: str | None = None) -> int:
        """The most requests (of one function, or the busiest) in any window so far."""
        with self.lock:
            functions = {f for f, _ in self.log} if function is None else {function}
            most = 0
            for name in functions:
                times = [t for f, t in self.log if f == name]
                for i, start in enumerate(times):
                    most = max(most, sum(1 for t in times[i:] if t - start < self.window_s))
            return most

    def take(self, function: str) -> str | None:
        """``None`` when the request may go; else the seconds until it may (``Retry-After``)."""
        with self.lock:
            now = time.monotonic()
            times = self.accepted[function]
            while times and times[0] <= now - self.window_s:
                times.popleft()
            if len(times) < self.budget:
                times.append(now)
                self.log.append((function, now))
                return None
            self.rejected[function] += 1
            wait = f"{max(0.001, times[0] + self.window_s - now):.3f}"
            self.retry_afters.append(wait)
            return wait


class DownloadHost:
    """Pre-authenticated report downloads: ``GET /data/download/{token}``."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.headers: list[dict[str, str]] = []
        """The headers of every request the host received, in order."""
        self.lock = threading.Lock()
        self.base_url = ""
        self.router = Router(error=lambda r, s, m: graph_error(s, "NotFound", m))
        self.router.add("GET", "/data/download/{token}", self._download)

    def publish(self, body: bytes) -> str:
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.files[token] = body
        return f"{self.base_url}/data/download/{token}"

    def _download(self, request: Request, token: str) -> Response:
        body = self.files.get(token)
        if body is None:
            return graph_error(404, "NotFound", "the download link expired")
        return Response(200, body, {"Content-Type": "application/octet-stream"})

    def __call__(self, request: Request) -> Response:
        with self.lock:
            self.headers.append(dict(request.headers.items()))
        return self.router(request)


class FakeGraph:
    """Callable app serving the Graph endpoints under ``/v1.0``."""

    def __init__(
        self,
        tenant: Tenant,
        downloads: DownloadHost,
        *,
        tokens: Callable[[], set[str]],
        budget: int = 14,
        window_s: float = 600.0,
    ) -> None:
        self.tenant = tenant
        self.downloads = downloads
        self.tokens = tokens
        self.quota = Quota(budget, window_s)
        self.base_url = ""
        self.report_requests: collections.Counter[str] = collections.Counter()
        self.not_modified = 0
        self.asked: list[tuple[str, dt.date]] = []
        """(function, day) of every report request within the quota, in order."""
        self._ids = itertools.count(1)
        self.pages = SitePages()
        """The intranet site's pages and libraries (the page publisher's endpoints)."""
        self.router = Router(error=lambda r, s, m: graph_error(s, "BadRequest", m))
        self.router.add("GET", "/v1.0/users", self._users)
        self.router.add("GET", "/v1.0/reports/{call}", self._report)
        self.router.add("GET", "/beta/reports/{call}", self._copilot_at("/beta/reports"))
        self.router.add(
            "GET", "/beta/copilot/reports/{call}", self._copilot_at("/beta/copilot/reports")
        )
        self.router.add("POST", "/v1.0/users/{user}/sendMail", self._send_mail)
        self.router.add("GET", "/v1.0/users/{user}/mailFolders/{folder}/messages", self._sent)

    def __call__(self, request: Request) -> Response:
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.tokens():
            return graph_error(
                401, "InvalidAuthenticationToken", "Access token is empty or not valid."
            )
        if self.pages.handles(request):
            return self.pages(request)
        return self.router(request)

    # -- users -----------------------------------------------------------------------------

    def _users(self, request: Request) -> Response:
        select = [f for f in (request.arg("$select") or "").split(",") if f]
        expand = request.arg("$expand") or ""
        try:
            top = int(request.arg("$top") or DEFAULT_TOP)
        except ValueError:
            return graph_error(400, "BadRequest", "Invalid page size specified")
        if not 1 <= top <= MAX_TOP:
            return graph_error(
                400,
                "BadRequest",
                f"Invalid page size specified: '{top}'. Must be between 1 and 999 inclusive.",
            )
        if expand:
            if not expand.startswith("manager"):
                return graph_error(400, "BadRequest", f"Unsupported $expand {expand!r}")
            top = min(top, EXPAND_TOP)
        start = _offset(request.arg("$skiptoken"))
        if start is None:
            return graph_error(400, "BadRequest", "invalid $skiptoken")
        users = self.tenant.users
        page = users[start : start + top]
        by_id = {u.id: u for u in users}
        value = []
        for user in page:
            full = user.resource()
            item = {k: v for k, v in full.items() if not select or k in select or k == "id"}
            manager = by_id.get(user.manager_id or "")
            if expand and manager is not None:
                item["manager"] = {"@odata.type": "#microsoft.graph.user", "id": manager.id}
            value.append(item)
        body: dict[str, Any] = {
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
            "value": value,
        }
        if start + top < len(users):
            query = {k: v[0] for k, v in request.query.items() if k != "$skiptoken"}
            query["$skiptoken"] = _token(start + top)
            body["@odata.nextLink"] = f"{self.base_url}/v1.0/users?{urlencode(query)}"
        return Response.json(body)

    # -- reports ---------------------------------------------------------------------------

    def _report(self, request: Request, call: str) -> Response:
        match = _CALL.match(call)
        report: Report | None = BY_FUNCTION.get(match["function"]) if match else None
        if match is None or report is None:
            return graph_error(400, "BadRequest", f"Resource not found for the segment '{call}'.")
        if match["arg"] != "date":
            return graph_error(400, "BadRequest", "the fake serves the date= form only")
        try:
            day = dt.date.fromisoformat(match["value"].strip("'"))
        except ValueError:
            return graph_error(400, "BadRequest", f"Invalid date {match['value']!r}.")
        today = self.tenant.today
        if not today - dt.timedelta(days=29) <= day <= today:
            return graph_error(400, "BadRequest", "The date must be within the past 30 days.")
        wait = self.quota.take(report.function)
        if wait is not None:
            return graph_error(
                429,
                "TooManyRequests",
                "Please retry again later.",
                {"Retry-After": wait},
            )
        self.report_requests[report.function] += 1
        self.asked.append((report.function, day))
        body = self.tenant.csv(report, day)
        etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:20] + '"'
        if request.headers.get("If-None-Match") == etag:
            self.not_modified += 1
            return Response(304, b"", {"ETag": etag})
        location = self.downloads.publish(body)
        return Response(
            302, b"", {"Content-Type": "text/plain", "Location": location, "ETag": etag}
        )

    def _copilot_at(self, prefix: str) -> Callable[[Request, str], Response]:
        def handler(request: Request, call: str) -> Response:
            return self._copilot(request, call, prefix)

        return handler

    def _copilot(self, request: Request, call: str, prefix: str) -> Response:
        """The beta Copilot usage report: ``period=`` only, CSV with ``$format=text/csv``."""
        match = _CALL.match(call)
        if (
            prefix not in self.tenant.copilot_paths
            or match is None
            or match["function"] != COPILOT_USAGE.function
        ):
            return graph_error(404, "NotFound", f"Resource not found for the segment '{call}'.")
        if match["arg"] != "period" or match["value"] not in _PERIODS:
            return graph_error(400, "BadRequest", "Invalid period; use D7, D30, D90, D180, ALL.")
        if request.arg("$format") != "text/csv":
            return graph_error(400, "BadRequest", "the fake serves $format=text/csv only")
        wait = self.quota.take(COPILOT_USAGE.function)
        if wait is not None:
            return graph_error(
                429, "TooManyRequests", "Please retry again later.", {"Retry-After": wait}
            )
        self.report_requests[COPILOT_USAGE.function] += 1
        self.asked.append((COPILOT_USAGE.function, self.tenant.today))
        location = self.downloads.publish(self.tenant.copilot_csv())
        return Response(302, b"", {"Content-Type": "text/plain", "Location": location})

    # -- mail ------------------------------------------------------------------------------

    def _send_mail(self, request: Request, user: str) -> Response:
        sender = self.tenant.user(user)
        if sender is None:
            return graph_error(404, "ErrorInvalidUser", f"The requested user '{user}' is invalid.")
        body = request.json()
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, dict) or not message.get("toRecipients"):
            return graph_error(
                400, "ErrorInvalidRecipients", "At least one recipient is not valid."
            )
        if str(body.get("saveToSentItems", True)).lower() != "false":
            saved = {
                **message,
                "id": f"AAMkAD{next(self._ids):08d}",
                "sentDateTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            }
            with self.tenant.lock:
                self.tenant.sent_items[sender.upn.lower()].append(saved)
        return Response(202, b"")

    def _sent(self, request: Request, user: str, folder: str) -> Response:
        sender = self.tenant.user(user)
        if sender is None:
            return graph_error(404, "ErrorInvalidUser", f"The requested user '{user}' is invalid.")
        if folder.lower() != "sentitems":
            return graph_error(404, "ErrorItemNotFound", "The specified folder could not be found.")
        with self.tenant.lock:
            messages = list(reversed(self.tenant.sent_items.get(sender.upn.lower(), [])))
        wanted = request.arg("$filter")
        if wanted:
            match = _EP_FILTER.match(wanted.strip())
            if match is None:
                return graph_error(400, "BadRequest", "the fake supports one $filter form only")
            pid, value = match["id"].replace("''", "'"), match["value"].replace("''", "'")
            messages = [m for m in messages if _property(m, pid) == value]
        top = int(request.arg("$top") or 10)
        out = [
            {"id": m["id"], "subject": m.get("subject"), "sentDateTime": m["sentDateTime"]}
            for m in messages[:top]
        ]
        return Response.json({"value": out})


def _property(message: dict[str, Any], pid: str) -> str | None:
    for prop in message.get("singleValueExtendedProperties") or []:
        if isinstance(prop, dict) and str(prop.get("id", "")).lower() == pid.lower():
            return str(prop.get("value"))
    return None


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"X'{offset:08x}'".encode()).decode().rstrip("=")


def _offset(token: str | None) -> int | None:
    if not token:
        return 0
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        return int(raw[2:-1], 16)
    except (ValueError, UnicodeDecodeError):
        return None


__all__ = ["DownloadHost", "FakeGraph", "Quota"]

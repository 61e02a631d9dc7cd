"""A small Microsoft Graph client over the core's HTTP session.

It knows Graph's paging (``@odata.nextLink``, followed as given), the report functions' 302 to a
pre-authenticated download URL (fetched without the ``Authorization`` header, and masked in logs
because the URL itself is the credential), and the error body ``{"error": {"code", "message"}}``
which the core's mapping shows. Retries, ``Retry-After`` and deadlines are the core's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import requests
from pydantic import BaseModel, ConfigDict

from e20kit import ConnectorFatalError
from e20kit.http import (
    HttpSession,
    describe_endpoint,
    next_link_pages,
    parse_payload,
    raise_for_status,
)

from .auth import GraphAuth
from .policy import GraphRatePolicy
from .reports import ParsedReport, Report, parse_report
from .settings import GraphCredentials

USER_FIELDS = (
    "id,mail,userPrincipalName,displayName,department,jobTitle,createdDateTime,"
    "preferredLanguage,accountEnabled,userType"
)
MAX_PAGE = 999
EXPAND_PAGE = 100
"""Graph returns at most 100 users per page when ``$expand`` is used (a documented known
issue), whatever ``$top`` says."""
REDIRECTS = frozenset({301, 302, 303, 307, 308})


class ReportAnswer(NamedTuple):
    parsed: ParsedReport | None
    """The day's rows; ``None`` when Graph answered 304 Not Modified."""
    etag: str | None
    attempts: int
    """Requests the report call took at Graph (1 + its retries)."""


class GraphManager(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    id: str


class GraphUser(BaseModel):
    """The ``$select`` fields of one user (and the expanded manager's id)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    mail: str | None = None
    userPrincipalName: str | None = None
    displayName: str | None = None
    department: str | None = None
    jobTitle: str | None = None
    createdDateTime: dt.datetime | None = None
    preferredLanguage: str | None = None
    accountEnabled: bool | None = None
    userType: str | None = None
    manager: GraphManager | None = None


class UsersPage(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    value: list[GraphUser]


class GraphClient:
    """Typed calls for the endpoints the connector and the mail notifier use."""

    def __init__(self, session: HttpSession, auth: GraphAuth) -> None:
        self.session = session
        self.auth = auth
        self.connector = session.connector
        self.session.headers["Accept"] = "application/json"
        self.report_requests = 0
        self.directory_pages = 0

    def authorise(self) -> None:
        """Put the current token on the session (msal serves it from its cache)."""
        self.session.headers["Authorization"] = f"Bearer {self.auth.token()}"

    # -- directory -------------------------------------------------------------------------

    def users(self, *, managers: bool) -> Iterator[GraphUser]:
        """Every user, ``$top=999`` pages (100 with ``$expand=manager``), nextLink followed."""
        self.authorise()
        params = {"$select": USER_FIELDS, "$top": str(MAX_PAGE)}
        if managers:
            params["$expand"] = "manager($select=id)"
        for page in next_link_pages(
            self.session,
            "/users",
            params=params,
            next_link=lambda body: body.get("@odata.nextLink") if isinstance(body, dict) else None,
        ):
            self.directory_pages += 1
            yield from self._users(page.body, page.url)

    def _users(self, body: Any, url: str) -> list[GraphUser]:
        parsed = parse_payload(
            UsersPage,
            body,
            connector=self.connector,
            endpoint=describe_endpoint(url, self.session.secrets),
            secrets=self.session.secrets,
        )
        return parsed.value

    # -- usage reports ---------------------------------------------------------------------

    def report(self, report: Report, day: dt.date, *, etag: str | None = None) -> ReportAnswer:
        """One report day: the function's 302, then the CSV from the download URL.

        With ``etag`` (from an earlier read of this day) Graph may answer ``304 Not Modified``:
        then no CSV, nothing downloaded. ``attempts`` counts the retries of the report call too,
        since each may count against the quota.
        """
        path = report.path(day)
        body, tag, attempts = self.download(path, report.label, etag=etag)
        if body is None:
            return ReportAnswer(None, etag, attempts)
        endpoint = describe_endpoint(self.session.url(path), self.session.secrets)
        parsed = parse_report(report, day, body, connector=self.connector, endpoint=endpoint)
        return ReportAnswer(parsed, tag, attempts)

    def download(
        self, path: str, label: str, *, etag: str | None = None
    ) -> tuple[bytes | None, str | None, int]:
        """A report's CSV (``None`` on 304), its ETag and the requests the call took at Graph.
        ``path`` is relative to ``graph_url`` or absolute (the beta reports)."""
        self.authorise()
        self.report_requests += 1
        headers = {"If-None-Match": etag} if etag else {}
        before = self.session.retry_count
        response = self.session.get(path, allow_redirects=False, headers=headers)
        attempts = 1 + self.session.retry_count - before
        if response.status_code == 304:
            return None, etag, attempts
        tag = response.headers.get("ETag")
        if response.status_code in REDIRECTS:
            location = response.headers.get("Location")
            if not location:
                raise ConnectorFatalError(
                    f"{label}: a redirect without Location",
                    connector=self.connector,
                    endpoint=describe_endpoint(self.session.url(path), self.session.secrets),
                    status=response.status_code,
                )
            self.session.add_secrets(*_credential_parts(location))
            # The download URL is pre-authenticated: the token must never go there.
            response = self.session.get(location, headers={"Authorization": None})
            tag = tag or response.headers.get("ETag")
        raise_for_status(response, connector=self.connector, secrets=self.session.secrets)
        return response.content, tag, attempts

    # -- mail ------------------------------------------------------------------------------

    def post(self, path: str, body: Mapping[str, Any]) -> requests.Response:
        """POST ``body``; the answer (an error status raises)."""
        self.authorise()
        response = self.session.post(path, json=dict(body))
        return raise_for_status(response, connector=self.connector, secrets=self.session.secrets)

    def get_json(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        self.authorise()
        return self.session.get_json(path, params=dict(params or {}))


def graph_client(
    name: str, settings: GraphCredentials, http: Callable[..., HttpSession]
) -> GraphClient:
    """A Graph session and an msal-backed token source for one connector or notifier."""
    graph = http(base_url=settings.graph_url, rate_policy=GraphRatePolicy())
    auth = GraphAuth(settings, login=http(), graph=graph, name=name)
    return GraphClient(graph, auth)


def _credential_parts(url: str) -> list[str]:
    """What makes a pre-authenticated URL a credential: its path's last segment and query."""
    parts = urlsplit(url)
    found = [parts.path.rstrip("/").rsplit("/", 1)[-1], parts.query]
    return [p for p in found if len(p) >= 8]


__all__ = ["EXPAND_PAGE", "MAX_PAGE", "USER_FIELDS", "GraphClient", "GraphUser", "graph_client"]

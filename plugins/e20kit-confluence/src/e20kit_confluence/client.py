"""Confluence REST calls over the core's HTTP session, through atlassian-python-api.

The library object owns authentication (basic auth for Cloud e-mail + API token and DC user +
password, ``Bearer`` for a DC personal access token) and URL building; every request goes
through the core's session, so retries, pacing, timeouts and redaction are the core's. The
library's own retrying is switched off (``backoff_and_retry=False, retry_with_header=False``).

Where the library is wrong (it picks the "Server" class for a loopback URL and its paging drops
the context path, see ../shared/specs/confluence-rest.md §5) or has no method (v2 version
cursors, analytics, DC group members by name), the calls below are made through the library's
plain ``get`` with paging of our own: v1 ``_links.next`` joined to ``_links.base`` (which keeps
the context path) and v2 ``Link: <...>; rel="next"`` headers joined to the origin.
"""

from __future__ import annotations

import datetime as dt
import logging
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from atlassian.confluence import ConfluenceCloud, ConfluenceServer
from pydantic import BaseModel, TypeAdapter

from e20kit import (
    ConnectorAuthError,
    ConnectorError,
    ConnectorFatalError,
    ConnectorPayloadError,
    HttpSession,
)
from e20kit.http import (
    describe_endpoint,
    json_or_error,
    link_header_pages,
    next_link_pages,
    offset_pages,
    parse_payload,
)

from .payloads import Content, Page, Space, SpaceWatch, User, V2Version, Version, ViewCount
from .settings import ConfluenceSettings

log = logging.getLogger("e20kit.confluence")

M = TypeVar("M", bound=BaseModel)
CONTENT_TYPES = ("page", "blogpost", "comment")
SEARCH_EXPAND = "space,history,version,container.history"
V2_MAX_LIMIT = 250
UNREADABLE_CHANGE = dt.datetime.max.replace(tzinfo=dt.UTC)
"""What :meth:`ConfluenceClient.newest_change` answers for a newest result it cannot read."""


class ContentGone(ConnectorError):
    """A content item vanished (404) or became restricted (403) between search and detail."""


@dataclass(frozen=True)
class Malformed:
    """A search result the connector cannot read: named (id, field), never quoted."""

    record: str
    type: str | None
    field: str | None
    endpoint: str
    after: dt.datetime | None = None
    """``version.when`` of the last readable result before it (the listing is in that order)."""


def cql_time(at: dt.datetime) -> str:
    """CQL's date format (minutes; the server reads it in its own time zone, UTC here)."""
    return at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")


def cql_for(since: dt.datetime, spaces: tuple[str, ...], *, newest_first: bool = False) -> str:
    clauses = [
        f"type in ({','.join(CONTENT_TYPES)})",
        f'lastmodified >= "{cql_time(since)}"',
    ]
    if spaces:
        clauses.append("space in (" + ",".join(f'"{key}"' for key in spaces) + ")")
    order = "desc" if newest_first else "asc"
    return " and ".join(clauses) + f" order by lastmodified {order}"


def _v1_next(body: Any) -> str | None:
    links = body.get("_links") if isinstance(body, dict) else None
    return links.get("next") if isinstance(links, dict) else None


def _v1_base(body: Any) -> str | None:
    links = body.get("_links") if isinstance(body, dict) else None
    return links.get("base") if isinstance(links, dict) else None


class ConfluenceClient:
    """The calls the connector and the publisher make; one per connector instance."""

    def __init__(
        self, session: HttpSession, settings: ConfluenceSettings, *, connector: str
    ) -> None:
        self.session = session
        self.settings = settings
        self.connector = connector
        self.cloud = settings.deployment == "cloud"
        self.base = settings.url
        split = urllib.parse.urlsplit(self.base)
        self.origin = f"{split.scheme}://{split.netloc}"
        credentials: dict[str, Any] = {}
        if self.cloud:
            assert settings.api_token is not None  # the settings validator guarantees it
            credentials = {"username": settings.email, "password": settings.api_token}
        elif settings.token is not None:
            credentials = {"token": settings.token.get_secret_value()}
        else:
            assert settings.password is not None
            credentials = {"username": settings.username, "password": settings.password}
        if "password" in credentials:
            credentials["password"] = credentials["password"].get_secret_value()
        # The class is chosen from the configured deployment: the library's own choice goes by
        # host name and gives a loopback or custom-domain Cloud site the Server class.
        library = ConfluenceCloud if self.cloud else ConfluenceServer
        self.lib = library(
            url=self.base,
            session=session,
            cloud=self.cloud,
            backoff_and_retry=False,
            retry_with_header=False,
            advanced_mode=True,
            **credentials,
        )
        # The library passes its own timeout (75 s) on every request; None lets the core's
        # [http] timeout apply.
        self.lib.timeout = None  # type: ignore[assignment]
        self.lib.default_headers = {"Accept": "application/json"}

    # -- transport -------------------------------------------------------------------------

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> tuple[Any, str]:
        """One GET through the core's session; the decoded body and the URL asked."""
        response = self.session.get(path, params=dict(params) if params else None)
        return json_or_error(response, connector=self.connector), response.url

    def parse(self, model: type[M] | TypeAdapter[M], data: Any, endpoint: str) -> M:
        return parse_payload(
            model, data, connector=self.connector, endpoint=endpoint, secrets=self.session.secrets
        )

    def pages(
        self, path: str, item: type[M], params: Mapping[str, Any] | None = None, *, v2: bool = False
    ) -> Iterator[M]:
        """Every item of a listing: v2 by ``Link`` header, v1 by ``_links.next`` joined to
        ``_links.base`` (which keeps the context path; the library joins it to the host)."""
        adapter: TypeAdapter[Page[M]] = TypeAdapter(Page[item])  # type: ignore[valid-type]
        if v2:
            listing = link_header_pages(self.session, path, params=params)
        else:
            listing = next_link_pages(
                self.session, path, next_link=_v1_next, base=_v1_base, params=params
            )
        for page in listing:
            yield from self.parse(adapter, page.body, page.url).results

    def offset_listing(self, path: str, item: type[M]) -> Iterator[M]:
        """Every item of a v1 ``start``/``limit`` listing at ``member_page_size`` a page, paged
        by offset, for listings whose ``_links.next`` no source shows reliably (the space
        watcher listings); the server's own ``limit`` says whether a page was full."""
        adapter: TypeAdapter[Page[M]] = TypeAdapter(Page[item])  # type: ignore[valid-type]
        listing = offset_pages(
            self.session,
            path,
            items=lambda body: body["results"],
            limit=self.settings.member_page_size,
            served_limit=lambda body: body.get("limit"),
        )
        for page in listing:
            yield from self.parse(adapter, page.body, page.url).results

    # -- directory -------------------------------------------------------------------------

    def current_user(self) -> User:
        data, url = self.get("rest/api/user/current")
        return self.parse(User, data, url)

    def group_members(self, group: str) -> Iterator[User]:
        """Cloud: by group id (``membersByGroupId``); DC: by group name (``/member``)."""
        quoted = urllib.parse.quote(group, safe="")
        tail = "membersByGroupId" if self.cloud else "member"
        params = {"start": 0, "limit": self.settings.member_page_size}
        try:
            yield from self.pages(f"rest/api/group/{quoted}/{tail}", User, params)
        except ConnectorFatalError as err:
            if getattr(err, "status", None) == 404:
                raise ConnectorFatalError(
                    f"group {group!r} not found (Cloud wants group ids, DC group names)",
                    connector=self.connector,
                    endpoint=describe_endpoint(self.base + f"/rest/api/group/{quoted}/{tail}"),
                ) from None
            raise

    def spaces(self, keys: tuple[str, ...]) -> Iterator[Space]:
        """Cloud: v2 ``/spaces`` (the v1 listing is gone); DC: v1 ``/rest/api/space``."""
        if self.cloud:
            params: dict[str, Any] = {"limit": V2_MAX_LIMIT, "status": "current"}
            if keys:
                params["keys"] = ",".join(keys)
            return self.pages("api/v2/spaces", Space, params, v2=True)
        query: dict[str, Any] = {"start": 0, "limit": self.settings.member_page_size}
        if keys:
            query["spaceKey"] = list(keys)
        return self.pages("rest/api/space", Space, query)

    def space_watchers(self, key: str) -> Iterator[User]:
        """Who watches space ``key`` (administrators only): Cloud's experimental v1
        ``/space/{key}/watch`` (``SpaceWatch`` entries), DC's ``/space/{key}/watchers`` (users)."""
        quoted = urllib.parse.quote(key, safe="")
        if self.cloud:
            for watch in self.offset_listing(f"rest/api/space/{quoted}/watch", SpaceWatch):
                yield watch.watcher
        else:
            yield from self.offset_listing(f"rest/api/space/{quoted}/watchers", User)

    # -- content ---------------------------------------------------------------------------

    def search(
        self, cql: str, *, limit: int | None = None, expand: str = SEARCH_EXPAND
    ) -> Iterator[Content]:
        params = {
            "cql": cql,
            "expand": expand,
            "limit": limit or self.settings.search_page_size,
        }
        return self.pages("rest/api/content/search", Content, params)

    def search_records(
        self, cql: str, *, expand: str = SEARCH_EXPAND
    ) -> Iterator[Content | Malformed]:
        """Like :meth:`search`, but a result that does not parse is yielded as
        :class:`Malformed` (its id and first bad field) and the rest of the page is kept."""
        params = {"cql": cql, "expand": expand, "limit": self.settings.search_page_size}
        adapter: TypeAdapter[Page[Any]] = TypeAdapter(Page[Any])
        listing = next_link_pages(
            self.session,
            "rest/api/content/search",
            next_link=_v1_next,
            base=_v1_base,
            params=params,
        )
        after: dt.datetime | None = None
        for page in listing:
            for raw in self.parse(adapter, page.body, page.url).results:
                try:
                    content = self.parse(Content, raw, page.url)
                except ConnectorPayloadError as err:
                    record = raw.get("id") if isinstance(raw, dict) else None
                    kind = raw.get("type") if isinstance(raw, dict) else None
                    yield Malformed(
                        str(record) if isinstance(record, str | int) else "unknown",
                        kind if isinstance(kind, str) else None,
                        err.context.get("field"),
                        err.context.get("endpoint") or page.url,
                        after,
                    )
                    continue
                after = content.version.when
                yield content

    def newest_change(self, since: dt.datetime, spaces: tuple[str, ...]) -> dt.datetime | None:
        """The last modification at or after ``since`` (one request), or None. A newest result
        without a readable ``version.when`` counts as a change (the scan names it)."""
        cql = cql_for(since, spaces, newest_first=True)
        params = {"cql": cql, "expand": "version", "limit": 1}
        data, url = self.get("rest/api/content/search", params)
        page = self.parse(TypeAdapter(Page[Any]), data, url)
        newest: dt.datetime | None = None
        for raw in page.results:
            try:
                when = self.parse(Content, raw, url).version.when
            except ConnectorPayloadError:
                return UNREADABLE_CHANGE
            newest = when if newest is None or when > newest else newest
        return newest

    def views_since(self, content_id: str, since: dt.datetime) -> int:
        """Cloud analytics: how often the content was viewed since ``since`` (nobody named)."""
        stamp = since.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        quoted = urllib.parse.quote(content_id, safe="")
        data, url = self.get(f"rest/api/analytics/content/{quoted}/views", {"fromDate": stamp})
        return self.parse(ViewCount, data, url).count

    def versions(self, content: Content) -> list[tuple[int, str | None, dt.datetime]]:
        """``(number, author id, when)`` of every version of a page or blog post."""
        try:
            if self.cloud:
                kind = "pages" if content.type == "page" else "blogposts"
                params = {"limit": self.settings.versions_limit}
                path = f"api/v2/{kind}/{content.id}/versions"
                found = self.pages(path, V2Version, params, v2=True)
                return [(v.number, v.author_id, v.created_at) for v in found]
            query = {"start": 0, "limit": self.settings.versions_limit}
            listed = self.pages(f"rest/api/content/{content.id}/version", Version, query)
            return [(v.number, v.by.person_id if v.by else None, v.when) for v in listed]
        except (ConnectorAuthError, ConnectorFatalError) as err:
            status = getattr(err, "status", None)
            if status in (403, 404):
                raise ContentGone(
                    err.message,
                    connector=self.connector,
                    status=status,
                    endpoint=err.context.get("endpoint"),
                ) from None
            raise


__all__ = [
    "CONTENT_TYPES",
    "ConfluenceClient",
    "ContentGone",
    "Malformed",
    "cql_for",
    "cql_time",
]

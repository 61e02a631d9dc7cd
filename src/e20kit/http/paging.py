"""Paging loops every connector needs, written once: offset, page number, body cursor, links.

Each helper is a generator of :class:`Page` objects over an :class:`~e20kit.http.HttpSession`, so
the base URL, retries, pacing and redaction apply to every page. Each stops by itself at the last
page, raises :class:`~e20kit.errors.ConnectorFatalError` after ``max_pages`` pages (a server that
never ends its listing), and raises :class:`~e20kit.errors.ConnectorPayloadError` when the server
repeats a cursor or next URL, sends a next link to another host, or a body is not what the helper
needs. Every error names the connector and the redacted endpoint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from requests.utils import parse_header_links

from ..errors import ConnectorFatalError, ConnectorPayloadError
from .mapping import json_or_error
from .redaction import describe_endpoint, redact

if TYPE_CHECKING:
    from .session import HttpSession

DEFAULT_MAX_PAGES = 10_000

Items = Callable[[Any], Sequence[Any]]
"""``items(body)``: the records of one page's decoded JSON body."""
Params = Mapping[str, Any]


@dataclass(frozen=True)
class Page:
    """One page of a listing."""

    body: Any
    """The decoded JSON of this page."""
    items: list[Any]
    """``items(body)`` when an extractor was given, else ``[]``."""
    url: str
    """The URL requested (not redacted: do not log it yourself)."""
    number: int
    """0-based position of this page in the listing."""
    headers: Mapping[str, str] = field(default_factory=dict)


def _fail(session: HttpSession, url: str, message: str) -> ConnectorPayloadError:
    return ConnectorPayloadError(
        redact(message, session.secrets),
        connector=session.connector,
        endpoint=describe_endpoint(url, session.secrets),
    )


_BAD_BODY = (KeyError, IndexError, TypeError, AttributeError, ValueError)


def _safely(
    session: HttpSession, url: str, what: str, read: Callable[[Any], Any], body: Any
) -> Any:
    """``read(body)``; a body the plugin's reader cannot handle is a payload error, not a crash."""
    try:
        return read(body)
    except _BAD_BODY as exc:
        detail = f"{type(exc).__name__}: {exc}"
    raise _fail(session, url, f"malformed page: no {what} ({detail})")


def _fetch(
    session: HttpSession, path: str, params: Params | None, number: int, items: Items | None
) -> Page:
    response = session.get(path, params=dict(params) if params else None)
    body = json_or_error(response, connector=session.connector, secrets=session.secrets)
    url = response.url or session.url(path)
    found: list[Any] = []
    if items is not None:
        extracted = _safely(session, url, "items", items, body)
        if isinstance(extracted, str | bytes | Mapping) or not isinstance(extracted, Sequence):
            kind = type(extracted).__name__
            raise _fail(session, url, f"malformed page: expected a list of items, got {kind}")
        found = list(extracted)
    return Page(body=body, items=found, url=url, number=number, headers=response.headers)


def _check_cap(session: HttpSession, url: str, number: int, max_pages: int) -> None:
    if number >= max_pages:
        raise ConnectorFatalError(
            f"more than {max_pages} pages; stopping (a listing that never ends? "
            "raise max_pages if it is really this long)",
            connector=session.connector,
            endpoint=describe_endpoint(url, session.secrets),
        )


def offset_pages(
    session: HttpSession,
    path: str,
    *,
    items: Items,
    limit: int,
    params: Params | None = None,
    offset_param: str = "start",
    limit_param: str = "limit",
    served_limit: Callable[[Any], Any] | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> Iterator[Page]:
    """``start``/``limit`` pages: the next offset is the number of items read so far; a page
    shorter than ``limit`` (or empty) ends the listing.

    Servers often cap the limit asked for (Confluence answers 200 when asked for 500) and say
    so in the body: ``served_limit(body)`` reads that limit, and a page as full as it is not
    the last one. Without it, a capped listing would end after its first page.
    """
    offset = number = 0
    while True:
        query = {**(params or {}), offset_param: offset, limit_param: limit}
        page = _fetch(session, path, query, number, items)
        yield page
        full = limit
        if served_limit is not None:
            served = _safely(session, page.url, "served limit", served_limit, page.body)
            if isinstance(served, int) and not isinstance(served, bool) and served > 0:
                full = min(limit, served)
        if not page.items or len(page.items) < full:
            return
        offset += len(page.items)
        number += 1
        _check_cap(session, page.url, number, max_pages)


def page_number_pages(
    session: HttpSession,
    path: str,
    *,
    items: Items,
    size: int,
    params: Params | None = None,
    page_param: str = "page",
    size_param: str = "per_page",
    first: int = 0,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> Iterator[Page]:
    """``page``/``per_page`` pages counted from ``first``; stops at a short (or empty) page."""
    return _numbered_pages(
        session,
        path,
        items,
        size,
        lambda n: {**(params or {}), page_param: first + n, size_param: size},
        max_pages,
    )


def _numbered_pages(
    session: HttpSession,
    path: str,
    items: Items,
    size: int,
    query: Callable[[int], Params],
    max_pages: int,
) -> Iterator[Page]:
    """Page ``n`` asks ``query(n)``; a page shorter than ``size`` ends the listing."""
    number = 0
    while True:
        page = _fetch(session, path, query(number), number, items)
        yield page
        if len(page.items) < size:
            return
        number += 1
        _check_cap(session, page.url, number, max_pages)


def body_cursor_pages(
    session: HttpSession,
    path: str,
    *,
    next_params: Callable[[Any], Params | None],
    items: Items | None = None,
    params: Params | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> Iterator[Page]:
    """Pages whose body says how to ask for the next one.

    ``next_params(body)`` gives the params of the next request (merged over ``params``), or
    ``None`` when the listing is done. A cursor the server already gave raises
    :class:`ConnectorPayloadError`, so a server stuck on one page cannot loop forever.
    """
    seen: set[tuple[tuple[str, str], ...]] = set()
    query: dict[str, Any] = dict(params or {})
    number = 0
    while True:
        page = _fetch(session, path, query, number, items)
        yield page
        cursor = _safely(session, page.url, "next cursor", next_params, page.body)
        if cursor is None:
            return
        if not isinstance(cursor, Mapping):
            raise _fail(session, page.url, "malformed page: the next cursor is not a mapping")
        key = tuple(sorted((str(k), str(v)) for k, v in cursor.items()))
        if key in seen or not key:
            raise _fail(session, page.url, "the server repeated a cursor; stopping")
        seen.add(key)
        query = {**(params or {}), **cursor}
        number += 1
        _check_cap(session, page.url, number, max_pages)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def join_link(link: str, *, base: str | None, current: str) -> str:
    """Where a next link points: absolute as is; ``/path`` after ``base`` (keeping its context
    path, e.g. ``https://host/confluence`` + ``/rest/api/...``, unless the link already starts
    with that path) or at ``current``'s origin; any other relative link against ``current``."""
    if urlsplit(link).scheme:
        return link
    if not link.startswith("/"):
        return urljoin(current, link)
    if base:
        prefix = urlsplit(base).path.rstrip("/")
        if not prefix or not (link == prefix or link.startswith(prefix + "/")):
            return base.rstrip("/") + link
        current = base
    scheme, netloc = _origin(current)
    return f"{scheme}://{netloc}{link}"


def _follow(
    session: HttpSession,
    path: str,
    *,
    next_of: Callable[[Page], str | None],
    items: Items | None,
    params: Params | None,
    max_pages: int,
    allow_other_origin: bool,
) -> Iterator[Page]:
    """The loop of the two link-following helpers: ``next_of(page)`` is the absolute next URL."""
    page = _fetch(session, path, params, 0, items)
    seen = {page.url}
    origin = _origin(page.url)
    while True:
        yield page
        target = next_of(page)
        if target is None:
            return
        if not allow_other_origin and _origin(target) != origin:
            raise _fail(session, page.url, "the next link points to another host; not following")
        if target in seen:
            raise _fail(session, page.url, "the server repeated a next link; stopping")
        _check_cap(session, page.url, page.number + 1, max_pages)
        page = _fetch(session, target, None, page.number + 1, items)
        seen.update((target, page.url))


def link_header_pages(
    session: HttpSession,
    path: str,
    *,
    items: Items | None = None,
    params: Params | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
    allow_other_origin: bool = False,
) -> Iterator[Page]:
    """Follows ``Link: <url>; rel="next"`` (absolute or relative to the request URL)."""

    def next_of(page: Page) -> str | None:
        link = _link_next(page.headers.get("Link") or page.headers.get("link") or "")
        return urljoin(page.url, link) if link else None

    return _follow(
        session,
        path,
        next_of=next_of,
        items=items,
        params=params,
        max_pages=max_pages,
        allow_other_origin=allow_other_origin,
    )


def _link_next(header: str) -> str | None:
    """The ``rel="next"`` target of a ``Link`` header (RFC 8288; ``rel`` may list several)."""
    for link in parse_header_links(header) if header else []:
        if "next" in str(link.get("rel", "")).lower().split():
            return link.get("url") or None
    return None


def next_link_pages(
    session: HttpSession,
    path: str,
    *,
    next_link: Callable[[Any], str | None],
    base: Callable[[Any], str | None] | None = None,
    items: Items | None = None,
    params: Params | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
    allow_other_origin: bool = False,
) -> Iterator[Page]:
    """Follows a next link in the body, absolute or relative.

    ``next_link(body)`` gives the link (``None`` or empty when done). A relative ``/path`` is
    joined to ``base(body)`` when given, keeping its context path (Atlassian: ``_links.base`` such
    as ``https://host/confluence``; never ``urljoin``, which would drop it), else to the request's
    origin. Graph: ``next_link=lambda b: b.get("@odata.nextLink")``. Links to another host are
    refused (the session would send its credentials there) unless ``allow_other_origin``.
    """

    def next_of(page: Page) -> str | None:
        link = _safely(session, page.url, "next link", next_link, page.body)
        if not link:
            return None
        root = _safely(session, page.url, "base", base, page.body) if base is not None else None
        if not isinstance(link, str) or (root is not None and not isinstance(root, str)):
            raise _fail(session, page.url, "malformed page: the next link is not a string")
        return join_link(link, base=root or None, current=page.url)

    return _follow(
        session,
        path,
        next_of=next_of,
        items=items,
        params=params,
        max_pages=max_pages,
        allow_other_origin=allow_other_origin,
    )


__all__ = [
    "DEFAULT_MAX_PAGES",
    "Page",
    "body_cursor_pages",
    "join_link",
    "link_header_pages",
    "next_link_pages",
    "offset_pages",
    "page_number_pages",
]

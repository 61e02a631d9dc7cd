"""The fake's HTTP endpoints: exactly those the connector and the publisher call.

Paging as the products do it: v1 offset listings (``start``/``limit``) and the Cloud CQL cursor
carry ``_links.next`` **relative to** ``_links.base`` (so without the context path: the trap
atlassian-python-api falls into); v2 listings answer a ``Link: <...>; rel="next"`` header and the
same URL in ``_links.next`` (there including ``/wiki``). Limits above a listing's maximum are
capped, as the servers do.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import time
import urllib.parse
from collections.abc import Callable, Sequence
from typing import Any

from e20kit.sandbox import Request, Response, Router

from . import serialise as s
from .cql import CqlError, parse
from .limits import CloudLimit, DataCenterLimit
from .state import Content, FakeData, User

MAX_SEARCH = 100
"""Cap of an expanded CQL search (Cloud's documented limit is 'fixed system limits'; ours)."""
MAX_V1 = 200
MAX_V2 = 250

Json = dict[str, Any]


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _int(request: Request, name: str, default: int) -> int:
    raw = request.arg(name)
    if raw in (None, ""):
        return default
    try:
        return int(str(raw))
    except ValueError:
        raise ApiError(400, f"{name} must be a number") from None


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _offset(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        return int(raw.removeprefix("offset:"))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ApiError(400, "invalid cursor") from None


class FakeApi:
    """Callable app for one deployment: ``cloud`` (under ``/wiki``) or DC (under ``context``)."""

    def __init__(
        self,
        data: FakeData,
        *,
        cloud: bool,
        context: str = "",
        rate_limit_per_s: float | None = None,
        dc_capacity: int | None = None,
    ) -> None:
        self.data = data
        self.cloud = cloud
        self.context = "/wiki" if cloud else context.rstrip("/")
        self.analytics = True
        """False: analytics answer 403, as on a site or account without them."""
        self.space_admin = True
        """False: space watcher listings answer 403, as for an account that is neither a
        Confluence Administrator nor a Space Administrator."""
        self.limit: CloudLimit | DataCenterLimit | None = None
        if rate_limit_per_s:
            if cloud:
                self.limit = CloudLimit(rate_limit_per_s)
            else:
                rate = max(1, round(rate_limit_per_s))
                self.limit = DataCenterLimit(dc_capacity or rate, rate, 1)
        self.throttled = 0
        self.router = Router(error=lambda req, status, msg: self._error(req, ApiError(status, msg)))
        self._routes()

    # -- plumbing --------------------------------------------------------------------------

    def site(self, request: Request) -> s.Site:
        host = request.headers.get("Host", "127.0.0.1")
        return s.Site(self.cloud, f"http://{host}", self.context)

    def _error(self, request: Request, err: ApiError) -> Response:
        return Response.json(s.error(self.site(request), err.status, err.message), err.status)

    def __call__(self, request: Request) -> Response:
        headers: dict[str, str] = {}
        if self.limit is not None:
            allowed, headers = self.limit.check()
            if not allowed:
                self.throttled += 1
                body = s.error(self.site(request), 429, "Rate limit exceeded")
                return Response.json(body, 429, headers)
        try:
            user = self._authenticate(request)
            response = self.router(_Authed(request, user))
        except ApiError as err:
            response = self._error(request, err)
        response.headers = {**(response.headers or {}), **headers}
        return response

    def _authenticate(self, request: Request) -> User:
        raw = request.headers.get("Authorization", "")
        scheme, _, value = raw.partition(" ")
        key: str | None = None
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(value.strip()).decode()
            except (ValueError, binascii.Error, UnicodeDecodeError):
                decoded = ""
            key = self.data.credentials.get(f"basic:{decoded}")
        elif scheme.lower() == "bearer" and not self.cloud:
            key = self.data.credentials.get(f"bearer:{value.strip()}")
        user = self.data.users.get(key or "")
        if user is None or not user.active:
            raise ApiError(401, "Client must be authenticated to access this resource.")
        return user

    def _routes(self) -> None:
        p = self.context
        add = self.router.add
        add("GET", p + "/rest/api/user/current", self.get_current_user)
        add("GET", p + "/rest/api/content/search", self.get_search)
        # publishing the report (v2 on Cloud, v1 on DC)
        if self.cloud:
            add("GET", p + "/api/v2/pages", self.get_pages_v2)
            add("POST", p + "/api/v2/pages", self.post_page_v2)
            add("PUT", p + "/api/v2/pages/{cid}", self.put_page_v2)
        else:
            add("GET", p + "/rest/api/content", self.get_content_v1)
            add("POST", p + "/rest/api/content", self.post_content_v1)
            add("PUT", p + "/rest/api/content/{cid}", self.put_content_v1)
        if self.cloud:
            add("GET", p + "/rest/api/group/{group}/membersByGroupId", self.get_members_by_id)
            add("GET", p + "/api/v2/spaces", self.get_spaces_v2)
            add("GET", p + "/api/v2/pages/{cid}/versions", self.get_versions_v2)
            add("GET", p + "/api/v2/blogposts/{cid}/versions", self.get_versions_v2)
            add("GET", p + "/rest/api/analytics/content/{cid}/views", self.get_views)
            add("GET", p + "/rest/api/analytics/content/{cid}/viewers", self.get_viewers)
            add("GET", p + "/rest/api/space/{key}/watch", self.get_space_watchers)
        else:
            add("GET", p + "/rest/api/group/{group}/member", self.get_members_by_name)
            add("GET", p + "/rest/api/space", self.get_spaces_v1)
            add("GET", p + "/rest/api/content/{cid}/version", self.get_versions_v1)
            add("GET", p + "/rest/api/space/{key}/watchers", self.get_space_watchers)

    # -- paging ----------------------------------------------------------------------------

    def _v1_page(
        self,
        request: Request,
        items: Sequence[Any],
        render: Callable[[Any], Json],
        *,
        maximum: int,
        default: int = 25,
        cursor: bool = False,
    ) -> Response:
        """An offset (or Cloud cursor) page with ``_links.next`` relative to ``_links.base``."""
        site = self.site(request)
        limit = min(max(_int(request, "limit", default), 1), maximum)
        token = request.arg("cursor")
        start = _offset(token) if cursor and token else max(_int(request, "start", 0), 0)
        chunk = items[start : start + limit]
        tail = request.path.removeprefix(self.context)
        query = {k: v for k, v in request.query.items() if k not in ("start", "cursor", "limit")}
        following = None
        if start + limit < len(items):
            extra = (
                {"cursor": [_cursor(start + limit)]} if cursor else {"start": [str(start + limit)]}
            )
            params = {**query, "limit": [str(limit)], **extra}
            following = tail + "?" + urllib.parse.urlencode(params, doseq=True)
        body = {
            "results": [render(item) for item in chunk],
            "start": start,
            "limit": limit,
            "size": len(chunk),
            "_links": site.links(tail, following),
        }
        return Response.json(body)

    def _v2_page(
        self, request: Request, items: Sequence[Any], render: Callable[[Any], Json]
    ) -> Response:
        """A v2 cursor page: ``Link`` header and ``_links.next`` (both with ``/wiki``)."""
        limit = min(max(_int(request, "limit", 25), 1), MAX_V2)
        token = request.arg("cursor")
        start = _offset(token) if token else 0
        chunk = items[start : start + limit]
        body: Json = {"results": [render(item) for item in chunk], "_links": {}}
        headers: dict[str, str] = {}
        if start + limit < len(items):
            query = {k: v for k, v in request.query.items() if k not in ("cursor", "limit")}
            params = {**query, "limit": [str(limit)], "cursor": [_cursor(start + limit)]}
            following = request.path + "?" + urllib.parse.urlencode(params, doseq=True)
            body["_links"] = {"next": following, "base": self.site(request).base}
            headers["Link"] = f'<{following}>; rel="next"'
        else:
            body["_links"] = {"base": self.site(request).base}
        return Response.json(body, headers=headers)

    # -- endpoints -------------------------------------------------------------------------

    def get_current_user(self, request: _Authed) -> Response:
        return Response.json(s.user(self.site(request), request.user))

    def _group_members(self, request: Request, group_key: str, by_id: bool) -> Response:
        with self.data.lock:
            group = next(
                (g for g in self.data.groups.values() if (g.id if by_id else g.name) == group_key),
                None,
            )
            if group is None:
                raise ApiError(
                    404, f"No group found with {'id' if by_id else 'name'} : {group_key}"
                )
            members = [self.data.users[k] for k in group.members if self.data.users[k].active]
        site = self.site(request)
        return self._v1_page(
            request, members, lambda u: s.user(site, u), maximum=MAX_V1, default=200
        )

    def get_members_by_id(self, request: Request, group: str) -> Response:
        return self._group_members(request, group, by_id=True)

    def get_members_by_name(self, request: Request, group: str) -> Response:
        return self._group_members(request, group, by_id=False)

    def _readable_spaces(self, keys: set[str] | None, kind: str | None) -> list[Any]:
        with self.data.lock:
            found = [
                sp
                for sp in self.data.spaces.values()
                if sp.readable and (keys is None or sp.key in keys) and kind in (None, sp.type)
            ]
        return sorted(found, key=lambda sp: sp.key)

    def get_spaces_v2(self, request: Request) -> Response:
        raw = request.arg("keys")
        keys = {k for k in raw.split(",") if k} if raw else None
        found = self._readable_spaces(keys, request.arg("type"))
        site = self.site(request)
        return self._v2_page(request, found, lambda sp: s.space_v2(site, sp))

    def get_spaces_v1(self, request: Request) -> Response:
        keys = set(request.query.get("spaceKey", [])) or None
        found = self._readable_spaces(keys, request.arg("type"))
        site = self.site(request)
        return self._v1_page(request, found, lambda sp: s.space_v1(site, sp), maximum=MAX_V1)

    def get_search(self, request: Request) -> Response:
        cql = request.arg("cql")
        if not cql:
            raise ApiError(400, "cql is required")
        try:
            query = parse(cql)
        except CqlError as err:
            raise ApiError(400, str(err)) from None
        readable = {k for k, sp in self.data.spaces.items() if sp.readable}
        with self.data.lock:
            found = [
                c
                for c in self.data.content.values()
                if c.space in readable and c.status == "current" and query.matches(c)
            ]
            found.sort(key=lambda c: (c.modified_at, int(c.id)), reverse=query.descending)
        expand = set(",".join(request.query.get("expand", [])).split(","))
        site = self.site(request)
        spaces, users = self.data.spaces, self.data.users
        return self._v1_page(
            request,
            found,
            lambda c: s.content(site, c, spaces, users, expand, self.data.content.get(c.container)),
            maximum=MAX_SEARCH,
            cursor=self.cloud,
        )

    def _item(self, cid: str, types: tuple[str, ...]) -> Content:
        item = self.data.content.get(cid)
        space = self.data.spaces.get(item.space) if item else None
        if (
            item is None
            or item.type not in types
            or item.status != "current"
            or not (space and space.readable)
        ):
            raise ApiError(404, f"No content found with id : {cid}")
        if item.restricted:
            raise ApiError(403, "You do not have permission to view this content")
        return item

    def get_versions_v2(self, request: Request, cid: str) -> Response:
        kind = "page" if "/pages/" in request.path else "blogpost"
        item = self._item(cid, (kind,))
        newest_first = list(reversed(item.versions))  # v2 default sort: -modified-date
        return self._v2_page(request, newest_first, lambda v: s.version_v2(v, item))

    def get_versions_v1(self, request: Request, cid: str) -> Response:
        item = self._item(cid, ("page", "blogpost"))
        site, users = self.site(request), self.data.users
        newest_first = list(reversed(item.versions))
        return self._v1_page(
            request,
            newest_first,
            lambda v: s.version_v1(site, v, users),
            maximum=MAX_V1,
            default=200,
        )

    # -- space watchers (Cloud: experimental v1 /watch; DC: /watchers) ------------------------

    def get_space_watchers(self, request: Request, key: str) -> Response:
        """Cloud answers ``SpaceWatch`` entries, DC the users; both page by ``start``/``limit``
        with ``_links`` as the other v1 listings (neither endpoint is in the OpenAPI subsets)."""
        if not self.space_admin:
            raise ApiError(403, "Only a Confluence or space administrator may view watchers")
        with self.data.lock:
            space = self.data.spaces.get(key)
            if space is None or not space.readable:
                raise ApiError(404, f"No space with key : {key}")
            watchers = [self.data.users[k] for k in space.watchers if k in self.data.users]
        site = self.site(request)

        def render(u: User) -> Json:
            return s.space_watch(site, space, u) if self.cloud else s.user(site, u)

        return self._v1_page(request, watchers, render, maximum=MAX_V1)

    # -- analytics (Cloud only: Data Center has no page-view API) ------------------------------

    def _viewed_since(self, request: Request, cid: str) -> tuple[Content, list[int]]:
        if not self.analytics:
            raise ApiError(403, "Analytics is not available for this site")
        item = self._item(cid, ("page", "blogpost"))
        raw = request.arg("fromDate")
        since = 0
        if raw:
            try:
                since = int(dt.datetime.fromisoformat(str(raw)).timestamp() * 1000)
            except ValueError:
                raise ApiError(400, "fromDate must be an ISO date-time") from None
        with self.data.lock:
            return item, [at for at in item.views if at >= since]

    def get_views(self, request: Request, cid: str) -> Response:
        item, views = self._viewed_since(request, cid)
        return Response.json({"id": int(item.id), "count": len(views)})

    def get_viewers(self, request: Request, cid: str) -> Response:
        # the fake keeps no readers: every view counts as a distinct viewer (an upper bound)
        item, views = self._viewed_since(request, cid)
        return Response.json({"id": int(item.id), "count": len(views)})

    # -- publishing ------------------------------------------------------------------------

    def _titled(self, space: str, title: str) -> list[Content]:
        with self.data.lock:
            return [
                c
                for c in self.data.content.values()
                if c.type == "page"
                and c.space == space
                and c.title == title
                and c.status == "current"
            ]

    def _space_by_id(self, raw: str | None) -> str:
        found = next((sp.key for sp in self.data.spaces.values() if str(sp.id) == raw), None)
        if found is None:
            raise ApiError(404, f"No space with id {raw}")
        return found

    def get_pages_v2(self, request: Request) -> Response:
        key = self._space_by_id(request.arg("space-id"))
        found = self._titled(key, request.arg("title") or "")
        with_body = request.arg("body-format") == "storage"
        return self._v2_page(request, found, lambda c: s.page_v2(c, self.data.spaces, with_body))

    def _body(self, request: Request) -> Json:
        body = request.json()
        if not isinstance(body, dict) or not body.get("title"):
            raise ApiError(400, "title is required")
        return body

    def post_page_v2(self, request: _Authed) -> Response:
        body = self._body(request)
        key = self._space_by_id(str(body.get("spaceId")))
        if self._titled(key, str(body["title"])):
            raise ApiError(400, "A page with this title already exists in this space")
        value = str((body.get("body") or {}).get("value", ""))
        page = self.data.add_content(
            "page", key, request.user.key, self._now(), title=str(body["title"]), body=value
        )
        return Response.json(s.page_v2(page, self.data.spaces, True))

    def _update(self, request: _Authed, cid: str, number: Any, value: str) -> Content:
        item = self._item(cid, ("page",))
        if number != item.versions[-1].number + 1:
            raise ApiError(
                409, f"Version must be incremented: current version is {item.versions[-1].number}"
            )
        self.data.edit(cid, request.user.key, self._now(), body=value)
        return item

    def put_page_v2(self, request: _Authed, cid: str) -> Response:
        body = self._body(request)
        value = str((body.get("body") or {}).get("value", ""))
        item = self._update(request, cid, (body.get("version") or {}).get("number"), value)
        return Response.json(s.page_v2(item, self.data.spaces, True))

    def get_content_v1(self, request: Request) -> Response:
        key, title = request.arg("spaceKey") or "", request.arg("title") or ""
        found = self._titled(key, title)
        expand = set(",".join(request.query.get("expand", [])).split(","))
        site = self.site(request)
        return self._v1_page(
            request, found, lambda c: s.page_v1(site, c, self.data, expand), maximum=MAX_V1
        )

    def post_content_v1(self, request: _Authed) -> Response:
        body = self._body(request)
        key = str((body.get("space") or {}).get("key", ""))
        if key not in self.data.spaces:
            raise ApiError(404, f"No space with key : {key}")
        if self._titled(key, str(body["title"])):
            raise ApiError(400, "A page with this title already exists")
        value = str(((body.get("body") or {}).get("storage") or {}).get("value", ""))
        page = self.data.add_content(
            "page", key, request.user.key, self._now(), title=str(body["title"]), body=value
        )
        return Response.json(
            s.page_v1(self.site(request), page, self.data, {"version", "body.storage"})
        )

    def put_content_v1(self, request: _Authed, cid: str) -> Response:
        body = self._body(request)
        value = str(((body.get("body") or {}).get("storage") or {}).get("value", ""))
        item = self._update(request, cid, (body.get("version") or {}).get("number"), value)
        return Response.json(
            s.page_v1(self.site(request), item, self.data, {"version", "body.storage"})
        )

    def _now(self) -> int:
        return int(time.time() * 1000)


class _Authed(Request):
    """The request with the authenticated user attached (handlers read ``request.user``)."""

    user: User

    def __init__(self, request: Request, user: User) -> None:
        super().__init__(request.method, request.path, request.query, request.headers, request.body)
        object.__setattr__(self, "user", user)


__all__ = ["MAX_SEARCH", "MAX_V1", "MAX_V2", "ApiError", "FakeApi"]

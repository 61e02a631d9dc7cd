"""The fake's HTTP endpoints: exactly those the connector and notifier call, answered the way
Mattermost answers them (paging limits, ``since`` capped at 1000, 201 on create, the ``AppError``
body, a plain-text 429 and ``X-Ratelimit-*`` headers on every response).
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections.abc import Callable
from typing import Any

from e20kit.sandbox import Request, Response, Router

from . import serialise as s
from .reports import user_reports
from .state import FakeData, User

Handler = Callable[..., Response]

MAX_PER_PAGE = 200
SINCE_CAP = 1000


class ApiError(Exception):
    def __init__(self, status: int, error_id: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error_id, self.message = status, error_id, message


def _int(request: Request, name: str, default: int) -> int:
    raw = request.arg(name)
    if raw in (None, ""):
        return default
    try:
        return int(str(raw))
    except ValueError:
        raise ApiError(400, "api.context.invalid_url_param.app_error", f"Invalid {name}") from None


def _page(request: Request, default_per_page: int = 60) -> tuple[int, int]:
    page = max(_int(request, "page", 0), 0)
    per_page = _int(request, "per_page", default_per_page)
    if per_page <= 0 or per_page > MAX_PER_PAGE:
        per_page = MAX_PER_PAGE if per_page > MAX_PER_PAGE else default_per_page
    return page, per_page


class RateLimiter:
    """A per-second token bucket like the server's (``PerSec`` with ``MaxBurst``)."""

    def __init__(self, per_s: float, burst: int | None = None) -> None:
        self.per_s = per_s
        self.burst = float(burst if burst is not None else max(int(per_s), 1))
        self.tokens = self.burst
        self.last = time.monotonic()
        self.lock = threading.Lock()

    def take(self) -> tuple[bool, dict[str, str]]:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.last) * self.per_s)
            self.last = now
            allowed = self.tokens >= 1.0
            if allowed:
                self.tokens -= 1.0
            reset = math.ceil((self.burst - self.tokens) / self.per_s) if self.per_s else 0
            headers = {
                "X-Ratelimit-Limit": str(int(self.per_s)),
                "X-Ratelimit-Remaining": str(int(self.tokens)),
                "X-Ratelimit-Reset": str(reset),
            }
        return allowed, headers


class FakeApi:
    """Callable app: authentication, rate limit, routing, Mattermost error bodies."""

    def __init__(
        self,
        data: FakeData,
        *,
        rate_limit_per_s: float | None = None,
        report_dialect: str = "server",
    ) -> None:
        self.data = data
        self.limiter = RateLimiter(rate_limit_per_s) if rate_limit_per_s else None
        self.report_dialect = report_dialect
        self.throttled = 0
        self.unavailable: dict[str, int] = {}
        """Route pattern -> status (403 or 404): play a server that forbids or lacks it."""
        self._local = threading.local()
        self._request_ids = itertools.count(1)
        self.router = Router(error=self._router_error)
        self._routes()

    # -- plumbing --------------------------------------------------------------------------

    def _router_error(self, request: Request, status: int, message: str) -> Response:
        return self._error(ApiError(status, "api.context.404.app_error", message))

    def _error(self, err: ApiError) -> Response:
        request_id = f"fakereq{next(self._request_ids):018d}"
        return Response.json(
            s.app_error(err.status, err.error_id, err.message, request_id), err.status
        )

    def __call__(self, request: Request) -> Response:
        headers: dict[str, str] = {}
        if self.limiter is not None:
            allowed, headers = self.limiter.take()
            if not allowed:
                self.throttled += 1
                return Response.text("limit exceeded\n", 429, headers)
        try:
            self._authenticate(request)
            response = self.router(request)
        except ApiError as err:
            response = self._error(err)
        response.headers = {**(response.headers or {}), **headers}
        return response

    def _authenticate(self, request: Request) -> None:
        raw = request.headers.get("Authorization", "")
        scheme, _, token = raw.partition(" ")
        uid = self.data.tokens.get(token.strip()) if scheme.lower() in ("bearer", "token") else None
        if uid is None or uid not in self.data.users or self.data.users[uid].delete_at:
            raise ApiError(
                401,
                "api.context.session_expired.app_error",
                "Invalid or expired session, please login again.",
            )
        self._local.uid = uid

    def _me(self, request: Request) -> User:
        return self.data.users[str(self._local.uid)]

    def _require_admin(self, request: Request) -> None:
        if "system_admin" not in self._me(request).roles.split():
            raise ApiError(
                403,
                "api.context.permissions.app_error",
                "You do not have the appropriate permissions.",
            )

    def _user(self, request: Request, user_id: str) -> User:
        uid = self._me(request).id if user_id == "me" else user_id
        user = self.data.users.get(uid)
        if user is None:
            raise ApiError(404, "app.user.missing_account.const", "Unable to find the user.")
        return user

    def _may_read_channel(self, request: Request, channel_id: str) -> None:
        channel = self.data.channels.get(channel_id)
        if channel is None:
            raise ApiError(404, "app.channel.get.existing.app_error", "Unable to find channel.")
        me = self._me(request)
        if me.id not in channel.members and channel.type != "O" and "system_admin" not in me.roles:
            raise ApiError(
                403,
                "api.context.permissions.app_error",
                "You do not have the appropriate permissions.",
            )

    # -- routes ----------------------------------------------------------------------------

    def _unless_unavailable(self, pattern: str, handler: Handler) -> Handler:
        def handle(request: Request, **params: str) -> Response:
            status = self.unavailable.get(pattern)
            if status == 404:
                raise ApiError(404, "api.context.404.app_error", "Sorry, we could not find it.")
            if status is not None:
                raise ApiError(
                    status,
                    "api.context.permissions.app_error",
                    "You do not have the appropriate permissions.",
                )
            return handler(request, **params)

        return handle

    def _routes(self) -> None:
        def add(method: str, pattern: str, handler: Handler) -> None:
            self.router.add(method, pattern, self._unless_unavailable(pattern, handler))

        add("GET", "/api/v4/users", self.get_users)
        add("GET", "/api/v4/users/{user_id}", self.get_user)
        add("GET", "/api/v4/users/{user_id}/teams", self.get_user_teams)
        add("GET", "/api/v4/users/{user_id}/teams/{team_id}/channels", self.get_user_channels)
        add("POST", "/api/v4/users/status/ids", self.post_statuses)
        add("POST", "/api/v4/users/ids", self.post_users_by_ids)
        add("GET", "/api/v4/teams", self.get_teams)
        add("GET", "/api/v4/teams/{team_id}/members", self.get_team_members)
        add("GET", "/api/v4/teams/{team_id}/channels", self.get_team_channels)
        add("GET", "/api/v4/channels", self.get_channels)
        add("POST", "/api/v4/channels/direct", self.post_direct)
        add("GET", "/api/v4/channels/{channel_id}", self.get_channel)
        add("GET", "/api/v4/channels/{channel_id}/members", self.get_channel_members)
        add("GET", "/api/v4/channels/{channel_id}/posts", self.get_posts)
        add("POST", "/api/v4/posts", self.post_post)
        add("GET", "/api/v4/reports/users", self.get_reports)

    def get_users(self, request: Request) -> Response:
        page, per_page = _page(request)
        with self.data.lock:
            users = sorted(self.data.users.values(), key=lambda u: u.username)
        chunk = users[page * per_page : (page + 1) * per_page]
        return Response.json([s.user(u) for u in chunk])

    def get_user(self, request: Request, user_id: str) -> Response:
        return Response.json(s.user(self._user(request, user_id)))

    def get_user_teams(self, request: Request, user_id: str) -> Response:
        user = self._user(request, user_id)
        with self.data.lock:
            teams = [t for t in self.data.teams.values() if user.id in t.members]
        return Response.json([s.team(t) for t in teams])

    def get_user_channels(self, request: Request, user_id: str, team_id: str) -> Response:
        user = self._user(request, user_id)
        me = self._me(request)
        if user.id != me.id:
            self._require_admin(request)
        with self.data.lock:
            found = [
                c
                for c in self.data.channels.values()
                if user.id in c.members and c.team_id in (team_id, "") and not c.delete_at
            ]
        return Response.json([s.channel(c) for c in sorted(found, key=lambda c: c.id)])

    def post_statuses(self, request: Request) -> Response:
        ids = request.json()
        if not isinstance(ids, list) or not ids:
            raise ApiError(400, "api.context.invalid_body_param.app_error", "Invalid user_ids")
        now = self.data.now_ms()
        with self.data.lock:
            found = [self.data.users[i] for i in ids if i in self.data.users]
        return Response.json([s.status(u, now) for u in found])

    def post_users_by_ids(self, request: Request) -> Response:
        ids = request.json()
        if not isinstance(ids, list) or not ids:
            raise ApiError(400, "api.context.invalid_body_param.app_error", "Invalid user_ids")
        self._me(request)
        with self.data.lock:
            found = [self.data.users[i] for i in ids if i in self.data.users]
        return Response.json([s.user(u) for u in found])

    def get_teams(self, request: Request) -> Response:
        page, per_page = _page(request)
        me = self._me(request)
        with self.data.lock:
            teams = sorted(self.data.teams.values(), key=lambda t: t.name)
        if "system_admin" not in me.roles.split():
            teams = [t for t in teams if me.id in t.members]
        return Response.json([s.team(t) for t in teams[page * per_page : (page + 1) * per_page]])

    def get_team_members(self, request: Request, team_id: str) -> Response:
        page, per_page = _page(request)
        team = self.data.teams.get(team_id)
        if team is None:
            raise ApiError(404, "app.team.get.find.app_error", "Unable to find the team.")
        with self.data.lock:
            members = sorted(team.members)
        chunk = members[page * per_page : (page + 1) * per_page]
        return Response.json([s.team_member(team_id, u) for u in chunk])

    def get_team_channels(self, request: Request, team_id: str) -> Response:
        page, per_page = _page(request)
        with self.data.lock:
            found = sorted(
                (
                    c
                    for c in self.data.channels.values()
                    if c.team_id == team_id and c.type == "O" and not c.delete_at
                ),
                key=lambda c: c.display_name,
            )
        chunk = found[page * per_page : (page + 1) * per_page]
        return Response.json([s.channel(c) for c in chunk])

    def get_channels(self, request: Request) -> Response:
        self._require_admin(request)
        page, per_page = _page(request, default_per_page=MAX_PER_PAGE)
        deleted = request.arg("include_deleted", "false") == "true"
        with self.data.lock:
            found = sorted(
                (
                    c
                    for c in self.data.channels.values()
                    if c.type in ("O", "P") and (deleted or not c.delete_at)
                ),
                key=lambda c: (c.display_name, c.id),
            )
            chunk = found[page * per_page : (page + 1) * per_page]
            body = [s.channel_with_team(c, self.data) for c in chunk]
        return Response.json(body)

    def get_channel(self, request: Request, channel_id: str) -> Response:
        self._may_read_channel(request, channel_id)
        return Response.json(s.channel(self.data.channels[channel_id]))

    def get_channel_members(self, request: Request, channel_id: str) -> Response:
        self._may_read_channel(request, channel_id)
        page, per_page = _page(request)
        channel = self.data.channels[channel_id]
        with self.data.lock:
            members = sorted(channel.members)
        chunk = members[page * per_page : (page + 1) * per_page]
        return Response.json([s.channel_member(channel, u) for u in chunk])

    def get_posts(self, request: Request, channel_id: str) -> Response:
        self._may_read_channel(request, channel_id)
        since = request.arg("since")
        if request.arg("include_deleted") == "true":
            self._require_admin(request)  # read_deleted_posts
        with self.data.lock:
            if since not in (None, ""):
                if any(request.arg(k) for k in ("page", "per_page", "before", "after")):
                    raise ApiError(
                        400,
                        "api.context.invalid_url_param.app_error",
                        "since must not be used with page, per_page, before or after",
                    )
                after = _int(request, "since", 0)
                changed = [p for p in self.data.channel_posts[channel_id] if p.update_at > after]
                changed.sort(key=lambda p: (p.create_at, p.id), reverse=True)
                return Response.json(s.post_list(changed[:SINCE_CAP]))
            page, per_page = _page(request)
            live = list(self.data.live_posts(channel_id))
        chunk = live[page * per_page : (page + 1) * per_page]
        more = len(live) > (page + 1) * per_page
        return Response.json(s.post_list(chunk, has_next=more))

    def post_direct(self, request: Request) -> Response:
        ids = request.json()
        if not isinstance(ids, list) or len(ids) != 2 or not all(isinstance(i, str) for i in ids):
            raise ApiError(
                400,
                "api.context.invalid_body_param.app_error",
                "Invalid or missing user_ids in request body.",
            )
        me = self._me(request)
        if me.id not in ids and "system_admin" not in me.roles.split():
            raise ApiError(
                403,
                "api.context.permissions.app_error",
                "You do not have the appropriate permissions.",
            )
        for uid in ids:
            if uid not in self.data.users:
                raise ApiError(
                    400,
                    "api.context.invalid_body_param.app_error",
                    "Invalid or missing user_ids in request body.",
                )
        channel = self.data.direct_channel(ids[0], ids[1])
        return Response.json(s.channel(channel), 201)

    def post_post(self, request: Request) -> Response:
        body: Any = request.json()
        if not isinstance(body, dict) or not body.get("channel_id") or "message" not in body:
            raise ApiError(
                400,
                "api.context.invalid_body_param.app_error",
                "Invalid or missing post in request body.",
            )
        channel_id = str(body["channel_id"])
        self._may_read_channel(request, channel_id)
        raw = body.get("props")
        props: dict[str, Any] = dict(raw) if isinstance(raw, dict) else {}
        me = self._me(request)
        if me.is_bot:
            props = {**props, "from_bot": "true"}
        post = self.data.add_post(
            channel_id,
            me.id,
            message=str(body["message"]),
            root_id=str(body.get("root_id") or ""),
            props=props,
        )
        return Response.json(s.post(post), 201)

    def get_reports(self, request: Request) -> Response:
        self._require_admin(request)
        size = _int(request, "page_size", 50)
        if not 1 <= size <= 100:
            raise ApiError(
                400,
                "api.getUsersForReporting.invalid_page_size",
                "Page size must be between 1 and 100.",
            )
        rows = user_reports(
            self.data,
            date_range=request.arg("date_range") or "",
            dialect=self.report_dialect,
            after=(request.arg("from_column_value") or "", request.arg("from_id") or ""),
            size=size,
        )
        return Response.json(rows)


__all__ = ["FakeApi", "RateLimiter"]

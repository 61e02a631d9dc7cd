"""A small Mattermost REST v4 client over the core's HTTP session.

It knows Mattermost's paging rules (``per_page`` at most 200, ``/reports/users`` cursor pages of
at most 100, the 1000-post cap of ``since``) and its rate-limit headers. Errors come from the
core's mapping helpers, so they name the connector and the redacted endpoint and carry the
server's ``id``, ``message``, ``status_code`` and ``request_id``; a 429 body is plain text and is
shown as such. Every answer is parsed into the models of :mod:`.payloads` before it is returned,
so a malformed one is one ConnectorPayloadError naming the endpoint and the field.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeVar

import requests
from pydantic import BaseModel, ValidationError

from e20kit import (
    ConnectorFatalError,
    HttpSession,
    body_cursor_pages,
    json_or_error,
    page_number_pages,
    parse_payload,
    raise_for_status,
)
from e20kit.http import describe_endpoint

from .payloads import (
    Channel,
    ChannelMember,
    Made,
    Post,
    PostList,
    Status,
    Team,
    TeamMember,
    User,
    UserReport,
)

API = "/api/v4"
MAX_PER_PAGE = 200
SINCE_CAP = 1000
"""``GET /channels/{id}/posts?since=`` returns at most this many posts, not consecutive ones."""
REPORT_PAGE_SIZE = 100
STATUS_BATCH = 200

log = logging.getLogger("e20kit.mattermost")

M = TypeVar("M", bound=BaseModel)


def _mattermost_error(response: requests.Response) -> bool:
    """Whether an error answer is Mattermost's own (``{"id": "....app_error", ...}``): a 401
    from another kind of server is a wrong url, not a wrong token."""
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and str(body.get("id", "")).endswith("app_error")


class MattermostClient:
    """Typed calls for the endpoints the connector and notifier use; one session per client."""

    def __init__(
        self,
        session: HttpSession,
        *,
        token: str,
        connector: str,
        per_page: int = MAX_PER_PAGE,
    ) -> None:
        self.session = session
        self.connector = connector
        self.secrets = (token,)
        self.per_page = min(per_page, MAX_PER_PAGE)
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.session.headers["Accept"] = "application/json"

    # -- transport -------------------------------------------------------------------------

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """One call; returns the decoded JSON body or raises a ConnectorError."""
        response = self._answer(method, path, **kwargs)
        return json_or_error(response, connector=self.connector, secrets=self.secrets)

    def _answer(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One call's response; a server that does not answer like Mattermost raises."""
        # the session's MattermostRatePolicy paces at the advertised X-Ratelimit-Limit and
        # pauses before the quota runs out, so the server never has to answer 429
        response = self.session.request(method, API + path, **kwargs)
        if response.status_code in (401, 403, 404) and not _mattermost_error(response):
            raise ConnectorFatalError(
                f"the server does not answer like Mattermost (HTTP {response.status_code} "
                "without a Mattermost error body); is the url that of the Mattermost server "
                "(not the wiki or a proxy's login page)?",
                connector=self.connector,
                endpoint=describe_endpoint(response.url or API + path, self.secrets),
                status=response.status_code,
            )
        return response

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.request("GET", path, params=dict(params or {}))

    def parsed(self, model: type[M], data: Any, path: str) -> M:
        """``data`` of ``path`` as ``model``, or one ConnectorPayloadError naming the field."""
        return parse_payload(
            model, data, connector=self.connector, endpoint=API + path, secrets=self.secrets
        )

    def _list(self, model: type[M], data: Any, path: str) -> list[M]:
        """A JSON array of ``model`` objects, or one ConnectorPayloadError naming the field."""
        items: list[M] = parse_payload(
            list[model],  # type: ignore[valid-type]
            data,
            connector=self.connector,
            endpoint=API + path,
            secrets=self.secrets,
        )
        return items

    def paged(
        self, path: str, model: type[M], params: Mapping[str, Any] | None = None
    ) -> Iterator[M]:
        """Every item of a ``page``/``per_page`` listing; stops at the first short page."""
        pages = page_number_pages(
            self.session,
            API + path,
            items=lambda body: self._list(model, body, path),
            size=self.per_page,
            params=params,
        )
        for page in pages:
            yield from page.items

    # -- directory -------------------------------------------------------------------------

    def me(self) -> User:
        return self.parsed(User, self.get("/users/me"), "/users/me")

    def users(self) -> Iterator[User]:
        """Active and deactivated users (the listing returns both without a filter)."""
        return self.paged("/users", User)

    def teams(self, *, admin: bool, me: str = "me") -> list[Team]:
        """All teams for a system admin, the token user's teams otherwise."""
        if admin:
            return list(self.paged("/teams", Team))
        path = f"/users/{me}/teams"
        return self._list(Team, self.get(path), path)

    def team_members(self, team_id: str) -> Iterator[TeamMember]:
        return self.paged(f"/teams/{team_id}/members", TeamMember)

    def all_channels(self) -> Iterator[Channel]:
        """Public and private channels of every team (needs ``manage_system``)."""
        return self.paged("/channels", Channel, {"include_deleted": "false"})

    def team_channels(self, team_id: str) -> Iterator[Channel]:
        """A team's public channels (any team member may list them)."""
        return self.paged(f"/teams/{team_id}/channels", Channel)

    def channel_members(self, channel_id: str) -> Iterator[ChannelMember]:
        return self.paged(f"/channels/{channel_id}/members", ChannelMember)

    def user_channels(self, user_id: str, team_id: str) -> list[Channel]:
        """A member's channels in a team, including their direct and group messages."""
        path = f"/users/{user_id}/teams/{team_id}/channels"
        return self._list(Channel, self.get(path), path)

    def statuses(self, user_ids: Sequence[str]) -> Iterator[Status]:
        for start in range(0, len(user_ids), STATUS_BATCH):
            batch = list(user_ids[start : start + STATUS_BATCH])
            path = "/users/status/ids"
            yield from self._list(Status, self.request("POST", path, json=batch), path)

    def users_by_ids(self, user_ids: Sequence[str]) -> Iterator[User]:
        """``POST /users/ids`` in batches (any active session may ask)."""
        for start in range(0, len(user_ids), STATUS_BATCH):
            batch = list(user_ids[start : start + STATUS_BATCH])
            yield from self._list(
                User, self.request("POST", "/users/ids", json=batch), "/users/ids"
            )

    def user_reports(self, date_range: str) -> Iterator[UserReport]:
        """``/reports/users`` with cursor paging (``from_column_value`` + ``from_id``)."""
        path = "/reports/users"

        def after_last(rows: list[UserReport]) -> dict[str, str] | None:
            if len(rows) < REPORT_PAGE_SIZE:
                return None
            last = rows[-1]
            return {"from_column_value": last.username, "from_id": last.id}

        params = {
            "page_size": REPORT_PAGE_SIZE,
            "sort_column": "Username",
            "direction": "next",
            "date_range": date_range,
        }
        pages = body_cursor_pages(
            self.session,
            API + path,
            next_params=lambda body: after_last(self._list(UserReport, body, path)),
            items=lambda body: self._list(UserReport, body, path),
            params=params,
        )
        for page in pages:
            yield from page.items

    # -- posts -----------------------------------------------------------------------------

    def _post_list(self, data: Any, path: str) -> list[Post]:
        """A ``PostList`` (``order`` + ``posts`` map) as a list in ``order``."""
        return self.parsed(PostList, data, path).in_order()

    def posts_since(
        self, channel_id: str, since_ms: int, *, include_deleted: bool = False
    ) -> list[Post]:
        """Posts created or changed after ``since_ms``, deleted ones flagged (<= 1000).

        ``include_deleted`` (system admins only) asks explicitly for deleted posts; the server
        returns them in ``since`` answers anyway, so clients can drop them.
        """
        path = f"/channels/{channel_id}/posts"
        params: dict[str, Any] = {"since": since_ms}
        if include_deleted:
            params["include_deleted"] = "true"
        return self._post_list(self.get(path, params), path)

    def posts_pages(self, channel_id: str, *, stop_before_ms: int) -> Iterator[Post]:
        """Live posts newest first, page by page, until a page reaches ``stop_before_ms``."""
        path = f"/channels/{channel_id}/posts"
        pages = page_number_pages(
            self.session,
            API + path,
            items=lambda body: self._post_list(body, path),
            size=self.per_page,
        )
        for page in pages:
            yield from page.items
            if page.items and min(p.create_at for p in page.items) < stop_before_ms:
                return

    def recent_posts(self, channel_id: str, count: int) -> list[Post]:
        path = f"/channels/{channel_id}/posts"
        return self._post_list(self.get(path, {"page": 0, "per_page": count}), path)

    # -- messaging -------------------------------------------------------------------------

    def direct_channel(self, user_a: str, user_b: str) -> Made:
        """The DM channel of two users, created if needed (answers 201)."""
        path = "/channels/direct"
        return self.parsed(Made, self.request("POST", path, json=[user_a, user_b]), path)

    def create_post(self, channel_id: str, message: str, props: Mapping[str, Any]) -> Post | None:
        """Post ``message``; the post made, or ``None`` when the server answered a success
        other than the documented one (``201`` with a ``Post`` of that channel), so whether it
        was made is unknown. An error status raises, as every call does."""
        body = {"channel_id": channel_id, "message": message, "props": dict(props)}
        response = self._answer("POST", "/posts", json=body)
        raise_for_status(response, connector=self.connector, secrets=self.secrets)
        if response.status_code != 201:
            return None
        try:
            data = json.loads(response.content)
            post = Post.model_validate(data)
        except (ValueError, ValidationError):
            return None
        return post if data.get("channel_id") == channel_id else None


__all__ = ["API", "MAX_PER_PAGE", "REPORT_PAGE_SIZE", "SINCE_CAP", "MattermostClient"]

"""The fake answers what the vendor's OpenAPI subset says the server answers."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import pytest
import requests
import yaml
from e20kit_mattermost.fake import ADMIN_TOKEN, BOT_TOKEN, MattermostFake
from openapi_schema_validator import OAS30Validator

from e20kit.sandbox import Org
from e20kit.testing import shared_path


@lru_cache(maxsize=1)
def _spec() -> dict[str, Any]:
    with shared_path("specs", "mattermost-openapi-subset.yaml").open(encoding="utf-8") as fh:
        spec: dict[str, Any] = yaml.safe_load(fh)
    return spec


def _schema(path: str, method: str, status: int) -> dict[str, Any]:
    spec = _spec()
    response = spec["paths"][path][method]["responses"][str(status)]
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    schema: dict[str, Any] = response["content"]["application/json"]["schema"]
    return {**schema, "components": spec["components"]}


def _check(response: requests.Response, path: str, method: str = "get") -> Any:
    body = response.json()
    OAS30Validator(_schema(path, method, response.status_code)).validate(body)
    return body


@pytest.fixture
def api(fake: MattermostFake) -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"
        session.base_url = fake.url + "/api/v4"  # type: ignore[attr-defined]
        yield session


def _get(api: requests.Session, path: str, **params: Any) -> requests.Response:
    return api.get(api.base_url + path, params=params, timeout=5)  # type: ignore[attr-defined]


def test_directory_endpoints_match_the_spec(api: requests.Session, fake: MattermostFake) -> None:
    users = _check(_get(api, "/users", per_page=200), "/api/v4/users")
    assert len(users) > 10
    _check(_get(api, "/users/me"), "/api/v4/users/{user_id}")
    teams = _check(_get(api, "/teams", per_page=200), "/api/v4/teams")
    team = teams[0]["id"]
    _check(_get(api, "/users/me/teams"), "/api/v4/users/{user_id}/teams")
    _check(_get(api, f"/teams/{team}/members", per_page=200), "/api/v4/teams/{team_id}/members")
    _check(_get(api, f"/teams/{team}/channels"), "/api/v4/teams/{team_id}/channels")
    channels = _check(_get(api, "/channels", per_page=200), "/api/v4/channels")
    cid = channels[0]["id"]
    _check(_get(api, f"/channels/{cid}"), "/api/v4/channels/{channel_id}")
    _check(_get(api, f"/channels/{cid}/members"), "/api/v4/channels/{channel_id}/members")
    member = users[-1]["id"]
    _check(
        _get(api, f"/users/{member}/teams/{team}/channels"),
        "/api/v4/users/{user_id}/teams/{team_id}/channels",
    )
    statuses = api.post(api.base_url + "/users/status/ids", json=[member], timeout=5)  # type: ignore[attr-defined]
    _check(statuses, "/api/v4/users/status/ids", "post")
    _check(_get(api, "/reports/users", page_size=100), "/api/v4/reports/users")


def test_posts_match_the_spec(api: requests.Session, fake: MattermostFake) -> None:
    cid = max(fake.data.channels.values(), key=lambda c: c.total_msg_count).id
    page = _check(
        _get(api, f"/channels/{cid}/posts", per_page=200),
        "/api/v4/channels/{cid}/posts".replace("{cid}", "{channel_id}"),
    )
    assert page["order"] and set(page["order"]) == set(page["posts"])
    since = _check(
        _get(api, f"/channels/{cid}/posts", since=1), "/api/v4/channels/{channel_id}/posts"
    )
    assert len(since["order"]) >= len(page["order"])
    assert any(p["metadata"].get("reactions") for p in since["posts"].values())


def test_errors_match_the_spec(fake: MattermostFake, api: requests.Session) -> None:
    anonymous = requests.get(fake.url + "/api/v4/users", timeout=5)
    assert anonymous.status_code == 401
    body = _check(anonymous, "/api/v4/users")
    assert {"id", "message", "request_id", "status_code"} <= set(body)
    bot = requests.get(
        fake.url + "/api/v4/channels", headers={"Authorization": f"Bearer {BOT_TOKEN}"}, timeout=5
    )
    assert bot.status_code == 403  # listing every channel needs manage_system
    OAS30Validator(_schema("/api/v4/channels/{channel_id}", "get", 403)).validate(bot.json())


def test_direct_message_flow_matches_the_spec(fake: MattermostFake, org: Org) -> None:
    headers = {"Authorization": f"Bearer {BOT_TOKEN}"}
    member = next(u for u in fake.data.users.values() if not u.is_bot and "admin" not in u.roles)
    direct = requests.post(
        fake.url + "/api/v4/channels/direct",
        json=[fake.accounts.bot_id, member.id],
        headers=headers,
        timeout=5,
    )
    assert direct.status_code == 201
    channel = _check(direct, "/api/v4/channels/direct", "post")
    assert channel["type"] == "D"
    post = requests.post(
        fake.url + "/api/v4/posts",
        json={"channel_id": channel["id"], "message": "hi", "props": {"e20kit_key": "k1"}},
        headers=headers,
        timeout=5,
    )
    assert post.status_code == 201
    body = _check(post, "/api/v4/posts", "post")
    assert body["props"]["e20kit_key"] == "k1"


def test_rate_limit_headers_and_plain_text_429(org: Org) -> None:
    with MattermostFake.from_org(org, rate_limit_per_s=2) as fake:
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        answers = [
            requests.get(fake.url + "/api/v4/users/me", headers=headers, timeout=5)
            for _ in range(4)
        ]
    assert answers[0].status_code == 200
    assert {"X-Ratelimit-Limit", "X-Ratelimit-Remaining", "X-Ratelimit-Reset"} <= set(
        answers[0].headers
    )
    limited = [a for a in answers if a.status_code == 429]
    assert limited
    assert limited[0].text.strip() == "limit exceeded"
    assert limited[0].headers["Content-Type"].startswith("text/plain")

"""Unit tests with ``responses``: recorded server payloads and the vendor's documented shapes."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import responses
from e20kit_mattermost.client import MattermostClient
from e20kit_mattermost.connector import MATTERMOST_CONNECTOR, MattermostConnector
from e20kit_mattermost.counting import start_ms, tally
from e20kit_mattermost.payloads import PostList
from e20kit_mattermost.ratelimit import MattermostRatePolicy
from responses import matchers

from e20kit import (
    Action,
    Activity,
    Checkpoint,
    ConnectorAuthError,
    ConnectorPayloadError,
    ConnectorRetriableError,
    Feature,
    HttpSession,
    RateAdvice,
    RatePolicy,
    Replace,
    Window,
    make_session,
)
from e20kit.testing import FAST_HTTP, build_connector, shared_path

URL = "https://chat.example.org"
API = URL + "/api/v4"
TOKEN = "tok-3c2d1e0f-unit"
TEAM = "abcdef8bdmdeq41ji99qgjja"


def recorded(name: str) -> Any:
    path = shared_path("data", "perceval-recorded-payloads", "mattermost", name)
    return json.loads(path.read_text(encoding="utf-8"))


def connector(**options: Any) -> MattermostConnector:
    table = {"url": URL, "token_env": "MM_TOKEN", **options}
    built = build_connector(
        MATTERMOST_CONNECTOR, table, env={"MM_TOKEN": TOKEN}, name="chat", sleep=lambda _s: None
    )
    assert isinstance(built, MattermostConnector)
    return built


def _directory(rsps: responses.RequestsMock, *, channel: dict[str, Any] | None = None) -> None:
    """The listing requests of a system admin on a server with the two recorded users."""
    sduenas, valcos = (
        recorded("mattermost_user_sduenas.json"),
        recorded("mattermost_user_valcos.json"),
    )
    bot = {"id": "bot0000000000000000000000a", "username": "bot", "is_bot": True, "delete_at": 0}
    rsps.get(API + "/users/me", json=sduenas)
    rsps.get(API + "/users", json=[sduenas, valcos, bot])
    rsps.get(API + "/teams", json=[{"id": TEAM, "name": "grimoire", "delete_at": 0}])
    rsps.get(
        API + f"/teams/{TEAM}/members",
        json=[{"team_id": TEAM, "user_id": u["id"], "delete_at": 0} for u in (sduenas, valcos)],
    )
    rsps.get(API + "/channels", json=[channel or recorded("mattermost_channel.json")])
    cid = (channel or recorded("mattermost_channel.json"))["id"]
    rsps.get(API + f"/channels/{cid}/members", json=[{"channel_id": cid, "user_id": valcos["id"]}])
    rsps.post(
        API + "/users/status/ids",
        json=[
            {
                "user_id": valcos["id"],
                "status": "away",
                "manual": False,
                "last_activity_at": 1523548306437,
            }
        ],
    )
    rsps.get(API + "/reports/users", json=recorded("mattermost_erros.json"), status=403)


@responses.activate
def test_people_from_recorded_users() -> None:
    _directory(responses.mock)
    people = {p.person_id: p for p in connector().people()}
    assert set(people) == {"8tbwn7uikpdy3gpse6fgiie5co", "haqnaxe4cpn4jfsx3w7x3y96ea"}  # no bot
    valcos = people["haqnaxe4cpn4jfsx3w7x3y96ea"]
    assert valcos.email == "valcos@bitergia.com"
    assert valcos.display_name == "valcos"
    assert valcos.joined_on == dt.date(2018, 4, 12)
    assert valcos.locale == "en" and valcos.active
    assert dict(valcos.attributes) == {"has_picture": False, "teams": 1, "channels": 1}
    users_call = next(c for c in responses.calls if c.request.url.startswith(API + "/users?"))
    assert "per_page=200" in users_call.request.url
    assert users_call.request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_recorded_posts_count_posts_replies_and_skip_system_messages() -> None:
    posts = PostList.model_validate(recorded("mattermost_posts.json")).in_order()
    posts += PostList.model_validate(recorded("mattermost_posts_next.json")).in_order()
    counts = tally(posts, from_ms=0)
    day = dt.date(2018, 4, 12)
    assert counts == {
        (day, "8tbwn7uikpdy3gpse6fgiie5co", Action.POST): 3,
        (day, "8tbwn7uikpdy3gpse6fgiie5co", Action.REPLY): 1,
        (day, "haqnaxe4cpn4jfsx3w7x3y96ea", Action.POST): 3,
    }  # the two "joined the team" system posts count for nobody


@responses.activate
def test_first_run_pages_the_channel_and_replaces_its_days() -> None:
    channel = {
        **recorded("mattermost_channel.json"),
        "id": "cf6axeehstft9eq4nq5uk5jqby",
        "last_post_at": 1523546846639,
    }
    _directory(responses.mock, channel=channel)
    cid = channel["id"]
    responses.get(API + f"/channels/{cid}/posts", json=recorded("mattermost_posts.json"))
    window = Window(start=dt.date(2018, 4, 1), end=dt.date(2018, 4, 30))
    items = list(connector(direct_messages=False).activity(window, {}))
    replace = next(i for i in items if isinstance(i, Replace))
    assert replace.container == cid and replace.window == window
    facts = {
        (f.person_id[:4], f.action): f.count
        for f in items
        if isinstance(f, Activity) and f.action is not Action.VISIT
    }
    assert facts == {("8tbw", Action.POST): 3, ("8tbw", Action.REPLY): 1, ("haqn", Action.POST): 1}
    assert all(
        f.feature is Feature.DISCUSSION
        for f in items
        if isinstance(f, Activity) and f.action is not Action.VISIT
    )
    assert Checkpoint(stream=f"channel:{cid}", value="1523546846639") in items
    posts_calls = [c for c in responses.calls if "/posts" in c.request.url]
    assert len(posts_calls) == 1 and "per_page=200" in posts_calls[0].request.url


@responses.activate
def test_since_cap_makes_the_connector_page_instead() -> None:
    channel = {**recorded("mattermost_channel.json"), "last_post_at": 1564408427459}
    _directory(responses.mock, channel=channel)
    cid = channel["id"]
    day = dt.date(2019, 7, 29)
    base = start_ms(day)

    def post(i: int) -> dict[str, Any]:
        return {
            "id": f"p{i:025d}",
            "create_at": base + 3_600_000 + i,
            "update_at": base + 3_600_000 + i,
            "delete_at": 0,
            "user_id": "haqnaxe4cpn4jfsx3w7x3y96ea",
            "channel_id": cid,
            "root_id": "",
            "type": "",
            "props": {},
        }

    capped = [post(i) for i in range(1000)]
    responses.get(
        API + f"/channels/{cid}/posts",
        json={"order": [p["id"] for p in capped], "posts": {p["id"]: p for p in capped}},
        match=[matchers.query_param_matcher({"since": str(base - 1), "include_deleted": "true"})],
    )
    everything = [post(i) for i in range(1200)][::-1]
    for page in range(7):
        chunk = everything[page * 200 : (page + 1) * 200]
        responses.get(
            API + f"/channels/{cid}/posts",
            json={"order": [p["id"] for p in chunk], "posts": {p["id"]: p for p in chunk}},
            match=[matchers.query_param_matcher({"page": str(page), "per_page": "200"})],
        )
    window = Window(start=dt.date(2019, 7, 1), end=dt.date(2019, 7, 31))
    bookmarks = {f"channel:{cid}": str(base + 1)}
    items = list(connector(direct_messages=False).activity(window, bookmarks))
    facts = [f for f in items if isinstance(f, Activity) and f.action is Action.POST]
    assert [(f.day, f.count) for f in facts] == [(day, 1200)]


@responses.activate
def test_error_body_fields_are_surfaced_without_the_token() -> None:
    responses.get(API + "/users/me", json=recorded("mattermost_erros.json"), status=403)
    with pytest.raises(ConnectorAuthError) as caught:
        list(connector().people())
    text = str(caught.value)
    assert "[chat https://chat.example.org/api/v4/users/me]" in text
    assert "api.context.permissions.app_error" in text
    assert "eacx15x9yjyrmjokidydrzykwy" in text  # request_id
    assert "403" in text and TOKEN not in text


@responses.activate
def test_plain_text_429_outliving_retries_is_a_retriable_error() -> None:
    headers = {"X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1"}
    responses.get(
        API + "/users/me",
        body="limit exceeded",
        status=429,
        headers=headers,
        content_type="text/plain",
    )
    with pytest.raises(ConnectorRetriableError) as caught:
        list(connector().people())
    assert "limit exceeded" in str(caught.value)
    assert len(responses.calls) == 1 + FAST_HTTP["retries"]  # the first try and every retry


@responses.activate
def test_reports_cursor_paging_and_the_date_range_mismatch() -> None:
    _directory(responses.mock)
    responses.mock.remove(responses.GET, API + "/reports/users")
    valcos = "haqnaxe4cpn4jfsx3w7x3y96ea"
    filler = [{"id": f"u{i:025d}", "username": f"u{i:03d}", "days_active": 3} for i in range(100)]
    responses.get(
        API + "/reports/users",
        json=filler,
        match=[
            matchers.query_param_matcher({"date_range": "last_30_days"}, strict_match=False),
            matchers.query_param_matcher({"page_size": "100"}, strict_match=False),
        ],
    )
    # The "server" answered all-time figures on the second page: days_active > 30.
    responses.get(
        API + "/reports/users",
        json=[{"id": valcos, "username": "valcos", "days_active": 45}],
        match=[
            matchers.query_param_matcher(
                {
                    "from_id": filler[-1]["id"],
                    "from_column_value": "u099",
                    "date_range": "last_30_days",
                },
                strict_match=False,
            )
        ],
    )
    responses.get(
        API + "/reports/users",
        json=[{"id": valcos, "username": "valcos", "days_active": 12}],
        match=[matchers.query_param_matcher({"date_range": "last30days"}, strict_match=False)],
    )
    people = {p.person_id: p for p in connector().people()}
    assert people[valcos].attributes["days_active_30d"] == 12


@responses.activate
def test_client_paces_at_the_servers_advertised_rate() -> None:
    _directory(responses.mock)
    responses.mock.replace(
        responses.GET,
        API + "/users/me",
        json=recorded("mattermost_user_sduenas.json"),
        headers={"X-Ratelimit-Limit": "10", "X-Ratelimit-Remaining": "9", "X-Ratelimit-Reset": "1"},
    )
    c = connector()
    list(c.people())
    session = c.client.session
    assert isinstance(session, HttpSession) and session.rate_limit_per_s == 10


NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    ("headers", "pause"),
    [
        ({"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "3"}, 3.0),
        ({"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": str(NOW + 5)}, 5.0),
        ({"X-Ratelimit-Remaining": "2", "X-Ratelimit-Reset": "4"}, 4.0),
        ({"X-Ratelimit-Remaining": "50", "X-Ratelimit-Reset": "1"}, None),
        ({"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": str(NOW - 5)}, 0.0),
        ({"X-Ratelimit-Remaining": "x", "X-Ratelimit-Reset": "2"}, None),
    ],
    ids=["seconds", "epoch", "within-reserve", "plenty-left", "past", "garbage"],
)
def test_rate_policy_pauses_until_the_window_resets(
    headers: dict[str, str], pause: float | None
) -> None:
    advice = MattermostRatePolicy(reserve=3).advise(headers, now=NOW)
    assert (advice.pause_s if advice else None) == (None if pause is None else pytest.approx(pause))


def test_rate_policy_reads_the_advertised_rate() -> None:
    policy = MattermostRatePolicy()
    assert policy.advise({"X-Ratelimit-Limit": "10"}, now=NOW) == RateAdvice(rate_per_s=10.0)
    assert policy.advise({"X-Ratelimit-Limit": "0"}, now=NOW) is None
    assert policy.advise({}, now=NOW) is None
    assert isinstance(policy, RatePolicy)


@responses.activate
def test_the_pause_holds_back_the_next_request() -> None:
    sleeps: list[float] = []
    session = make_session(
        "chat", base_url=URL, rate_policy=MattermostRatePolicy(), sleep=sleeps.append
    )
    responses.get(
        API + "/x", json={}, headers={"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "2"}
    )
    session.get_json("/api/v4/x")
    session.get_json("/api/v4/x")
    assert sleeps and sleeps[0] == pytest.approx(2.0, abs=0.1)


@responses.activate
def test_a_directory_that_is_not_a_list_of_objects_is_one_payload_error() -> None:
    responses.get(API + "/users", json=["alice", "bob", 3])
    client = MattermostClient(make_session("chat", base_url=URL), token=TOKEN, connector="chat")
    with pytest.raises(ConnectorPayloadError) as info:
        list(client.users())
    assert str(info.value).startswith("[chat /api/v4/users] malformed response: 0: ")
    assert "Input should be a valid dictionary" in str(info.value)

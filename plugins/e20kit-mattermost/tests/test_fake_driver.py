"""The fake driven by the third-party ``mattermostdriver`` client: users, channels, posts."""

from __future__ import annotations

import pytest
from e20kit_mattermost.fake import ADMIN_TOKEN, BOT_TOKEN, MattermostFake
from mattermostdriver import Driver
from mattermostdriver.exceptions import NoAccessTokenProvided


def _driver(fake: MattermostFake, token: str) -> Driver:
    driver = Driver(
        {
            "url": fake.server.host,
            "port": fake.server.port,
            "scheme": "http",
            "token": token,
            "basepath": "/api/v4",
            "timeout": 5,
        }
    )
    driver.login()
    return driver


def test_users_channels_and_posts_through_mattermostdriver(fake: MattermostFake) -> None:
    driver = _driver(fake, ADMIN_TOKEN)
    assert driver.client.username == "e20kit-admin"
    users = driver.users.get_users(params={"per_page": 200})
    assert len(users) == len(fake.data.users)
    team = driver.teams.get_teams(params={"per_page": 200})[0]
    member = next(u for u in users if u["id"] in fake.data.teams[team["id"]].members)
    assert driver.users.get_user(member["id"])["username"] == member["username"]
    mine = driver.channels.get_channels_for_user(member["id"], team["id"])
    assert mine and all(member["id"] in fake.data.channels[c["id"]].members for c in mine)
    channel = max(mine, key=lambda c: c["total_msg_count"])
    assert driver.channels.get_channel(channel["id"])["id"] == channel["id"]
    members = driver.channels.get_channel_members(channel["id"], params={"per_page": 200})
    assert {m["user_id"] for m in members} == set(fake.data.channels[channel["id"]].members)
    posts = driver.posts.get_posts_for_channel(channel["id"], params={"per_page": 200})
    live = [p.id for p in fake.data.live_posts(channel["id"])]
    assert posts["order"] == live[:200]


def test_direct_message_through_mattermostdriver(fake: MattermostFake) -> None:
    driver = _driver(fake, BOT_TOKEN)
    member = next(u for u in fake.data.users.values() if not u.is_bot)
    channel = driver.channels.create_direct_message_channel([fake.accounts.bot_id, member.id])
    post = driver.posts.create_post({"channel_id": channel["id"], "message": "hello"})
    assert [p.id for p in fake.data.posts_in(channel["id"])] == [post["id"]]


def test_bad_token_is_rejected_like_the_server_does(fake: MattermostFake) -> None:
    with pytest.raises(NoAccessTokenProvided):
        _driver(fake, "not-a-token")

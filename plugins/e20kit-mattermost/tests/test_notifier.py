"""The DM notifier against the fake: one direct message per key, readable in the fake."""

from __future__ import annotations

import pytest
from e20kit_mattermost.fake import BOT_TOKEN, MattermostFake
from e20kit_mattermost.notifier import KEY_PROP, MATTERMOST_NOTIFIER

from e20kit import Message, Notifier, NotifierError, Recipient
from e20kit.testing import build_notifier


def notifier(fake: MattermostFake, **options: object) -> Notifier:
    table = {"url": fake.url, "token_env": "MM_BOT_TOKEN", **options}
    env = {"MM_BOT_TOKEN": BOT_TOKEN}
    return build_notifier(MATTERMOST_NOTIFIER, table, env=env, name="nudges", sleep=lambda _s: None)


def _member(fake: MattermostFake) -> str:
    return next(u.id for u in fake.data.users.values() if not u.is_bot and "admin" not in u.roles)


def message(uid: str, key: str = "onboarding:m1:profile") -> Message:
    return Message(
        key=key,
        recipient=Recipient(member_key="m1", platform_ids={"mattermost": uid}),
        subject="Set a profile picture",
        body="It helps colleagues recognise you.",
        kind="onboarding.nudge",
    )


def test_one_dm_per_key_even_when_asked_twice(fake: MattermostFake) -> None:
    uid = _member(fake)
    first = message(uid)
    n = notifier(fake)
    assert n.was_sent(first) is False
    n.send(first)
    n.send(first)
    notifier(fake).send(first)  # a fresh process (crash after sending) asks again
    assert notifier(fake).was_sent(first) is True
    channel = fake.data.direct_channel(fake.accounts.bot_id, uid)
    posts = fake.data.posts_in(channel.id)
    assert [p.props[KEY_PROP] for p in posts] == [first.key]
    assert posts[0].user_id == fake.accounts.bot_id
    assert posts[0].message.startswith("**Set a profile picture**")
    second = message(uid, key="onboarding:m1:channels")
    n.send(second)
    assert len(fake.data.posts_in(channel.id)) == 2
    created = [r for r in fake.server.requests if r.method == "POST"]
    assert {r.status for r in created} == {201}


def test_bot_id_defaults_to_the_token_user(fake: MattermostFake) -> None:
    uid = _member(fake)
    notifier(fake, bot_user_id=None).send(message(uid))
    assert any(r.path == "/api/v4/users/me" for r in fake.server.requests)
    channel = fake.data.direct_channel(fake.accounts.bot_id, uid)
    assert len(fake.data.posts_in(channel.id)) == 1


def test_member_without_mattermost_account_is_a_notifier_error(fake: MattermostFake) -> None:
    lost = Message(key="k", recipient=Recipient(member_key="m9"), subject="s", body="b")
    with pytest.raises(NotifierError, match="no mattermost account"):
        notifier(fake).send(lost)

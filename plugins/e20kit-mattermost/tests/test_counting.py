"""Pure counting rules and the choice of members whose conversations are listed."""

from __future__ import annotations

import datetime as dt
import time

from e20kit_mattermost.counting import day_of, is_member_post, start_ms, tally
from e20kit_mattermost.directory import Directory, active_since
from e20kit_mattermost.payloads import Post, User

from e20kit import Action

DAY = dt.date(2026, 3, 2)
T = start_ms(DAY) + 3_600_000


def post(pid: str, user: str = "u1", **fields: object) -> Post:
    return Post.model_validate(
        {
            "id": pid,
            "user_id": user,
            "create_at": T,
            "update_at": T,
            "delete_at": 0,
            "root_id": "",
            "type": "",
            "props": {},
            **fields,
        }
    )


def test_who_counts() -> None:
    assert is_member_post(post("a"))
    assert not is_member_post(post("b", type="system_join_channel"))
    assert not is_member_post(post("c", props={"from_bot": "true"}))
    assert not is_member_post(post("d", props={"from_webhook": "true"}))
    assert not is_member_post(post("e", user="bot"), frozenset({"bot"}))


def test_tally_counts_days_actions_and_reactions_once() -> None:
    reaction = {"user_id": "u2", "post_id": "a", "emoji_name": "+1", "create_at": T + 86_400_000}
    posts = [
        post("a", metadata={"reactions": [reaction, {**reaction, "user_id": "bot"}]}),
        post("a"),  # the same post twice (two pages overlapping) counts once
        post("b", root_id="a"),
        post("c", delete_at=T + 5),
        post("old", create_at=T - 86_400_000),
    ]
    counts = tally(posts, from_ms=start_ms(DAY), bots=frozenset({"bot"}))
    assert counts == {
        (DAY, "u1", Action.POST): 1,
        (DAY, "u1", Action.REPLY): 1,
        (DAY + dt.timedelta(days=1), "u2", Action.REACT): 1,
    }


def test_day_boundaries_are_utc() -> None:
    assert day_of(start_ms(DAY)) == DAY
    assert day_of(start_ms(DAY) - 1) == DAY - dt.timedelta(days=1)


def test_conversations_are_listed_for_members_who_may_have_written() -> None:
    now = int(time.time() * 1000)
    users = [User(id=uid) for uid in ("u1", "u2", "u3")]
    d = Directory(me=User(id="admin"), admin=True, users=users)
    assert active_since(d, now) == ["u1", "u2", "u3"]  # nothing known: everyone
    d.last_activity = {"u1": now - 10, "u2": now + 10}
    assert active_since(d, now) == ["u2"]
    d.last_post = {"u1": now + 10, "u2": 0}
    assert active_since(d, now) == ["u1"]  # reports say exactly who posted
    long_ago = now - 60 * 86_400_000
    assert active_since(d, long_ago) == ["u1", "u2"]  # beyond the 30-day report: statuses

"""The fake server's data: users, teams, channels, posts and reactions, as plain records.

Tests and the org loader mutate it through :class:`FakeData`'s methods, which keep the derived
fields a real server maintains (``last_post_at``, ``update_at`` on reactions, ``delete_at``)
consistent, so the connector sees what it would see on a real server.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]


def make_id(*parts: object) -> str:
    """A deterministic 26-character id in Mattermost's shape."""
    digest = hashlib.blake2b("\0".join(map(str, parts)).encode(), digest_size=20).digest()
    return base64.b32encode(digest).decode().lower()[:26]


@dataclass
class User:
    id: str
    username: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    nickname: str = ""
    position: str = ""
    locale: str = "en"
    roles: str = "system_user"
    create_at: int = 0
    update_at: int = 0
    delete_at: int = 0
    last_picture_update: int = 0
    is_bot: bool = False
    last_activity_at: int = 0


@dataclass
class Team:
    id: str
    name: str
    display_name: str
    create_at: int = 0
    members: list[str] = field(default_factory=list)


@dataclass
class Channel:
    id: str
    team_id: str
    type: str
    name: str
    display_name: str
    creator_id: str = ""
    create_at: int = 0
    update_at: int = 0
    delete_at: int = 0
    last_post_at: int = 0
    total_msg_count: int = 0
    members: list[str] = field(default_factory=list)


@dataclass
class Reaction:
    user_id: str
    post_id: str
    emoji_name: str
    create_at: int


@dataclass
class Post:
    id: str
    channel_id: str
    user_id: str
    create_at: int
    message: str = ""
    root_id: str = ""
    type: str = ""
    props: Json = field(default_factory=dict)
    update_at: int = 0
    edit_at: int = 0
    delete_at: int = 0
    reactions: list[Reaction] = field(default_factory=list)


class FakeData:
    """The whole server state; every method is safe to call while the fake serves."""

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.users: dict[str, User] = {}
        self.teams: dict[str, Team] = {}
        self.channels: dict[str, Channel] = {}
        self.posts: dict[str, Post] = {}
        self.channel_posts: dict[str, list[Post]] = {}
        self.tokens: dict[str, str] = {}
        self._serial = itertools.count(1)

    def now_ms(self) -> int:
        return int(self.clock() * 1000)

    # -- directory -------------------------------------------------------------------------

    def add_user(self, username: str, *, token: str | None = None, **fields: Any) -> User:
        with self.lock:
            user = User(id=fields.pop("id", None) or make_id("user", username), username=username)
            for name, value in fields.items():
                setattr(user, name, value)
            user.update_at = user.update_at or user.create_at
            self.users[user.id] = user
            if token:
                self.tokens[token] = user.id
            return user

    def add_team(self, name: str, display_name: str | None = None, create_at: int = 0) -> Team:
        with self.lock:
            team = Team(make_id("team", name), name, display_name or name, create_at)
            self.teams[team.id] = team
            return team

    def join_team(self, team_id: str, user_id: str) -> None:
        with self.lock:
            members = self.teams[team_id].members
            if user_id not in members:
                members.append(user_id)

    def add_channel(
        self, team_id: str, name: str, *, type: str = "O", creator_id: str = "", create_at: int = 0
    ) -> Channel:
        with self.lock:
            channel = Channel(
                id=make_id("channel", team_id, name),
                team_id=team_id,
                type=type,
                name=name,
                display_name=name.replace("-", " ").title(),
                creator_id=creator_id,
                create_at=create_at,
                update_at=create_at,
            )
            self.channels[channel.id] = channel
            self.channel_posts[channel.id] = []
            return channel

    def join_channel(self, channel_id: str, user_id: str) -> None:
        with self.lock:
            members = self.channels[channel_id].members
            if user_id not in members:
                members.append(user_id)

    def direct_channel(self, user_a: str, user_b: str, create_at: int | None = None) -> Channel:
        """The DM channel of two users, created on first use (as the server does)."""
        with self.lock:
            first, second = sorted((user_a, user_b))
            cid = make_id("direct", first, second)
            if cid not in self.channels:
                at = self.now_ms() if create_at is None else create_at
                self.channels[cid] = Channel(
                    id=cid,
                    team_id="",
                    type="D",
                    name=f"{first}__{second}",
                    display_name="",
                    creator_id=user_a,
                    create_at=at,
                    update_at=at,
                    members=[first, second] if first != second else [first],
                )
                self.channel_posts[cid] = []
            return self.channels[cid]

    def group_channel(self, user_ids: list[str], create_at: int = 0) -> Channel:
        with self.lock:
            members = sorted(set(user_ids))
            cid = make_id("group", *members)
            if cid not in self.channels:
                self.channels[cid] = Channel(
                    id=cid,
                    team_id="",
                    type="G",
                    name=make_id("group-name", *members),
                    display_name=", ".join(self.users[u].username for u in members),
                    create_at=create_at,
                    update_at=create_at,
                    members=members,
                )
                self.channel_posts[cid] = []
            return self.channels[cid]

    # -- content ---------------------------------------------------------------------------

    def add_post(
        self,
        channel_id: str,
        user_id: str,
        create_at: int | None = None,
        *,
        message: str = "",
        root_id: str = "",
        props: Json | None = None,
        type: str = "",
    ) -> Post:
        with self.lock:
            at = self.now_ms() if create_at is None else create_at
            post = Post(
                id=make_id("post", channel_id, next(self._serial)),
                channel_id=channel_id,
                user_id=user_id,
                create_at=at,
                update_at=at,
                message=message or f"message {next(self._serial)}",
                root_id=root_id,
                props=dict(props or {}),
                type=type,
            )
            self.posts[post.id] = post
            posts = self.channel_posts[channel_id]
            posts.append(post)
            if len(posts) > 1 and posts[-2].create_at > at:
                posts.sort(key=lambda p: (p.create_at, p.id))
            channel = self.channels[channel_id]
            channel.last_post_at = max(channel.last_post_at, at)
            channel.total_msg_count += 1
            return post

    def react(
        self, post_id: str, user_id: str, create_at: int | None = None, emoji: str = "+1"
    ) -> None:
        with self.lock:
            post = self.posts[post_id]
            at = self.now_ms() if create_at is None else create_at
            post.reactions.append(Reaction(user_id, post_id, emoji, at))
            post.update_at = max(post.update_at, at)

    def edit_post(self, post_id: str, message: str, at: int | None = None) -> None:
        with self.lock:
            post = self.posts[post_id]
            when = self.now_ms() if at is None else at
            post.message, post.edit_at, post.update_at = message, when, max(post.update_at, when)

    def delete_post(self, post_id: str, at: int | None = None) -> None:
        """Delete a post and, for a thread's root, its replies (as Mattermost does)."""
        with self.lock:
            when = self.now_ms() if at is None else at
            root = self.posts[post_id]
            doomed = [root]
            if not root.root_id:
                doomed += [p for p in self.channel_posts[root.channel_id] if p.root_id == post_id]
            for post in doomed:
                post.delete_at = when
                post.update_at = max(post.update_at, when)

    def live_posts(self, channel_id: str) -> Iterator[Post]:
        """Non-deleted posts, newest first."""
        return (p for p in reversed(self.channel_posts[channel_id]) if not p.delete_at)

    def posts_in(self, channel_id: str) -> list[Post]:
        """Every post of a channel, oldest first (for tests: what was sent)."""
        with self.lock:
            return list(self.channel_posts.get(channel_id, []))


__all__ = ["Channel", "FakeData", "Post", "Reaction", "Team", "User", "make_id"]

"""The Mattermost answers the connector reads, as small models of just the fields it uses.

Every response is parsed (:func:`e20kit.parse_payload`) before anything reads it, so a
malformed answer (a list of strings where users are expected, ``delete_at`` as an object, a
post without ``create_at``, a timestamp in the year 30000) is one typed error naming the
connector, the endpoint and the field, never a ``KeyError`` or ``TypeError`` deep in the
counting. Unknown fields are ignored: the server adds fields in every release.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

MAX_MS = 4_102_444_800_000
"""2100-01-01 in milliseconds: a later (or negative) timestamp is a malformed answer."""


def _none_is(default: Any) -> BeforeValidator:
    return BeforeValidator(lambda value: default if value is None else value)


Id = Annotated[str, StringConstraints(min_length=1, max_length=200), Field(strict=True)]
"""Mattermost ids are 26 characters; an empty, non-text or huge id is malformed."""
Ms = Annotated[int, _none_is(0), Field(strict=True, ge=0, le=MAX_MS)]
"""Milliseconds since the epoch, 0 (or null) meaning "never" (``delete_at``...)."""
Created = Annotated[int, Field(strict=True, gt=0, le=MAX_MS)]
"""A creation time: required, never 0."""
Text = Annotated[str, _none_is(""), Field(strict=True)]


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class User(_Payload):
    id: Id
    username: Text = ""
    email: Text = ""
    first_name: Text = ""
    last_name: Text = ""
    nickname: Text = ""
    position: Text = ""
    locale: Text = ""
    roles: Text = ""
    is_bot: Annotated[bool, Field(strict=True)] = False
    create_at: Ms = 0
    delete_at: Ms = 0
    last_picture_update: Ms = 0


class Team(_Payload):
    id: Id
    delete_at: Ms = 0


class TeamMember(_Payload):
    user_id: Id
    delete_at: Ms = 0


class Channel(_Payload):
    id: Id
    type: Text = ""
    delete_at: Ms = 0
    last_post_at: Ms = 0


class ChannelMember(_Payload):
    user_id: Id


class Status(_Payload):
    user_id: Id
    last_activity_at: Ms = 0


class UserReport(_Payload):
    id: Id
    username: Text = ""
    days_active: Annotated[int, Field(strict=True, ge=0, le=100_000)] = 0
    last_post_date: Ms = 0


class Reaction(_Payload):
    user_id: Id
    create_at: Created


class PostMetadata(_Payload):
    reactions: list[Reaction] = Field(default_factory=list)


class Post(_Payload):
    id: Id
    create_at: Created
    user_id: Text = ""
    delete_at: Ms = 0
    root_id: Text = ""
    type: Text = ""
    props: dict[str, Any] = Field(default_factory=dict)
    metadata: PostMetadata = PostMetadata()


class PostList(_Payload):
    order: list[Id] = Field(default_factory=list)
    posts: dict[str, Post] = Field(default_factory=dict)

    def in_order(self) -> list[Post]:
        """The posts in ``order``, then any the order does not list."""
        seen = [self.posts[i] for i in self.order if i in self.posts]
        listed = set(self.order)
        seen.extend(p for i, p in self.posts.items() if i not in listed)
        return seen


class Made(_Payload):
    """An answer that only has to name what it made (a DM channel, a post, the token's user)."""

    id: Id


__all__ = [
    "MAX_MS",
    "Channel",
    "ChannelMember",
    "Made",
    "Post",
    "PostList",
    "Reaction",
    "Status",
    "Team",
    "TeamMember",
    "User",
    "UserReport",
]

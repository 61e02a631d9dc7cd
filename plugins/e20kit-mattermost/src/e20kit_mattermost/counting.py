"""Turning Mattermost posts into daily counts: pure functions, no HTTP.

A post counts as ``post`` (or ``reply`` when it has a ``root_id``) on the day it was created; a
reaction counts as ``react`` on the day it was added. System messages ("X joined the channel"),
bot and webhook posts, and deleted posts count for nobody.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from e20kit import Action, Activity, Feature, Window

from .payloads import Post
from .settings import PLATFORM

DayKey = tuple[dt.date, str, Action]
UTC = ZoneInfo("UTC")

CHANNEL_TYPES = frozenset({"O", "P"})
"""Open and private channels: ``discussion`` with the channel as container."""
CHAT_TYPES = frozenset({"D", "G"})
"""Direct and group messages: ``chat`` with no container."""


def day_of(ms: int, tz: dt.tzinfo = UTC) -> dt.date:
    """The calendar day (in ``tz``) of a Mattermost millisecond timestamp."""
    return dt.datetime.fromtimestamp(ms / 1000, tz).date()


def start_ms(day: dt.date, tz: dt.tzinfo = UTC) -> int:
    """Milliseconds at the first instant of ``day`` in ``tz``."""
    return int(dt.datetime.combine(day, dt.time(), tz).timestamp() * 1000)


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def is_member_post(post: Post, bots: frozenset[str] = frozenset()) -> bool:
    """Whether a post is something a person wrote (not a system, bot or webhook message)."""
    if post.type.startswith("system_"):
        return False
    if _truthy(post.props.get("from_bot")) or _truthy(post.props.get("from_webhook")):
        return False
    return bool(post.user_id) and post.user_id not in bots


def tally(
    posts: Iterable[Post],
    *,
    from_ms: int,
    bots: frozenset[str] = frozenset(),
    tz: dt.tzinfo = UTC,
) -> Counter[DayKey]:
    """Counts per (day, user, action) of posts and reactions created at or after ``from_ms``."""
    counts: Counter[DayKey] = Counter()
    seen: set[str] = set()
    for post in posts:
        if post.id in seen:
            continue
        seen.add(post.id)
        if post.delete_at > 0:
            continue
        if post.create_at >= from_ms and is_member_post(post, bots):
            action = Action.REPLY if post.root_id else Action.POST
            counts[(day_of(post.create_at, tz), post.user_id, action)] += 1
        for reaction in post.metadata.reactions:
            if reaction.create_at >= from_ms and reaction.user_id not in bots:
                counts[(day_of(reaction.create_at, tz), reaction.user_id, Action.REACT)] += 1
    return counts


def facts(
    counts: Mapping[DayKey, int],
    *,
    window: Window,
    feature: Feature,
    container: str | None,
) -> Iterator[Activity]:
    """The counts as Activity facts, in a stable order, keeping only days inside ``window``."""
    for (day, user, action), count in sorted(counts.items()):
        if day in window and count > 0:
            yield Activity(
                day=day,
                platform=PLATFORM,
                person_id=user,
                action=action,
                feature=feature,
                container=container,
                count=count,
            )


__all__ = [
    "CHANNEL_TYPES",
    "CHAT_TYPES",
    "day_of",
    "facts",
    "is_member_post",
    "start_ms",
    "tally",
]

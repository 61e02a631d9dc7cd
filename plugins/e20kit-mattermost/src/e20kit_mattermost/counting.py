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


def is_member_post(post: Mapping[str, Any], bots: frozenset[str] = frozenset()) -> bool:
    """Whether a post is something a person wrote (not a system, bot or webhook message)."""
    if str(post.get("type") or "").startswith("system_"):
        return False
    props = post.get("props") or {}
    if isinstance(props, Mapping) and (
        _truthy(props.get("from_bot")) or _truthy(props.get("from_webhook"))
    ):
        return False
    user = post.get("user_id")
    return bool(user) and user not in bots


def reactions(post: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    metadata = post.get("metadata") or {}
    found = metadata.get("reactions") if isinstance(metadata, Mapping) else None
    return [r for r in found or [] if isinstance(r, Mapping)]


def tally(
    posts: Iterable[Mapping[str, Any]],
    *,
    from_ms: int,
    bots: frozenset[str] = frozenset(),
    tz: dt.tzinfo = UTC,
) -> Counter[DayKey]:
    """Counts per (day, user, action) of posts and reactions created at or after ``from_ms``."""
    counts: Counter[DayKey] = Counter()
    seen: set[str] = set()
    for post in posts:
        post_id = str(post.get("id") or "")
        if post_id in seen:
            continue
        seen.add(post_id)
        if int(post.get("delete_at") or 0) > 0:
            continue
        created = int(post.get("create_at") or 0)
        if created >= from_ms and is_member_post(post, bots):
            action = Action.REPLY if post.get("root_id") else Action.POST
            counts[(day_of(created, tz), str(post["user_id"]), action)] += 1
        for reaction in reactions(post):
            at = int(reaction.get("create_at") or 0)
            user = str(reaction.get("user_id") or "")
            if at >= from_ms and user and user not in bots:
                counts[(day_of(at, tz), user, Action.REACT)] += 1
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
    "reactions",
    "start_ms",
    "tally",
]

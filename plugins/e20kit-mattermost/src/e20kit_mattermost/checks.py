"""Onboarding checks on Mattermost facts, for checklists (``check = "mattermost.posted"``).

They read the member's stored ``Person.attributes`` (picture, team and channel memberships from
the last collect) and the member's stored activity counts.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from e20kit import Action, Check, CheckContext

from .settings import PLATFORM


class AtLeast(BaseModel):
    """``params = { min = 3 }``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: int = Field(default=1, ge=1)


def _attribute(ctx: CheckContext, name: str) -> int:
    value = ctx.attributes(PLATFORM).get(name)
    return int(value) if isinstance(value, int | float) else 0


def profile_picture(ctx: CheckContext, params: Any) -> bool:
    return bool(ctx.attributes(PLATFORM).get("has_picture"))


def joined_team(ctx: CheckContext, params: Any) -> bool:
    return _attribute(ctx, "teams") >= 1


def joined_channels(ctx: CheckContext, params: AtLeast) -> bool:
    return _attribute(ctx, "channels") >= params.min


def posted(ctx: CheckContext, params: AtLeast) -> bool:
    return ctx.count(platform=PLATFORM, actions=(Action.POST, Action.REPLY)) >= params.min


def replied(ctx: CheckContext, params: Any) -> bool:
    """Replies are answers in someone's thread (replies in one's own thread count too)."""
    return ctx.count(platform=PLATFORM, actions=(Action.REPLY,)) >= 1


def reacted(ctx: CheckContext, params: Any) -> bool:
    return ctx.count(platform=PLATFORM, actions=(Action.REACT,)) >= 1


CHECKS = (
    Check("mattermost.profile_picture", profile_picture, description="Set a profile picture."),
    Check("mattermost.joined_team", joined_team, description="Joined at least one team."),
    Check(
        "mattermost.joined_channels",
        joined_channels,
        params=AtLeast,
        description="Joined at least `min` channels (public or private).",
    ),
    Check(
        "mattermost.posted",
        posted,
        params=AtLeast,
        description="Wrote at least `min` messages or replies.",
    ),
    Check("mattermost.replied", replied, description="Replied in a thread."),
    Check("mattermost.reacted", reacted, description="Reacted to a message."),
)

__all__ = ["CHECKS", "AtLeast"]

"""Onboarding checks on Confluence facts, for checklists (``check = "confluence.first_page"``).

They read the member's stored ``Person.attributes`` from the last collect (profile picture,
personal space, spaces watched) and the member's stored activity counts (pages, blog posts,
comments). An attribute the last collect could not read is absent: the check does not pass.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from e20kit import Action, Check, CheckContext, Feature

from .settings import PLATFORM


class AtLeast(BaseModel):
    """``params = { min = 2 }``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: int = Field(default=1, ge=1)


def profile_picture(ctx: CheckContext, params: Any) -> bool:
    """The API shows the picture as ``profilePicture.isDefault = false`` once one is set."""
    return ctx.attributes(PLATFORM).get("has_picture") is True


def personal_space(ctx: CheckContext, params: Any) -> bool:
    """Known when the connector lists every space (no ``spaces`` filter)."""
    return ctx.attributes(PLATFORM).get("personal_space") is True


def watching_space(ctx: CheckContext, params: AtLeast) -> bool:
    """Watches at least ``min`` non-personal spaces (``watched_spaces``, read only with
    ``space_watchers`` on and an administrator account)."""
    value = ctx.attributes(PLATFORM).get("watched_spaces")
    return isinstance(value, int) and not isinstance(value, bool) and value >= params.min


def first_page(ctx: CheckContext, params: Any) -> bool:
    return ctx.count(platform=PLATFORM, actions=(Action.CREATE,), feature=Feature.WIKI) >= 1


def first_blog_post(ctx: CheckContext, params: Any) -> bool:
    return ctx.count(platform=PLATFORM, actions=(Action.CREATE,), feature=Feature.BLOG) >= 1


def commented(ctx: CheckContext, params: Any) -> bool:
    """Any comment: ``comment`` on others' pages, ``reply`` on one's own."""
    return ctx.count(platform=PLATFORM, actions=(Action.COMMENT, Action.REPLY)) >= 1


def commented_on_others(ctx: CheckContext, params: Any) -> bool:
    """A comment on a page or blog post someone else created (the connector counts those
    ``comment``, comments on one's own pages ``reply``)."""
    return ctx.count(platform=PLATFORM, actions=(Action.COMMENT,)) >= 1


CHECKS = (
    Check("confluence.profile_picture", profile_picture, description="Set a profile picture."),
    Check("confluence.personal_space", personal_space, description="Has a personal space."),
    Check(
        "confluence.watching_space",
        watching_space,
        params=AtLeast,
        description="Watches at least `min` spaces (personal spaces not counted).",
    ),
    Check("confluence.first_page", first_page, description="Created a first page."),
    Check("confluence.first_blog_post", first_blog_post, description="Wrote a first blog post."),
    Check("confluence.commented", commented, description="Commented on a page or blog post."),
    Check(
        "confluence.commented_on_others",
        commented_on_others,
        description="Commented on someone else's page or blog post.",
    ),
)

__all__ = ["CHECKS", "AtLeast"]

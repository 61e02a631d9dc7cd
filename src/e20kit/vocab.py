"""The closed vocabularies of activity facts.

Connectors map every platform event onto one :class:`Action` and one :class:`Feature`. The lists
are closed on purpose: metrics compare platforms, and that only works when "post" means the same
thing everywhere. Each member documents what it means.
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    """What a member did, counted per day."""

    VIEW = "view"
    """Opened a page, post, document or site (a reader's action)."""
    VISIT = "visit"
    """Was present on the platform that day without a recorded view (login, status, app open)."""
    CREATE = "create"
    """Created new content: a page, blog post, document or site."""
    EDIT = "edit"
    """Changed existing content: a new version of a page or document."""
    COMMENT = "comment"
    """Commented on someone's page, blog post or document."""
    POST = "post"
    """Wrote a new message that starts a thread in a channel or chat."""
    REPLY = "reply"
    """Answered in an existing thread."""
    REACT = "react"
    """Reacted, liked or up-voted (a light signal of attention)."""
    SHARE = "share"
    """Shared content with others (internally or externally)."""
    SYNC = "sync"
    """Synchronised files to a device (OneDrive/SharePoint sync)."""

    @property
    def is_contribution(self) -> bool:
        """True for actions that add content: the "creators" side of creators vs consumers."""
        return self in CONTRIBUTION_ACTIONS

    @property
    def is_helping(self) -> bool:
        """True for actions that respond to other people's content."""
        return self in HELPING_ACTIONS


class Feature(StrEnum):
    """Which kind of tool the action happened in."""

    WIKI = "wiki"
    """Collaboratively edited pages (Confluence pages, SharePoint pages)."""
    BLOG = "blog"
    """Dated posts by one author (Confluence blog posts, SharePoint news)."""
    DISCUSSION = "discussion"
    """Messages in public or private channels and comment threads."""
    CHAT = "chat"
    """Direct and group messages between people."""
    FILES = "files"
    """Documents and files (SharePoint libraries, OneDrive, attachments)."""
    SITE = "site"
    """Presence on a space, team or site as a whole."""


CONTRIBUTION_ACTIONS: frozenset[Action] = frozenset(
    {Action.CREATE, Action.EDIT, Action.COMMENT, Action.POST, Action.REPLY}
)
"""Actions that make a member a creator rather than a consumer."""

HELPING_ACTIONS: frozenset[Action] = frozenset({Action.COMMENT, Action.REPLY})
"""Actions that respond to someone else's content."""

CONSUMPTION_ACTIONS: frozenset[Action] = frozenset({Action.VIEW, Action.VISIT})
"""Actions that only read or attend."""

CONTEXT_PREFIX = "context:"
"""Platforms named with this prefix (``context:outlook``) hold *context*, not collaboration.

Their facts are stored like any other and read by the context figures (members who live in
mail, see docs/metrics.md), but no participation figure counts them: the rollups, champion
scores, onboarding checks over all platforms and experiment outcomes leave them out. A mail
sent is not a post."""


def is_context_platform(platform: str) -> bool:
    """True for a context platform (:data:`CONTEXT_PREFIX`): never counted as participation."""
    return platform.startswith(CONTEXT_PREFIX)


__all__ = [
    "CONSUMPTION_ACTIONS",
    "CONTEXT_PREFIX",
    "CONTRIBUTION_ACTIONS",
    "HELPING_ACTIONS",
    "Action",
    "Feature",
    "is_context_platform",
]

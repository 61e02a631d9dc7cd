"""Onboarding checks on Microsoft 365 facts, for checklists (``check = "sharepoint.visited"``).

They read the member's stored daily facts of the ``sharepoint`` platform, which the usage
reports fill: SharePoint visits, file activity in SharePoint and OneDrive, Teams channel posts.
Microsoft counts views and edits of files together, so "edited or shared" looks at what the
reports do tell apart: shared files and files synced from a device (a sync saves a change).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from e20kit import Action, Check, CheckContext, Feature

from .reports import ONEDRIVE_ACTIVITY, SHAREPOINT_ACTIVITY
from .settings import PLATFORM


class AtLeastDays(BaseModel):
    """``params = { days = 3 }``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    days: int = Field(default=1, ge=1)


def visited(ctx: CheckContext, params: AtLeastDays) -> bool:
    """Visited SharePoint pages on at least ``days`` different days."""
    return ctx.days(platform=PLATFORM, actions=(Action.VISIT,), feature=Feature.SITE) >= params.days


def edited_or_shared(ctx: CheckContext, params: Any) -> bool:
    return ctx.count(platform=PLATFORM, actions=(Action.SHARE, Action.SYNC)) >= 1


def posted_in_channel(ctx: CheckContext, params: Any) -> bool:
    return (
        ctx.count(
            platform=PLATFORM, actions=(Action.POST, Action.REPLY), feature=Feature.DISCUSSION
        )
        >= 1
    )


def used_onedrive(ctx: CheckContext, params: Any) -> bool:
    return ctx.count(platform=PLATFORM, container=ONEDRIVE_ACTIVITY.container) >= 1


CHECKS = (
    Check(
        "sharepoint.visited",
        visited,
        params=AtLeastDays,
        description="Visited SharePoint on at least `days` days.",
    ),
    Check(
        "sharepoint.edited_or_shared",
        edited_or_shared,
        description="Shared a file or synced a changed file (SharePoint or OneDrive).",
    ),
    Check(
        "sharepoint.posted_in_channel",
        posted_in_channel,
        description="Posted or replied in a Teams channel.",
    ),
    Check("sharepoint.used_onedrive", used_onedrive, description="Used OneDrive for a file."),
)

__all__ = ["CHECKS", "SHAREPOINT_ACTIVITY", "AtLeastDays"]

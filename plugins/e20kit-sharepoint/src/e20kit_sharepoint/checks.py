"""Onboarding checks on Microsoft 365 facts, for checklists (``check = "sharepoint.visited"``).

They read the member's stored daily facts of the ``sharepoint`` platform, which the usage
reports fill: SharePoint visits, file activity in SharePoint and OneDrive, Teams channel posts;
and of the ``vivaengage`` platform: Viva Engage posts and reads.
Microsoft counts views and edits of files in one column (``Viewed Or Edited File Count``), so
"edited or shared" can only look at what the reports do tell apart: shared files and files
synced from a device. A member who edits files in the browser and never shares or syncs one
does not pass it; the check says so in its description rather than guess from the view count.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from e20kit import Action, Check, CheckContext, Feature

from .reports import ONEDRIVE_ACTIVITY, SHAREPOINT_ACTIVITY
from .settings import PLATFORM, VIVA_ENGAGE


class AtLeastDays(BaseModel):
    """``params = { days = 3 }``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    days: int = Field(default=1, ge=1)


def visited(ctx: CheckContext, params: AtLeastDays) -> bool:
    """Visited SharePoint pages on at least ``days`` different days."""
    return ctx.days(platform=PLATFORM, actions=(Action.VISIT,), feature=Feature.SITE) >= params.days


def edited_or_shared(ctx: CheckContext, params: Any) -> bool:
    """A share or a sync: an edit alone is invisible (it shares a column with views)."""
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


def posted_in_viva_engage(ctx: CheckContext, params: Any) -> bool:
    return ctx.count(platform=VIVA_ENGAGE, actions=(Action.POST,)) >= 1


def read_viva_engage(ctx: CheckContext, params: AtLeastDays) -> bool:
    """Read Viva Engage on at least ``days`` different days."""
    return ctx.days(platform=VIVA_ENGAGE, actions=(Action.VIEW,)) >= params.days


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
        description=(
            "Shared a file or synced files from a device (SharePoint or OneDrive). Microsoft "
            "counts views and edits of files in one column, so an edit alone is not seen."
        ),
    ),
    Check(
        "sharepoint.posted_in_channel",
        posted_in_channel,
        description="Posted or replied in a Teams channel.",
    ),
    Check("sharepoint.used_onedrive", used_onedrive, description="Used OneDrive for a file."),
    Check(
        "sharepoint.posted_in_viva_engage",
        posted_in_viva_engage,
        description=(
            "Posted in Viva Engage (a new conversation or a reply: the report does not tell "
            "them apart)."
        ),
    ),
    Check(
        "sharepoint.read_viva_engage",
        read_viva_engage,
        params=AtLeastDays,
        description="Read Viva Engage on at least `days` days.",
    ),
)

__all__ = ["CHECKS", "SHAREPOINT_ACTIVITY", "AtLeastDays"]

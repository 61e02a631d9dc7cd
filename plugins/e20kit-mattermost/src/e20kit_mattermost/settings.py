"""Config tables of the Mattermost connector and notifier (``[connectors.<name>]``, ...)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from e20kit import ServiceUrl

PLATFORM = "mattermost"
"""The platform name facts, people and ``Recipient.platform_ids`` use."""


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: ServiceUrl
    """Server URL, e.g. ``https://chat.example.org`` (``/api/v4`` is appended); plain
    ``http://`` only for a loopback fake."""
    token: SecretStr
    """Bot or personal access token; give it as ``token_env = "NAME"``."""

    @field_validator("url")
    @classmethod
    def _without_api_suffix(cls, value: str) -> str:
        return value.removesuffix("/api/v4").rstrip("/")


class MattermostSettings(_Base):
    """``[connectors.<name>]`` with ``type = "mattermost"``."""

    direct_messages: bool = False
    """Count direct and group messages as ``chat`` (opt-in: who writes privately how often is
    a decision of the agreement). The API lists them per user only, so this costs one request
    per member (and team) active since the last run."""
    channel_members: bool = True
    """List every channel's members to count channel memberships (for the onboarding checks)."""
    reports: bool = True
    """Read ``/reports/users`` for days active when the token may (system console read)."""
    reports_date_range: Literal["auto", "last_30_days", "last30days"] = "auto"
    """``auto`` sends the server's value and falls back to the published spec's on mismatch."""
    rate_limit_per_s: float | None = Field(default=None, gt=0)
    """Client-side cap; the server's ``X-Ratelimit-Limit`` is obeyed in any case."""
    page_size: int = Field(default=200, ge=1, le=200)
    """``per_page`` for users, teams, members, channels and posts (200 is the maximum)."""


class MattermostNotifierSettings(_Base):
    """``[notifiers.<name>]`` with ``type = "mattermost"``: direct messages from a bot."""

    bot_user_id: str | None = None
    """The bot's user id; default: the token's own user (``/users/me``)."""
    platform: str = PLATFORM
    """Which ``Recipient.platform_ids`` entry holds the member's Mattermost id."""
    lookback_posts: int = Field(default=200, ge=1, le=200)
    """How many recent DM posts ``was_sent`` searches for the message key."""


__all__ = ["PLATFORM", "MattermostNotifierSettings", "MattermostSettings"]

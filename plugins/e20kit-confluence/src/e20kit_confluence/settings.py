"""The ``[connectors.<name>]`` table of the Confluence connector (Cloud or Data Center)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from e20kit import ServiceUrl

PLATFORM = "confluence"
"""The platform name facts and people carry."""

Deployment = Literal["cloud", "datacenter"]


class ConfluenceSettings(BaseModel):
    """``type = "confluence"``. The deployment is always given: a host name says nothing reliable
    about it (Cloud sites may sit behind a custom domain, DC may run on any host)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    deployment: Deployment
    """``cloud`` (``https://SITE.atlassian.net/wiki``) or ``datacenter`` (``https://HOST[/CONTEXT]``)."""
    url: ServiceUrl
    """Base URL including the context path: ``/wiki`` on Cloud, often ``/confluence`` on DC."""
    email: str | None = None
    """Cloud: the Atlassian account e-mail the API token belongs to."""
    api_token: SecretStr | None = None
    """Cloud: an API token (``api_token_env = "NAME"``)."""
    token: SecretStr | None = None
    """Data Center: a personal access token (``token_env = "NAME"``)."""
    username: str | None = None
    """Data Center basic auth: the user name (with ``password_env``)."""
    password: SecretStr | None = None
    """Data Center basic auth: the password (``password_env = "NAME"``)."""
    groups: tuple[str, ...] = ()
    """Whose members are the people: group ids on Cloud, group names on DC. Empty on DC means
    ``confluence-users``; Cloud needs at least one id (Cloud lists members by id only)."""
    spaces: tuple[str, ...] = ()
    """Space keys to read; empty: every space the account can read."""
    search_page_size: int = Field(default=100, ge=1, le=250)
    """``limit`` of the CQL content search with the expansions used (Cloud caps it at 100
    for expanded searches, see docs/connectors/confluence.md)."""
    member_page_size: int = Field(default=200, ge=1, le=200)
    """``limit`` of group member, space and space watcher listings (200 is the documented
    maximum of the first two; the watcher listings' is not documented, see the docs)."""
    version_page_size: int | None = Field(default=None, ge=1, le=250)
    """``limit`` of version listings; default the maximum: 250 on Cloud (v2), 200 on DC (v1)."""
    rate_limit_per_s: float | None = Field(default=None, gt=0)
    """Client-side cap; the server's rate-limit headers are obeyed in any case."""
    page_views: bool | None = None
    """Cloud: read the analytics view counts (default on). Data Center has no page-view API, so
    ``true`` there is an error."""
    views_days: int = Field(default=7, ge=1, le=90)
    """How many finished days of views a first run collects (later runs: the days since)."""
    space_watchers: bool = True
    """List who watches each non-personal space read (one listing per space and run), for the
    onboarding check ``confluence.watching_space``. Needs a Confluence Administrator or Space
    Administrator account; without one the listing is a warning and the rest is stored."""

    @model_validator(mode="after")
    def _credentials(self) -> ConfluenceSettings:
        if self.deployment == "cloud":
            if not self.email or self.api_token is None:
                raise ValueError("Cloud needs email and api_token_env (an Atlassian API token)")
            if self.token is not None or self.username or self.password is not None:
                raise ValueError("Cloud takes email + api_token_env, not token/username/password")
            if not self.url.endswith("/wiki"):
                raise ValueError("a Cloud url ends in /wiki, e.g. https://SITE.atlassian.net/wiki")
            if not self.groups:
                raise ValueError('Cloud lists group members by group id: set groups = ["<id>"]')
        else:
            if self.page_views:
                raise ValueError("Data Center has no page-view REST API: remove page_views")
            if self.email or self.api_token is not None:
                raise ValueError("Data Center takes token_env or username + password_env")
            basic = bool(self.username) and self.password is not None
            if (self.token is not None) == basic or (bool(self.username) != basic):
                raise ValueError(
                    "Data Center needs exactly one of token_env (personal access token) "
                    "or username + password_env"
                )
        return self

    @property
    def versions_limit(self) -> int:
        largest = 250 if self.deployment == "cloud" else 200
        return min(self.version_page_size or largest, largest)

    @property
    def reads_views(self) -> bool:
        return self.deployment == "cloud" and self.page_views is not False

    @property
    def member_groups(self) -> tuple[str, ...]:
        return self.groups or (("confluence-users",) if self.deployment == "datacenter" else ())


__all__ = ["PLATFORM", "ConfluenceSettings", "Deployment"]

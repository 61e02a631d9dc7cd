"""Small pydantic models of just the fields the connector reads from Confluence answers.

One model per answer shape (v1 ``User``/``Content``/``Version``/``Space`` arrays with
``_links``; v2 ``MultiEntityResult`` of spaces and versions). Everything else is ignored, so
extra vendor fields never break a run; a missing or mistyped field the connector needs becomes
one ``ConnectorPayloadError`` naming connector, endpoint and field.
"""

from __future__ import annotations

import datetime as dt
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class Links(_Model):
    base: str | None = None
    """v1: the site URL including the context path; ``next`` is relative to it."""
    next: str | None = None


class Picture(_Model):
    path: str = ""
    is_default: bool = Field(default=True, alias="isDefault")


class User(_Model):
    """A v1 ``User``: ``accountId`` on Cloud, ``userKey`` + ``username`` on Data Center."""

    type: str = "known"
    account_id: str | None = Field(default=None, alias="accountId")
    account_type: str | None = Field(default=None, alias="accountType")
    user_key: str | None = Field(default=None, alias="userKey")
    username: str | None = None
    email: str | None = None
    display_name: str | None = Field(default=None, alias="displayName")
    public_name: str | None = Field(default=None, alias="publicName")
    profile_picture: Picture | None = Field(default=None, alias="profilePicture")

    @property
    def person_id(self) -> str | None:
        """The stable id: Cloud's account id, DC's user key (user names can be renamed)."""
        if self.type == "anonymous":
            return None
        return self.account_id or self.user_key or self.username or None

    @property
    def is_app(self) -> bool:
        return self.account_type == "app"


class Page(_Model, Generic[T]):
    """Any v1 array (``results`` + ``_links``) or v2 ``MultiEntityResult``."""

    results: list[T]
    links: Links = Field(default_factory=Links, alias="_links")


class SpaceRef(_Model):
    key: str


class History(_Model):
    created_by: User = Field(alias="createdBy")
    created_date: dt.datetime = Field(alias="createdDate")


class Version(_Model):
    """A v1 ``Version`` (DC version lists, and the ``version`` expansion of content)."""

    number: int
    when: dt.datetime
    by: User | None = None


class Container(_Model):
    """A comment's page or blog post (``expand=container.history``: with its creator)."""

    id: str | int | None = None
    type: str | None = None
    history: History | None = None


class Content(_Model):
    """A CQL search result expanded with ``space,history,version,container.history``."""

    id: str
    type: str
    status: str = "current"
    space: SpaceRef | None = None
    history: History | None = None
    version: Version
    container: Container | None = None

    @property
    def container_owner(self) -> str | None:
        """Who created the page or blog post a comment is on, when the answer says."""
        held = self.container.history if self.container else None
        return held.created_by.person_id if held else None


class V2Version(_Model):
    """A v2 ``PageVersion``: the author is an account id."""

    number: int
    created_at: dt.datetime = Field(alias="createdAt")
    author_id: str | None = Field(default=None, alias="authorId")


class ViewCount(_Model):
    """An analytics answer (``/analytics/content/{id}/views``): a total, naming nobody."""

    id: int | str | None = None
    count: int = Field(ge=0)


class SpaceWatch(_Model):
    """One entry of Cloud's ``GET /rest/api/space/{spaceKey}/watch`` (``SpaceWatchArray``):
    who watches, as a v1 user. Data Center's ``/watchers`` lists the users themselves."""

    type: str = ""
    space_key: str | None = Field(default=None, alias="spaceKey")
    watcher: User


class Space(_Model):
    """A v1 or v2 ``Space``; v2 adds the numeric ``id`` and the creator's ``authorId``."""

    key: str
    id: str | int | None = None
    name: str = ""
    type: str = "global"
    status: str = "current"
    author_id: str | None = Field(default=None, alias="authorId")


__all__ = [
    "Container",
    "Content",
    "History",
    "Links",
    "Page",
    "Picture",
    "Space",
    "SpaceRef",
    "SpaceWatch",
    "User",
    "V2Version",
    "Version",
    "ViewCount",
]

"""The intranet API's answers: just the fields the connector reads, validated on arrival."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class User(_Payload):
    """One entry of ``GET /api/users``."""

    id: str
    email: str | None = None
    name: str | None = None
    created: AwareDatetime
    has_avatar: bool = False


class View(_Payload):
    """One page view: who, which page, when (an instant, not a day)."""

    user: str
    page: str
    at: AwareDatetime

    @property
    def section(self) -> str:
        """The top-level section (``/hr/leave`` -> ``hr``; ``/`` -> ``home``)."""
        return self.page.strip("/").split("/")[0] or "home"


class ViewsPage(_Payload):
    """``GET /api/views``: a page of views and the cursor of the next one (``None``: done)."""

    views: list[View]
    next: str | None = None

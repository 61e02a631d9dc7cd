"""An onboarding check: a newcomer found their way around the intranet."""

from __future__ import annotations

from pydantic import BaseModel, Field

from e20kit import Action, Check, CheckContext

from .settings import PLATFORM


class ReadPages(BaseModel):
    n: int = Field(default=3, ge=1)
    """Page views since joining that count as "found their way"."""


def read_pages(ctx: CheckContext, params: ReadPages) -> bool:
    views = ctx.count(platform=PLATFORM, actions={Action.VIEW}, since=ctx.joined_on)
    return views >= params.n


READ_PAGES = Check(
    id="intranet.read_pages",
    params=ReadPages,
    evaluate=read_pages,
    description="Viewed at least n intranet pages since joining",
)

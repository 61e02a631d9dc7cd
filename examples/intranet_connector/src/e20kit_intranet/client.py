"""The intranet's REST API over the core's HTTP session: paging, payload models, rate policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from e20kit import RateAdvice, parse_payload
from e20kit.http import HttpSession, Page, body_cursor_pages, page_number_pages

from .payloads import User, View, ViewsPage

M = TypeVar("M")


@dataclass(frozen=True)
class BudgetPolicy:
    """The intranet sends ``X-Budget-Remaining`` (requests left) and ``X-Budget-Reset``
    (seconds until the budget refills); when it runs low, every request waits for the reset.
    The core already honours ``Retry-After`` on a 429; this spares the server the 429."""

    reserve: int = 2

    def advise(self, headers: Mapping[str, str], *, now: float) -> RateAdvice | None:
        try:
            remaining = int(headers["X-Budget-Remaining"])
            reset = float(headers["X-Budget-Reset"])
        except (KeyError, ValueError):
            return None
        return RateAdvice(pause_s=reset) if remaining <= self.reserve else None


class IntranetClient:
    """One method per endpoint; each yields validated payload models, never raw JSON."""

    def __init__(self, session: HttpSession, *, page_size: int) -> None:
        self.session = session
        self.page_size = page_size

    def users(self) -> Iterator[User]:
        for page in page_number_pages(
            self.session, "/api/users", items=lambda body: body, size=self.page_size, first=1
        ):
            yield from self._parse(list[User], page)

    def views(self, since: dt.datetime) -> Iterator[View]:
        params = {"since": since.isoformat(), "limit": str(self.page_size)}
        for page in body_cursor_pages(
            self.session, "/api/views", params=params, next_params=_next_cursor
        ):
            yield from self._parse(ViewsPage, page).views

    def _parse(self, model: type[M], page: Page) -> M:
        """A page's body as ``model``; a malformed one is one ``ConnectorPayloadError`` naming
        the connector, the redacted endpoint and the field."""
        session = self.session
        return parse_payload(
            model,
            page.body,
            connector=session.connector,
            endpoint=page.url,
            secrets=session.secrets,
        )


def _next_cursor(body: object) -> dict[str, str] | None:
    cursor = body.get("next") if isinstance(body, Mapping) else None
    return {"cursor": str(cursor)} if cursor else None

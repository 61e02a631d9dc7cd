"""The intranet connector: people from ``/api/users``, daily page views from ``/api/views``.

Incremental: the bookmark is the last organisation day that had views. The next run asks for
every view since that day's first instant, so that day is recounted in full and replaces the
stored counts (a ``Replace`` marker), and newer days are added.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping

from e20kit import (
    Action,
    Activity,
    ActivityItem,
    Capability,
    Checkpoint,
    ConnectorType,
    Feature,
    Person,
    PluginContext,
    Replace,
    Window,
)

from .client import BudgetPolicy, IntranetClient
from .settings import PLATFORM, IntranetSettings

STREAM = "views"


class IntranetConnector:
    capabilities = frozenset(
        {Capability.PEOPLE, Capability.ACTIVITY, Capability.READS, Capability.INCREMENTAL}
    )

    def __init__(self, context: PluginContext[IntranetSettings]) -> None:
        settings = context.settings  # typed, validated; the token registered for redaction
        session = context.http(base_url=settings.url, rate_policy=BudgetPolicy())
        session.headers["Authorization"] = f"Bearer {settings.token.get_secret_value()}"
        self.client = IntranetClient(session, page_size=settings.page_size)
        self.clock = context.clock

    def people(self) -> Iterator[Person]:
        for user in self.client.users():
            yield Person(
                platform=PLATFORM,
                person_id=user.id,
                email=user.email,
                display_name=user.name,
                joined_on=self.clock.today(user.created),
                attributes={"has_avatar": user.has_avatar},
            )

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[ActivityItem]:
        mark = bookmarks.get(STREAM)
        first = max(dt.date.fromisoformat(mark), window.start) if mark else window.start
        counts: Counter[tuple[dt.date, str, str]] = Counter()
        for view in self.client.views(since=self.clock.start_of(first)):
            day = self.clock.today(view.at)  # the organisation's day, not UTC's
            if first <= day < window.end:
                counts[(day, view.user, view.section)] += 1
        yield Replace(window=Window(start=first, end=window.end))
        for (day, user, section), count in sorted(counts.items()):
            yield Activity(
                day=day,
                platform=PLATFORM,
                person_id=user,
                action=Action.VIEW,
                feature=Feature.SITE,
                container=section,
                count=count,
            )
        last = max((day for day, _, _ in counts), default=None)
        if last is not None:
            yield Checkpoint(stream=STREAM, value=last.isoformat())

    def close(self) -> None:
        self.client.session.close()


INTRANET_CONNECTOR = ConnectorType(
    name="intranet",
    settings=IntranetSettings,
    factory=IntranetConnector,
    description="People and daily page views from an intranet's REST API (example plugin).",
    capabilities=IntranetConnector.capabilities,
)

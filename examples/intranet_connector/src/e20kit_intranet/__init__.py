"""Example connector plugin: daily page views from an intranet's JSON-lines access log.

Each log line is ``{"ts": "2026-10-20T09:12:00", "user": "ann@example.org", "page": "/hr"}``.
The connector counts views per day, user and top-level section, and keeps a bookmark (the last
line it read) so each run reads only what is new. It uses nothing but e20kit's public API.

    [connectors.intranet]
    path = "/var/log/intranet/access.jsonl"
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

from pydantic import BaseModel

from e20kit import (
    Action,
    Activity,
    ActivityItem,
    Capability,
    Checkpoint,
    ConnectorFatalError,
    ConnectorType,
    Feature,
    Person,
    PluginContext,
    Replace,
    Window,
    hookimpl,
)

STREAM = "access-log"


class IntranetSettings(BaseModel):
    path: Path


class IntranetConnector:
    capabilities = frozenset(
        {Capability.PEOPLE, Capability.ACTIVITY, Capability.READS, Capability.INCREMENTAL}
    )

    def __init__(self, context: PluginContext[IntranetSettings]) -> None:
        self.name = context.name
        self.path = context.settings.path

    def people(self) -> Iterator[Person]:
        """Users are e-mail addresses, so each joins the member other platforms know."""
        users = {user for _, _, user, _ in self._entries()}
        for user in sorted(users):
            yield Person(platform="intranet", person_id=user, email=user)

    def _entries(self) -> Iterator[tuple[int, dt.date, str, str]]:
        """(line number, day, user, top-level section) of every log line."""
        with self.path.open(encoding="utf-8") as fh:
            for line_no, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                    day = dt.datetime.fromisoformat(entry["ts"]).date()
                    section = entry["page"].strip("/").split("/")[0] or "home"
                    user = entry["user"].lower()
                except (ValueError, KeyError, AttributeError) as err:
                    raise ConnectorFatalError(
                        f"line {line_no} is not a valid access-log entry: {err}",
                        connector=self.name,
                        endpoint=str(self.path),
                    ) from err
                yield line_no, day, user, section

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[ActivityItem]:
        done = int(bookmarks.get(STREAM, "0"))
        last = done
        new_days: set[dt.date] = set()
        for line_no, day, _, _ in self._entries():
            last = line_no
            if line_no > done:
                new_days.add(day)
        if not new_days:
            return
        # New lines may add to days already stored: recount those days in full and replace them.
        counts: Counter[tuple[dt.date, str, str]] = Counter(
            (day, user, section) for _, day, user, section in self._entries() if day in new_days
        )
        for day in sorted(new_days):
            yield Replace(window=Window(start=day, end=day + dt.timedelta(days=1)))
            for (d, user, section), count in sorted(counts.items()):
                if d == day:
                    yield Activity(
                        day=d,
                        platform="intranet",
                        person_id=user,
                        action=Action.VIEW,
                        feature=Feature.SITE,
                        container=section,
                        count=count,
                    )
        yield Checkpoint(stream=STREAM, value=str(last))

    def close(self) -> None:
        pass


@hookimpl
def e20kit_connectors() -> list[ConnectorType]:
    return [
        ConnectorType(
            name="intranet",
            settings=IntranetSettings,
            factory=IntranetConnector,
            description="Page views from an intranet access log (example plugin).",
            capabilities=IntranetConnector.capabilities,
        )
    ]

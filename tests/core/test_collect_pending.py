"""Skipped records held and retried by the core (issue 25): a connector reports a record it
could not use through ``Streams.skip``; the core remembers it across runs, counts it as
pending, and gives it up after ``retry_skipped_runs`` runs, for good."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path

from pydantic import BaseModel

from e20kit import (
    Action,
    Activity,
    ActivityItem,
    Checkpoint,
    ConnectorType,
    Feature,
    Kit,
    Person,
    PluginContext,
    Streams,
    Window,
    hookimpl,
)

from .helpers import write_config, write_exports

ENV = {"E20KIT_PSEUDONYM_SECRET": "s-16-bytes-secret"}
DAY = dt.date(2026, 10, 25)
BROKEN: set[str] = set()
"""Record ids the fake platform cannot serve right now."""


class Settings(BaseModel):
    pass


class Skipping:
    """Two records a run: a record in ``BROKEN`` is skipped, its bookmark held before it."""

    capabilities = frozenset({"people", "activity"})

    def __init__(self, context: PluginContext[Settings]) -> None:
        self.streams = Streams(context.name)

    def people(self) -> Iterator[Person]:
        yield Person(platform="skip", person_id="p1", email="p1@example.org")

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[ActivityItem]:
        done = int(bookmarks.get("items", "0"))
        held = False
        for n in (1, 2):
            if n <= done:
                continue
            record = f"r{n}"
            if record in BROKEN:
                held |= self.streams.skip("items", record, "HTTP 404", endpoint="GET /items/r")
                continue
            yield Activity(
                day=DAY - dt.timedelta(days=n),
                platform="skip",
                person_id="p1",
                action=Action.POST,
                feature=Feature.DISCUSSION,
                count=n,
            )
            if not held:
                done = n
        yield Checkpoint(stream="items", value=str(done))

    def close(self) -> None:
        pass


class SkippingPlugin:
    @hookimpl
    def e20kit_connectors(self) -> list[ConnectorType]:
        return [ConnectorType(name="skipping", settings=Settings, factory=Skipping)]


def _kit(tmp_path: Path, store_url: str) -> Kit:
    write_exports(tmp_path / "exports")
    config = write_config(
        tmp_path / "e20kit.toml",
        exports=tmp_path / "exports",
        store_url=store_url,
        extra="[connectors.s]\ntype = 'skipping'\n",
    )
    return Kit.from_config(config, env=ENV, plugins=[SkippingPlugin()])


def test_a_skipped_record_is_pending_until_it_is_read(tmp_path: Path, store_url: str) -> None:
    BROKEN.clear()
    BROKEN.add("r1")
    with _kit(tmp_path, store_url) as kit:
        first = kit.collect(["s"], today=DAY).runs[0]
        assert first.pending == 1 and first.given_up == 0
        assert any("items: record r1 skipped (GET /items/r): HTTP 404" in w for w in first.warnings)
        BROKEN.clear()
        second = kit.collect(["s"], today=DAY).runs[0]
        assert second.pending == 0 and second.facts_written == 2  # r1 read, r2 again


def test_a_record_that_keeps_failing_is_given_up_once_for_good(
    tmp_path: Path, store_url: str
) -> None:
    BROKEN.clear()
    BROKEN.add("r1")
    with _kit(tmp_path, store_url) as kit:
        limit = kit.config.settings.collect.retry_skipped_runs
        for _ in range(limit):
            assert kit.collect(["s"], today=DAY).runs[0].pending == 1
        last = kit.collect(["s"], today=DAY).runs[0]
        assert last.pending == 0 and last.given_up == 1
        assert any("given up" in w and "r1" in w for w in last.warnings)
        again = kit.collect(["s"], today=DAY).runs[0]
        assert again.pending == 0  # not held again: the bookmark moved on
    BROKEN.clear()

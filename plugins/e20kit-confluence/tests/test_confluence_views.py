"""Cloud page views: anonymous counts per space and day from the analytics API, on both stores."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from confluence_testkit import LOOKBACK, KitFactory, table
from e20kit_confluence.fake import ConfluenceFake
from e20kit_confluence.fake.org import ms
from e20kit_confluence.views import view_days

from e20kit import Window
from e20kit.sandbox import Org

pytestmark = pytest.mark.slow
VIEW_DAYS = 7  # the default first-run days
ANONYMOUS = ""  # the member key of anonymous counts (docs/metrics.md, "Anonymous counts")


@pytest.fixture
def cloud(org: Org) -> Iterator[ConfluenceFake]:
    with ConfluenceFake.from_org(org, cloud=True) as fake:
        yield fake


def _expected(fake: ConfluenceFake, today: dt.date, days: list[dt.date]) -> Counter[tuple]:
    """The fake's views of pages and blog posts modified in the window, per day and space."""
    touched = ms(today - dt.timedelta(days=LOOKBACK))
    out: Counter[tuple] = Counter()
    for item in fake.data.content.values():
        if item.type == "comment" or item.modified_at < touched:
            continue
        feature = "blog" if item.type == "blogpost" else "wiki"
        for day in days:
            n = sum(1 for at in item.views if ms(day) <= at < ms(day + dt.timedelta(days=1)))
            if n:
                out[(day, feature, item.space)] += n
    return out


def _views(engine: sa.Engine) -> tuple[Counter[tuple], set[str]]:
    f = table(engine, "facts").c
    stmt = sa.select(f.day, f.feature, f.container, f.count, f.member_key).where(f.action == "view")
    found: Counter[tuple] = Counter()
    keys = set()
    with engine.connect() as conn:
        for day, feature, container, count, key in conn.execute(stmt):
            day = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
            found[(day, feature, container)] += count
            keys.add(key)
    return found, keys


def test_views_are_counted_per_space_and_finished_day_naming_nobody(
    cloud: ConfluenceFake, make_kit: KitFactory, store_url: str, today: dt.date
) -> None:
    kit = make_kit(cloud, store_url)
    assert kit.collect(today=today).ok
    days = [today - dt.timedelta(days=VIEW_DAYS - i) for i in range(VIEW_DAYS)]
    found, keys = _views(kit.engine)
    assert found == _expected(cloud, today, days) and sum(found.values()) > 0
    assert keys == {ANONYMOUS}
    with kit.engine.connect() as conn:
        members = set(conn.execute(sa.select(table(kit.engine, "members").c.member_key)).scalars())
    assert ANONYMOUS not in members
    metrics = kit.metrics("last-30d", today=today)
    actions = {f.feature: f.actions for f in metrics.features if f.week_start is None}
    assert actions["wiki"] >= sum(n for (_, feature, _), n in found.items() if feature == "wiki")

    # the next day: one more finished day, two requests per page or blog post asked about,
    # one for those not viewed since that day began
    cloud.server.reset_log()
    tomorrow = today + dt.timedelta(days=1)
    assert kit.collect(today=tomorrow).ok
    asked = [r for r in cloud.server.requests if "/analytics/" in r.path]
    asked_from = {tuple(r.query.get("fromDate", ())) for r in asked}
    touched = ms(tomorrow - dt.timedelta(days=LOOKBACK))
    pages = [c for c in cloud.data.content.values() if c.type != "comment"]
    viewed = [c for c in pages if c.modified_at >= touched and any(v >= ms(today) for v in c.views)]
    unviewed = [c for c in pages if c.modified_at >= touched and c not in viewed]
    assert viewed and unviewed and len(asked_from) == 2
    assert len(asked) == 2 * len(viewed) + len(unviewed)
    before = found
    found, _ = _views(kit.engine)
    new = Counter({k: n for k, n in found.items() if k[0] == today})
    assert new == _expected(cloud, tomorrow, [today])
    assert found - new == before  # finished days are collected once


def test_a_403_on_analytics_is_one_warning_and_the_rest_is_stored(
    cloud: ConfluenceFake,
    make_kit: KitFactory,
    store_url: str,
    today: dt.date,
    caplog: pytest.LogCaptureFixture,
) -> None:
    cloud.api.analytics = False
    kit = make_kit(cloud, store_url)
    with caplog.at_level(logging.WARNING, logger="e20kit.confluence"):
        result = kit.collect(today=today)
    assert result.ok, result.as_dict()
    warnings = [r.getMessage() for r in caplog.records if "analytics" in r.getMessage()]
    assert len(warnings) == 1 and "page views skipped" in warnings[0]
    found, _ = _views(kit.engine)
    assert not found and result.facts_written > 0  # the contributions are stored


def test_page_views_can_be_switched_off(
    cloud: ConfluenceFake, make_kit: KitFactory, store_url: str, today: dt.date
) -> None:
    kit = make_kit(cloud, store_url, page_views=False)
    assert kit.collect(today=today).ok
    assert not _views(kit.engine)[0]
    assert not [r for r in cloud.server.requests if "/analytics/" in r.path]


def test_view_days_are_the_finished_days_not_collected_yet() -> None:
    window = Window(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31))
    first = view_days(window, None, first_run_days=3)
    assert first == [dt.date(2026, 1, 27), dt.date(2026, 1, 28), dt.date(2026, 1, 29)]
    assert view_days(window, "2026-01-29", first_run_days=3) == []  # today is never finished
    assert view_days(window, "2026-01-20", first_run_days=3)[0] == dt.date(2026, 1, 21)
    assert view_days(window, "2025-06-01", first_run_days=3)[0] == window.start

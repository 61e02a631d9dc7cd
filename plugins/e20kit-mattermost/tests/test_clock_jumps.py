"""Clock jumps lose nothing (issue 25): a back-dated, an ancient or a future ``--today``
followed by a normal run stores what a clean run stores, and a future one purges nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from e20kit_mattermost.fake import MattermostFake

from e20kit import Kit, OrgClock
from e20kit.sandbox import Org
from e20kit.testing import bookmarks, store_rows

KitFactory = Callable[..., Kit]

pytestmark = pytest.mark.slow


def _facts(kit: Kit) -> list[tuple[object, ...]]:
    return sorted(tuple(r.values()) for r in store_rows(kit, "facts"))


@pytest.fixture
def clean(org: Org, make_kit: KitFactory, today: dt.date) -> list[tuple[object, ...]]:
    with MattermostFake.from_org(org) as fake:
        kit = make_kit(fake.url)
        assert kit.collect(today=today).ok
        return _facts(kit)


@pytest.mark.parametrize(
    "reference",
    [
        pytest.param(lambda today: today - dt.timedelta(days=10), id="10-days-back"),
        pytest.param(lambda today: dt.date(1995, 6, 1), id="1995"),
        pytest.param(lambda today: dt.date(2999, 12, 31), id="2999"),
    ],
)
def test_a_wrong_today_then_a_normal_run_loses_nothing(
    fake: MattermostFake,
    make_kit: KitFactory,
    today: dt.date,
    clean: list[tuple[object, ...]],
    reference: Callable[[dt.date], dt.date],
) -> None:
    kit = make_kit(fake.url)
    kit.clock = OrgClock().fixed(dt.datetime.combine(today, dt.time(23, 30), dt.UTC))
    odd = kit.collect(today=reference(today))
    assert odd.ok, odd.as_dict()
    assert odd.purged is None or odd.purged.purged.get("facts", 0) == 0
    assert kit.collect(today=today).ok
    assert _facts(kit) == clean  # 8bc5a9f: 150 facts lost at 10 days back, all at 1995/2999
    limit = int(dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), dt.UTC).timestamp())
    assert all(
        int(value) <= limit * 1000
        for stream, value in bookmarks(kit, "chat").items()
        if value.isdigit()
    )


def test_widening_the_window_backfills_the_missing_past_once(
    fake: MattermostFake,
    make_kit: KitFactory,
    today: dt.date,
    clean: list[tuple[object, ...]],
) -> None:
    kit = make_kit(fake.url)
    narrow = kit.collect(today=today, since=today - dt.timedelta(days=7))
    assert narrow.ok and narrow.facts_written < len(clean)
    wide = kit.collect(today=today)  # lookback_days = 25 reaches further back
    assert wide.ok and wide.runs[0].backfilled_from == today - dt.timedelta(days=25)
    assert _facts(kit) == clean  # 8bc5a9f: "0 facts written", the older days never fetched
    again = kit.collect(today=today)
    assert again.runs[0].backfilled_from is None and again.facts_written == 0

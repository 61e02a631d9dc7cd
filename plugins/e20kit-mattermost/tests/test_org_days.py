"""Posts and visits count on the organisation's days (``[organisation] timezone``), not UTC's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from e20kit_mattermost import MATTERMOST_CONNECTOR
from e20kit_mattermost.fake import ADMIN_TOKEN, FakeData, MattermostFake
from e20kit_mattermost.fake.org import add_service_accounts, ms

from e20kit import Action, OrgClock, Window
from e20kit.testing import build_kit, run_connector, store_rows

DAY = dt.date(2026, 3, 9)
"""A Monday; 23:30 UTC on it is already 00:30 on Tuesday in Berlin."""
HOUR_MS = 3_600_000
LATE = ms(DAY, 23 * HOUR_MS + 30 * 60_000)
TOKEN_ENV = "MM_TEST_TOKEN"
NEXT_DAY = DAY + dt.timedelta(days=1)


@pytest.fixture
def fake() -> Iterator[MattermostFake]:
    """One member who posted in one channel at 23:30 UTC and was last seen then."""
    data = FakeData()
    accounts = add_service_accounts(data, created=ms(DAY - dt.timedelta(days=60)))
    member = data.add_user(
        "ada", email="ada@example.org", create_at=ms(DAY - dt.timedelta(days=30))
    )
    member.last_activity_at = LATE
    data.join_team(accounts.team_id, member.id)
    channel = data.add_channel(accounts.team_id, "town-square", creator_id=accounts.admin_id)
    data.join_channel(channel.id, member.id)
    data.add_post(channel.id, member.id, LATE)
    with MattermostFake(data, accounts) as server:
        yield server


def _days(rows: list[dict[str, object]]) -> dict[str, dict[dt.date, int]]:
    out: dict[str, dict[dt.date, int]] = {}
    for row in rows:
        day = row["day"]
        assert isinstance(day, dt.date)
        by_day = out.setdefault(str(row["action"]), {})
        by_day[day] = by_day.get(day, 0) + int(str(row["count"]))
    return out


@pytest.mark.parametrize(("timezone", "day"), [("Europe/Berlin", NEXT_DAY), ("UTC", DAY)])
def test_a_late_post_counts_on_the_organisations_day(
    fake: MattermostFake, tmp_path: Path, store_url: str, timezone: str, day: dt.date
) -> None:
    connector = {"type": "mattermost", "url": fake.url, "token_env": TOKEN_ENV}
    with build_kit(
        tmp_path,
        connectors={"chat": connector},
        settings={"organisation": {"timezone": timezone}, "collect": {"lookback_days": 7}},
        store_url=store_url,
        env={TOKEN_ENV: ADMIN_TOKEN},
    ) as kit:
        assert kit.collect(today=NEXT_DAY).ok
        assert _days(store_rows(kit, "facts")) == {"post": {day: 1}, "visit": {day: 1}}

        # The next run re-reads the bookmarked day from its first instant in the same zone:
        # the earlier post of that day is still there beside the new one.
        channel = next(c for c in fake.data.channels.values() if c.name == "town-square")
        author = next(u for u in fake.data.users.values() if u.username == "ada")
        fake.data.add_post(channel.id, author.id, LATE + 15 * 60_000)
        assert kit.collect(today=NEXT_DAY).ok
        assert _days(store_rows(kit, "facts"))["post"] == {day: 2}


def test_run_connector_hands_the_connector_the_clock_it_is_given(fake: MattermostFake) -> None:
    settings = {"url": fake.url, "token_env": TOKEN_ENV}
    window = Window(start=DAY - dt.timedelta(days=7), end=NEXT_DAY + dt.timedelta(days=1))
    env = {TOKEN_ENV: ADMIN_TOKEN}
    berlin = run_connector(
        MATTERMOST_CONNECTOR, settings, window=window, env=env, clock=OrgClock("Europe/Berlin")
    )
    utc = run_connector(MATTERMOST_CONNECTOR, settings, window=window, env=env)
    assert {f.day for f in berlin.facts if f.action == Action.POST} == {NEXT_DAY}
    assert {f.day for f in utc.facts if f.action == Action.POST} == {DAY}

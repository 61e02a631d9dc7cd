"""Optional parts degrade, required parts fail cleanly: the fake lacks one endpoint at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from e20kit_mattermost.fake import MattermostFake

from e20kit import Kit
from e20kit.testing import people_totals, run_cli, store_rows

KitFactory = Callable[..., Kit]

pytestmark = pytest.mark.slow

OPTIONAL = [
    ("/api/v4/channels/{channel_id}/members", "channel_members", "channel memberships"),
    ("/api/v4/users/status/ids", "statuses", "visits"),
    ("/api/v4/reports/users", "reports", "days active"),
    ("/api/v4/users/{user_id}/teams/{team_id}/channels", "chat", "direct and group messages"),
]


@pytest.mark.parametrize("status", [403, 404])
@pytest.mark.parametrize(("route", "stream", "missing"), OPTIONAL)
def test_a_missing_optional_endpoint_is_a_warning_and_the_rest_is_stored(
    fake: MattermostFake,
    make_kit: KitFactory,
    today: dt.date,
    route: str,
    stream: str,
    missing: str,
    status: int,
) -> None:
    fake.api.unavailable[route] = status
    kit = make_kit(fake.url)
    result = kit.collect(today=today)
    run = result.runs[0]
    assert result.ok, result.as_dict()
    [warning] = run.warnings
    assert f"optional stream {stream} (" in warning and f"HTTP {status}" in warning
    assert missing in warning
    assert run.people > 0 and run.facts_written > 0
    assert people_totals(kit) == {"mattermost": run.people}


def test_without_channel_members_people_carry_no_channel_count(
    fake: MattermostFake, make_kit: KitFactory, today: dt.date
) -> None:
    fake.api.unavailable["/api/v4/channels/{channel_id}/members"] = 404
    kit = make_kit(fake.url)
    assert kit.collect(today=today).ok
    attributes = [row["attributes"] for row in store_rows(kit, "identities")]
    assert attributes and all("channels" not in a and "teams" in a for a in attributes)


def test_a_failed_required_stream_keeps_people_and_earlier_channels_and_exits_partial(
    fake: MattermostFake, make_kit: KitFactory, today: dt.date
) -> None:
    fake.api.unavailable["/api/v4/channels/{channel_id}/posts"] = 403
    kit = make_kit(fake.url)
    result = kit.collect(today=today)
    run = result.runs[0]
    assert run.status == "partial" and result.partial
    assert run.failed_stream is not None and run.failed_stream.startswith("channel:")
    assert run.people > 0 and people_totals(kit) == {"mattermost": run.people}
    cli = run_cli("collect", "--today", today.isoformat(), kit=kit)
    assert cli.exit_code == 7, cli.output
    assert "chat: PARTIAL: stream channel:" in cli.output

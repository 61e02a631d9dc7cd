"""The engine's CheckContext on a real store: counts by container, and distinct active days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from e20kit import Action
from e20kit.onboarding.context import StoreCheckContext
from e20kit.store import schema
from e20kit.testing import build_kit

DAY = dt.date(2026, 10, 1)


def test_count_by_container_and_days_with_a_positive_count(tmp_path: Path, store_url: str) -> None:
    rows = [
        (DAY, "visit", "site", "m365:sharepoint", 3),
        (DAY + dt.timedelta(days=1), "visit", "site", "m365:sharepoint", 1),
        (DAY + dt.timedelta(days=2), "visit", "site", "m365:sharepoint", 0),
        (DAY + dt.timedelta(days=1), "sync", "files", "m365:onedrive", 2),
        (DAY, "post", "chat", "", 4),
    ]
    with build_kit(tmp_path, store_url=store_url) as kit:
        with kit.engine.begin() as conn:
            conn.execute(
                schema.facts.insert(),
                [
                    {
                        "day": day,
                        "member_key": "m",
                        "platform": "sharepoint",
                        "action": action,
                        "feature": feature,
                        "container": container,
                        "count": count,
                        "source": "m365",
                    }
                    for day, action, feature, container, count in rows
                ],
            )
        with kit.engine.connect() as conn:
            ctx = StoreCheckContext(conn, "m", None)
            assert ctx.count(container="m365:onedrive") == 2
            assert ctx.count(container="") == 4
            assert ctx.count(platform="sharepoint") == 10
            assert ctx.days(actions=(Action.VISIT,), container="m365:sharepoint") == 2
            assert ctx.days() == 2
            assert ctx.days(since=DAY + dt.timedelta(days=1)) == 1

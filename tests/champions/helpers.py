"""Small builders for champion tests: stores with hand-made members and facts, and kits."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from e20kit import Kit
from e20kit.store.schema import facts, members

SECRET = "champion-test-secret"
NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)  # a Monday
TODAY = NOW.date()


ALWAYS_OPEN = "send_on_weekends = true\nquiet_start = '00:00'\nquiet_end = '00:00'\n"
"""No quiet hours, no quiet weekends: tests that send at the wall clock's time stay
independent of it (quiet hours have tests of their own)."""


def write_config(
    tmp_path: Path, champions: str = "", extra: str = "", window: str = ALWAYS_OPEN
) -> Path:
    """A config with a log notifier writing to ``tmp_path/messages.jsonl``, opted in to champion
    scoring and individual views (both off by default; tests of that are in test_gates.py)."""
    path = tmp_path / "e20kit.toml"
    path.write_text(
        f"""
[privacy]
champion_scoring = true
allow_individual_views = true

[notifiers.log]
path = "{tmp_path / "messages.jsonl"}"

[champions]
{window}{champions}

{extra}
""",
        encoding="utf-8",
    )
    return path


def make_kit(
    tmp_path: Path,
    store_url: str,
    champions: str = "",
    extra: str = "",
    plugins: Any = (),
    window: str = ALWAYS_OPEN,
) -> Kit:
    config = write_config(tmp_path, champions, extra, window)
    return Kit.from_config(
        config,
        env={"E20KIT_PSEUDONYM_SECRET": SECRET},
        store_url=store_url,
        plugins=plugins,
    )


def add_member(
    engine: sa.Engine,
    key: str,
    department: str | None,
    *,
    joined_on: dt.date | None = None,
    locale: str = "en",
    active: bool = True,
) -> None:
    with engine.begin() as conn:
        conn.execute(
            members.insert().values(
                member_key=key,
                department=department,
                joined_on=joined_on,
                locale=locale,
                active=active,
                updated_at=NOW,
            )
        )


def add_fact(
    engine: sa.Engine,
    key: str,
    day: dt.date,
    action: str = "post",
    count: int = 1,
    container: str = "",
    feature: str = "discussion",
) -> None:
    with engine.begin() as conn:
        conn.execute(
            facts.insert().values(
                day=day,
                member_key=key,
                platform="csv",
                action=action,
                feature=feature,
                container=container,
                count=count,
                source="test",
            )
        )


def department(
    engine: sa.Engine, name: str, size: int, *, active_top: int = 0, prefix: str | None = None
) -> list[str]:
    """``size`` members of ``name``; the first ``active_top`` post on decreasingly many days."""
    keys = [f"{prefix or name.lower()}-{i:02d}" for i in range(size)]
    for i, key in enumerate(keys):
        add_member(engine, key, name)
        if i < active_top:
            for d in range(active_top - i):
                add_fact(engine, key, TODAY - dt.timedelta(days=d), count=active_top - i)
    return keys


def sent_messages(tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "messages.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]

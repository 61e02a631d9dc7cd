"""Builders for onboarding tests: a kit over a store, members and facts inserted directly."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa

from e20kit import Kit, Message, NotifierError, hookimpl
from e20kit.config import load_config
from e20kit.extensions import StepCompleted
from e20kit.plugins import Plugins
from e20kit.store import schema

SECRET = "onboarding-test-secret"
# Monday 2 March 2026, 10:00 in Berlin (09:00 UTC): a working hour on a weekday.
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 2)

CHECKLIST = """
[organisation]
name = "Example Ltd"
timezone = "Europe/Berlin"
default_locale = "en"

[notifiers.out]
type = "log"
path = "{messages}"

[onboarding.nudges]
notifier = "out"
stuck_days = 3
weekly_cap = 2

[[onboarding.checklists]]
id = "newcomers"
title = {{ en = "Getting started", de = "Los geht's" }}
audience = {{ joined_within_days = 60 }}

[[onboarding.checklists.steps]]
id = "first_post"
check = "activity"
params = {{ platform = "chat", actions = ["post", "reply"], min_count = 1 }}
title = {{ en = "Say hello in a channel", de = "Sagen Sie Hallo in einem Kanal" }}
help_url = "https://intranet.example.org/guides/chat"

[[onboarding.checklists.steps]]
id = "intro_session"
check = "manual"
title = {{ en = "Attend the intro session", de = "Besuchen Sie die Einführung" }}
help_url = "https://intranet.example.org/intro"

[[onboarding.checklists.steps]]
id = "first_page"
check = "activity"
params = {{ platform = "wiki", actions = "create", min_count = 2 }}
title = "Write two wiki pages"
"""


class Events:
    """A plugin that records e20kit_step_completed events."""

    __name__ = "events"

    def __init__(self) -> None:
        self.completed: list[StepCompleted] = []

    @hookimpl
    def e20kit_step_completed(self, event: StepCompleted) -> None:
        self.completed.append(event)


def make_kit(
    tmp_path: Path,
    store_url: str,
    extra: str = "",
    *,
    body: str = CHECKLIST,
    events: Events | None = None,
) -> Kit:
    config_file = tmp_path / "e20kit.toml"
    text = (body + extra).format(messages=tmp_path / "messages.jsonl")
    config_file.write_text(text, encoding="utf-8")
    config = load_config(config_file, env={"E20KIT_PSEUDONYM_SECRET": SECRET})
    plugins = Plugins(extra=(events,) if events else ())
    return Kit(config, plugins=plugins, store_url=store_url)


def add_member(
    engine: sa.Engine,
    key: str,
    joined_on: dt.date | None,
    *,
    department: str = "Sales",
    locale: str | None = "en",
    platform: str = "chat",
    active: bool = True,
) -> None:
    with engine.begin() as conn:
        conn.execute(
            schema.members.insert().values(
                member_key=key,
                department=department,
                joined_on=joined_on,
                locale=locale,
                active=active,
                updated_at=NOW,
            )
        )
        conn.execute(
            schema.identities.insert().values(
                source=platform,
                person_id=f"id-{key}",
                platform=platform,
                member_key=key,
                email=None,
                attributes={},
                updated_at=NOW,
            )
        )


def add_fact(
    engine: sa.Engine, key: str, day: dt.date, platform: str, action: str, count: int = 1
) -> None:
    feature = {"post": "discussion", "reply": "discussion", "create": "wiki"}.get(action, "site")
    with engine.begin() as conn:
        conn.execute(
            schema.facts.insert().values(
                day=day,
                member_key=key,
                platform=platform,
                action=action,
                feature=feature,
                container="c1",
                count=count,
                source=platform,
            )
        )


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def sent(tmp_path: Path) -> list[dict[str, str]]:
    """Messages the log notifier wrote."""
    path = tmp_path / "messages.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def ledger(engine: sa.Engine) -> dict[str, str]:
    with engine.connect() as conn:
        found = conn.execute(sa.select(schema.ledger.c.key, schema.ledger.c.state))
        return {key: state for key, state in found}


def rows(engine: sa.Engine, table: sa.Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)


class Recorder:
    """A notifier that keeps messages in memory; ``fail_for`` members make it raise."""

    def __init__(self, fail_for: Iterable[str] = ()) -> None:
        self.messages: list[Message] = []
        self.fail_for = set(fail_for)

    def send(self, message: Message) -> None:
        if message.recipient.member_key in self.fail_for:
            raise NotifierError("mailbox unavailable")
        self.messages.append(message)

    def was_sent(self, message: Message) -> bool | None:
        return any(m.key == message.key for m in self.messages)

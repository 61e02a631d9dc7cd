"""On a synthetic organisation: funnel figures and nudges match what the organisation did.

The expected figures come straight from the organisation's own records and events (in Python),
the actual ones from a real collect plus an onboarding run (in SQL), so the two are independent.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from pydantic import BaseModel

from e20kit import (
    Activity,
    ConnectorType,
    Kit,
    Person,
    PluginContext,
    Window,
    hookimpl,
)
from e20kit.config import load_config
from e20kit.onboarding.funnel import StepFunnel, funnel
from e20kit.plugins import Plugins
from e20kit.sandbox import Org, build_org
from e20kit.vocab import CONTRIBUTION_ACTIONS

from .helpers import SECRET, sent

ORG = build_org(11, members=200, newcomer_share=0.2)
NOW = dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC)  # a Tuesday, 10:00 in Berlin
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
WITHIN = 60
STUCK = 3
REGULAR = 20

CONFIG = f"""
[store]
url = "{{store}}"
[organisation]
timezone = "Europe/Berlin"
[collect]
lookback_days = 400
[connectors.org]
type = "synthetic"
[notifiers.out]
type = "log"
path = "{{messages}}"
[onboarding.nudges]
notifier = "out"
stuck_days = {STUCK}
weekly_cap = 5
[[onboarding.checklists]]
id = "start"
audience = {{{{ joined_within_days = {WITHIN} }}}}
[[onboarding.checklists.steps]]
id = "picture"
check = "attribute"
params = {{{{ platform = "org", name = "has_picture" }}}}
title = "Add a profile picture"
[[onboarding.checklists.steps]]
id = "contribute"
check = "activity"
params = {{{{ actions = ["create", "edit", "comment", "post", "reply"] }}}}
title = "Contribute something"
[[onboarding.checklists.steps]]
id = "regular"
check = "activity"
params = {{{{ min_count = {REGULAR} }}}}
title = "Use the tools regularly"
"""


class Empty(BaseModel):
    pass


class OrgConnector:
    capabilities = frozenset({"people", "activity"})

    def __init__(self, context: PluginContext) -> None:
        self.org: Org = ORG

    def people(self) -> Iterator[Person]:
        return self.org.people_records("org")

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[Activity]:
        return self.org.iter_activity("org")

    def close(self) -> None:
        pass


class SyntheticPlugin:
    __name__ = "synthetic"

    @hookimpl
    def e20kit_connectors(self) -> list[ConnectorType]:
        return [ConnectorType(name="synthetic", settings=Empty, factory=OrgConnector)]


def expected() -> tuple[list[StepFunnel], set[str]]:
    """Funnel figures and the e-mails of stuck members, from the organisation's own records."""
    today = NOW.astimezone(BERLIN).date()
    steps = ("picture", "contribute", "regular")
    eligible = 0
    completed = dict.fromkeys(steps, 0)
    stalled = dict.fromkeys(steps, 0)
    stuck: set[str] = set()
    for m in ORG.people:
        if not m.active or not today - dt.timedelta(days=WITHIN) <= m.joined_on <= today:
            continue
        eligible += 1
        events = [e for e in ORG.events(m.person_id) if e.day >= m.joined_on]
        done = {
            "picture": m.has_picture,
            "contribute": any(e.action in CONTRIBUTION_ACTIONS for e in events),
            "regular": sum(e.count for e in events) >= REGULAR,
        }
        for step in steps:
            completed[step] += done[step]
        current = next((s for s in steps if not done[s]), None)
        joined_at = dt.datetime.combine(m.joined_on, dt.time(0), BERLIN)
        if current and joined_at + dt.timedelta(days=STUCK) <= NOW:
            stalled[current] += 1
            stuck.add(m.email)
    figures = [
        StepFunnel("start", s, i, eligible, completed[s], stalled[s])
        for i, s in enumerate(steps, start=1)
    ]
    return figures, stuck


@pytest.fixture
def kit(tmp_path: Path, store_url: str) -> Kit:
    path = tmp_path / "e20kit.toml"
    path.write_text(CONFIG.format(store=store_url, messages=tmp_path / "messages.jsonl"))
    config = load_config(path, env={"E20KIT_PSEUDONYM_SECRET": SECRET})
    kit = Kit(config, plugins=Plugins(extra=(SyntheticPlugin(),)))
    assert kit.collect(today=ORG.end).ok
    return kit


def test_funnel_and_nudges_match_the_organisation(kit: Kit, tmp_path: Path) -> None:
    figures, stuck_emails = expected()
    # The organisation is interesting: people complete and stall on different steps.
    assert figures[0].eligible >= 10
    assert 0 < figures[1].completed < figures[0].eligible
    assert sum(f.stalled for f in figures) > 0 and len({f.stalled for f in figures}) > 1

    result = kit.onboarding.run(now=NOW)
    assert result.skipped == {}
    assert funnel(kit.engine) == figures
    assert kit.onboarding.status().steps == figures

    stuck_keys = {
        kit.pseudonymiser.member_key(email=e, platform="", person_id="") for e in stuck_emails
    }
    assert {n.member_key for n in result.nudges} == stuck_keys
    assert all(n.state == "sent" for n in result.nudges)
    assert {m["member"] for m in sent(tmp_path)} == stuck_keys

    # German members got German nudges.
    locales = {m.email: m.locale for m in ORG.people}
    german = {
        kit.pseudonymiser.member_key(email=e, platform="", person_id="")
        for e in stuck_emails
        if locales[e].startswith("de")
    }
    assert german and {n.member_key for n in result.nudges if n.locale == "de"} == german

    # A second run changes nothing and sends nothing.
    again = kit.onboarding.run(now=NOW + dt.timedelta(hours=2))
    assert again.nudges == [] and again.completed == []
    assert funnel(kit.engine) == figures

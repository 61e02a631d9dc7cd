"""Onboarding checks on a stand-in CheckContext."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from e20kit_mattermost.checks import CHECKS, AtLeast

from e20kit import Action, Feature
from e20kit.models import AttributeValue
from e20kit.plugins import Plugins


@dataclass
class Ctx:
    attrs: dict[str, AttributeValue] = field(default_factory=dict)
    counts: dict[Action, int] = field(default_factory=dict)
    member_key: str = "m1"
    joined_on: dt.date | None = None

    def attributes(self, platform: str) -> Mapping[str, AttributeValue]:
        return self.attrs if platform == "mattermost" else {}

    def count(
        self,
        *,
        platform: str | None = None,
        actions: Collection[Action] | None = None,
        feature: Feature | None = None,
        since: dt.date | None = None,
    ) -> int:
        assert platform == "mattermost"
        return sum(n for a, n in self.counts.items() if actions is None or a in actions)


CHECK = {c.id: c for c in CHECKS}


def test_checks_are_registered_through_the_hook() -> None:
    registered = Plugins().checks()
    assert {c.id for c in CHECKS} <= set(registered)


def test_directory_checks_read_attributes() -> None:
    newcomer = Ctx(attrs={"has_picture": False, "teams": 0, "channels": 0})
    settled = Ctx(attrs={"has_picture": True, "teams": 1, "channels": 4})
    for check_id in ("mattermost.profile_picture", "mattermost.joined_team"):
        params = CHECK[check_id].params()
        assert not CHECK[check_id].evaluate(newcomer, params)
        assert CHECK[check_id].evaluate(settled, params)
    channels = CHECK["mattermost.joined_channels"]
    assert channels.evaluate(settled, AtLeast(min=4))
    assert not channels.evaluate(settled, AtLeast(min=5))


def test_activity_checks_read_counts() -> None:
    quiet = Ctx()
    busy = Ctx(counts={Action.POST: 2, Action.REPLY: 1, Action.REACT: 3})
    assert CHECK["mattermost.posted"].evaluate(busy, AtLeast(min=3))
    assert not CHECK["mattermost.posted"].evaluate(busy, AtLeast(min=4))
    for check_id in ("mattermost.replied", "mattermost.reacted"):
        assert CHECK[check_id].evaluate(busy, CHECK[check_id].params())
        assert not CHECK[check_id].evaluate(quiet, CHECK[check_id].params())

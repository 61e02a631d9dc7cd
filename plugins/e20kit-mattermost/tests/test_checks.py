"""Onboarding checks on the kit's FakeCheckContext."""

from __future__ import annotations

import datetime as dt

from e20kit_mattermost.checks import CHECKS, AtLeast

from e20kit import Action, Activity, AttributeValue, Feature
from e20kit.testing import FakeCheckContext, registrations

CHECK = {c.id: c for c in CHECKS}


def member(attributes: dict[str, AttributeValue] | None = None, **counts: int) -> FakeCheckContext:
    """A member with Mattermost ``attributes`` and ``counts`` facts per action name."""
    facts = [
        Activity(
            day=dt.date(2026, 10, 1),
            platform="mattermost",
            person_id="u1",
            action=Action(action),
            feature=Feature.DISCUSSION,
            count=n,
        )
        for action, n in counts.items()
    ]
    return FakeCheckContext(attributes={"mattermost": attributes or {}}, facts=facts)


def test_checks_are_registered_through_the_entry_point() -> None:
    assert {c.id for c in CHECKS} <= set(registrations().checks)


def test_directory_checks_read_attributes() -> None:
    newcomer = member({"has_picture": False, "teams": 0, "channels": 0})
    settled = member({"has_picture": True, "teams": 1, "channels": 4})
    for check_id in ("mattermost.profile_picture", "mattermost.joined_team"):
        params = CHECK[check_id].params()
        assert not CHECK[check_id].evaluate(newcomer, params)
        assert CHECK[check_id].evaluate(settled, params)
    channels = CHECK["mattermost.joined_channels"]
    assert channels.evaluate(settled, AtLeast(min=4))
    assert not channels.evaluate(settled, AtLeast(min=5))


def test_activity_checks_read_counts() -> None:
    quiet = member()
    busy = member(post=2, reply=1, react=3)
    assert CHECK["mattermost.posted"].evaluate(busy, AtLeast(min=3))
    assert not CHECK["mattermost.posted"].evaluate(busy, AtLeast(min=4))
    for check_id in ("mattermost.replied", "mattermost.reacted"):
        assert CHECK[check_id].evaluate(busy, CHECK[check_id].params())
        assert not CHECK[check_id].evaluate(quiet, CHECK[check_id].params())

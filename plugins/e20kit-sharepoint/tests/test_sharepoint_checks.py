"""The onboarding checks on a member's stored Microsoft 365 facts."""

from __future__ import annotations

import datetime as dt

from e20kit_sharepoint.checks import CHECKS, AtLeastDays
from e20kit_sharepoint.reports import (
    EMAIL_ACTIVITY,
    ONEDRIVE_ACTIVITY,
    SHAREPOINT_ACTIVITY,
    TEAMS_ACTIVITY,
    VIVA_ENGAGE_ACTIVITY,
)

from e20kit import Action, Activity, Feature
from e20kit.testing import FakeCheckContext

BY_NAME = {c.id: c for c in CHECKS}
DAY = dt.date(2026, 10, 20)


def _fact(action: Action, feature: Feature, container: str, day: dt.date = DAY) -> Activity:
    return Activity(
        day=day,
        platform="sharepoint",
        person_id="u",
        action=action,
        feature=feature,
        container=container,
        count=2,
    )


def _passes(name: str, facts: list[Activity], params: object = None) -> bool:
    check = BY_NAME[name]
    return bool(check.evaluate(FakeCheckContext(facts=facts), params))


def test_visited_counts_days_not_pages() -> None:
    visits = [
        _fact(Action.VISIT, Feature.SITE, SHAREPOINT_ACTIVITY.container, DAY + dt.timedelta(d))
        for d in (0, 0, 2)
    ]
    assert _passes("sharepoint.visited", visits, AtLeastDays(days=2))
    assert not _passes("sharepoint.visited", visits, AtLeastDays(days=3))
    meeting = [_fact(Action.VISIT, Feature.CHAT, TEAMS_ACTIVITY.container)]
    assert not _passes("sharepoint.visited", meeting, AtLeastDays(days=1))


def test_edited_or_shared_needs_a_share_or_a_sync_not_a_view() -> None:
    view = _fact(Action.VIEW, Feature.FILES, SHAREPOINT_ACTIVITY.container)
    assert not _passes("sharepoint.edited_or_shared", [view])
    share = _fact(Action.SHARE, Feature.FILES, ONEDRIVE_ACTIVITY.container)
    assert _passes("sharepoint.edited_or_shared", [view, share])


def test_posted_in_a_channel_is_not_a_private_chat() -> None:
    chat = _fact(Action.POST, Feature.CHAT, TEAMS_ACTIVITY.container)
    assert not _passes("sharepoint.posted_in_channel", [chat])
    reply = _fact(Action.REPLY, Feature.DISCUSSION, TEAMS_ACTIVITY.container)
    assert _passes("sharepoint.posted_in_channel", [chat, reply])


def test_used_onedrive_looks_at_onedrive_only() -> None:
    sharepoint = _fact(Action.VIEW, Feature.FILES, SHAREPOINT_ACTIVITY.container)
    assert not _passes("sharepoint.used_onedrive", [sharepoint])
    onedrive = _fact(Action.SYNC, Feature.FILES, ONEDRIVE_ACTIVITY.container)
    assert _passes("sharepoint.used_onedrive", [sharepoint, onedrive])


def _engage(action: Action, day: dt.date = DAY) -> Activity:
    return Activity(
        day=day,
        platform=VIVA_ENGAGE_ACTIVITY.platform,
        person_id="u",
        action=action,
        feature=Feature.DISCUSSION,
        container=VIVA_ENGAGE_ACTIVITY.container,
        count=1,
    )


def test_posted_in_viva_engage_needs_a_post_there_not_a_teams_post_or_a_like() -> None:
    teams = _fact(Action.POST, Feature.DISCUSSION, TEAMS_ACTIVITY.container)
    like = _engage(Action.REACT)
    assert not _passes("sharepoint.posted_in_viva_engage", [teams, like])
    assert _passes("sharepoint.posted_in_viva_engage", [teams, like, _engage(Action.POST)])


def test_read_viva_engage_counts_days_of_reading() -> None:
    reads = [_engage(Action.VIEW, DAY + dt.timedelta(d)) for d in (0, 0, 3)]
    assert _passes("sharepoint.read_viva_engage", reads, AtLeastDays(days=2))
    assert not _passes("sharepoint.read_viva_engage", reads, AtLeastDays(days=3))


def test_a_check_over_all_platforms_never_counts_mail() -> None:
    """A mail sent is context: a check that asks for a post anywhere does not see it."""
    mail = Activity(
        day=DAY,
        platform=EMAIL_ACTIVITY.platform,
        person_id="u",
        action=Action.POST,
        feature=Feature.CHAT,
        container=EMAIL_ACTIVITY.container,
        count=5,
    )
    context = FakeCheckContext(facts=[mail])
    assert context.count(actions=(Action.POST,)) == 0
    assert context.count(platform=EMAIL_ACTIVITY.platform, actions=(Action.POST,)) == 5

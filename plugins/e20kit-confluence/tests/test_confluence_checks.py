"""Onboarding checks on a stand-in CheckContext, and on what a collect stores."""

from __future__ import annotations

import datetime as dt

from e20kit_confluence.checks import CHECKS, AtLeast

from e20kit import Action, Activity, Feature
from e20kit.testing import FakeCheckContext


def Ctx(
    attrs: dict[str, object] | None = None, counts: dict[tuple[Action, Feature], int] | None = None
) -> FakeCheckContext:
    """A member with these Confluence attributes and one fact per (action, feature) count."""
    facts = [
        Activity(
            day=dt.date(2026, 10, 1),
            platform="confluence",
            person_id="m",
            action=action,
            feature=feature,
            container="ENG",
            count=n,
        )
        for (action, feature), n in (counts or {}).items()
    ]
    return FakeCheckContext(attributes={"confluence": attrs or {}}, facts=facts)  # type: ignore[dict-item]


CHECK = {c.id: c for c in CHECKS}


def _passes(check: str, ctx: Ctx, params: object = None) -> bool:
    return bool(CHECK[check].evaluate(ctx, params))


def test_attribute_checks() -> None:
    assert _passes("confluence.profile_picture", Ctx(attrs={"has_picture": True}))
    assert not _passes("confluence.profile_picture", Ctx(attrs={"has_picture": False}))
    assert not _passes("confluence.profile_picture", Ctx())
    assert _passes("confluence.personal_space", Ctx(attrs={"personal_space": True}))
    assert not _passes("confluence.personal_space", Ctx())


def test_watching_a_space_reads_the_count_and_is_unknown_without_it() -> None:
    one, two = AtLeast(), AtLeast(min=2)
    assert _passes("confluence.watching_space", Ctx(attrs={"watched_spaces": 1}), one)
    assert not _passes("confluence.watching_space", Ctx(attrs={"watched_spaces": 1}), two)
    assert _passes("confluence.watching_space", Ctx(attrs={"watched_spaces": 3}), two)
    assert not _passes("confluence.watching_space", Ctx(attrs={"watched_spaces": 0}), one)
    # not listed (no administrator rights, or space_watchers = false): not passed
    assert not _passes("confluence.watching_space", Ctx(), one)
    assert not _passes("confluence.watching_space", Ctx(attrs={"watched_spaces": True}), one)
    assert CHECK["confluence.watching_space"].params is AtLeast


def test_activity_checks_tell_pages_blog_posts_and_comments_apart() -> None:
    page = Ctx(counts={(Action.CREATE, Feature.WIKI): 1})
    blog = Ctx(counts={(Action.CREATE, Feature.BLOG): 2})
    edit = Ctx(counts={(Action.EDIT, Feature.WIKI): 5})
    comment = Ctx(counts={(Action.COMMENT, Feature.DISCUSSION): 1})
    assert _passes("confluence.first_page", page) and not _passes("confluence.first_page", blog)
    assert not _passes("confluence.first_page", edit)
    assert _passes("confluence.first_blog_post", blog)
    assert not _passes("confluence.first_blog_post", page)
    assert _passes("confluence.commented", comment) and not _passes("confluence.commented", page)
    own = Ctx(counts={(Action.REPLY, Feature.DISCUSSION): 3})  # comments on one's own page
    assert _passes("confluence.commented", own)
    assert not _passes("confluence.commented_on_others", own)
    assert _passes("confluence.commented_on_others", comment)


def test_checks_are_registered_through_the_hook() -> None:
    from e20kit_confluence import plugin

    assert list(plugin.e20kit_checks()) == list(CHECKS)

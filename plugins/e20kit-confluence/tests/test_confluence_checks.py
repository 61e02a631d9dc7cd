"""Onboarding checks on a stand-in CheckContext, and on what a collect stores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from e20kit_confluence.checks import CHECKS

from e20kit import Action, Feature


@dataclass
class Ctx:
    attrs: dict[str, object] = field(default_factory=dict)
    counts: dict[tuple[Action, Feature], int] = field(default_factory=dict)
    member_key: str = "m1"
    joined_on: dt.date | None = None

    def attributes(self, platform: str) -> Mapping[str, object]:
        return self.attrs if platform == "confluence" else {}

    def count(
        self,
        *,
        platform: str | None = None,
        actions: Collection[Action] | None = None,
        feature: Feature | None = None,
        since: dt.date | None = None,
    ) -> int:
        assert platform == "confluence"
        return sum(
            n
            for (a, f), n in self.counts.items()
            if (actions is None or a in actions) and feature in (None, f)
        )


CHECK = {c.id: c for c in CHECKS}


def _passes(check: str, ctx: Ctx) -> bool:
    return bool(CHECK[check].evaluate(ctx, None))


def test_attribute_checks() -> None:
    assert _passes("confluence.profile_picture", Ctx(attrs={"has_picture": True}))
    assert not _passes("confluence.profile_picture", Ctx(attrs={"has_picture": False}))
    assert not _passes("confluence.profile_picture", Ctx())
    assert _passes("confluence.personal_space", Ctx(attrs={"personal_space": True}))
    assert not _passes("confluence.personal_space", Ctx())


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


def test_checks_are_registered_through_the_hook() -> None:
    from e20kit_confluence import plugin

    assert list(plugin.e20kit_checks()) == list(CHECKS)

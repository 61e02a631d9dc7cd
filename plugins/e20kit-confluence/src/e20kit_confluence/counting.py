"""Turning Confluence content and versions into daily counts: pure functions, no HTTP.

A page or blog post counts ``create`` for its creator on the day it was created and ``edit``
for each later version's own author on that version's day (not only the last editor). A
comment (footer or inline) counts ``comment`` for its creator on someone else's page or blog
post, and ``reply`` on their own (answering the discussion of their page); both are helping
contributions, so only the split tells them apart. A comment whose page's creator the answer
does not show counts ``comment``. Content that is not current
(trashed, draft, historical) counts for nobody and is reported as skipped.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from e20kit import Action, Activity, Feature, Window

from .payloads import Content
from .settings import PLATFORM

Key = tuple[dt.date, str, Action, Feature, str]
"""(day, person id, action, feature, space key)."""
VersionRow = tuple[int, str | None, dt.datetime]

FEATURES = {"page": Feature.WIKI, "blogpost": Feature.BLOG, "comment": Feature.DISCUSSION}
CONTRIBUTIONS = frozenset({Action.CREATE, Action.EDIT, Action.COMMENT, Action.REPLY})


def day_of(at: dt.datetime) -> dt.date:
    return at.astimezone(dt.UTC).date()


@dataclass
class Tally:
    """Counts of one scan, and what it had to leave out."""

    counts: Counter[Key] = field(default_factory=Counter)
    skipped: int = 0
    """Content not current, or gone/restricted when its versions were asked for."""
    spaces: set[str] = field(default_factory=set)

    def add(
        self,
        at: dt.datetime,
        who: str | None,
        action: Action,
        feature: Feature,
        space: str,
        first: dt.date,
    ) -> None:
        if who and day_of(at) >= first:
            self.counts[(day_of(at), who, action, feature, space)] += 1


def needs_versions(content: Content) -> bool:
    """Only edited pages and blog posts need a version listing (version 1 is the creation)."""
    return content.type in ("page", "blogpost") and content.version.number > 1


def tally_content(
    tally: Tally,
    content: Content,
    versions: Sequence[VersionRow] | None,
    *,
    first: dt.date,
) -> None:
    """Add one search result (and its version list, for an edited page) to ``tally``."""
    feature = FEATURES.get(content.type)
    if feature is None or content.space is None or content.history is None:
        return
    if content.status != "current":
        tally.skipped += 1
        return
    space = content.space.key
    tally.spaces.add(space)
    creator = content.history.created_by.person_id
    if content.history.created_by.is_app:
        creator = None
    if content.type == "comment":
        action = Action.REPLY if creator and content.container_owner == creator else Action.COMMENT
        tally.add(content.history.created_date, creator, action, feature, space, first)
        return
    tally.add(content.history.created_date, creator, Action.CREATE, feature, space, first)
    for number, author, when in versions or ():
        if number > 1:
            tally.add(when, author, Action.EDIT, feature, space, first)


def facts(counts: Mapping[Key, int], *, window: Window) -> Iterator[Activity]:
    """The counts as facts in a stable order, only days inside ``window``."""
    for (day, who, action, feature, space), count in sorted(counts.items()):
        if day in window and count > 0:
            yield Activity(
                day=day,
                platform=PLATFORM,
                person_id=who,
                action=action,
                feature=feature,
                container=space,
                count=count,
            )


def all_versions(rows: Iterable[VersionRow]) -> list[VersionRow]:
    """Versions once each, oldest first (a listing may repeat one across pages)."""
    return sorted({row[0]: row for row in rows}.values())


__all__ = [
    "CONTRIBUTIONS",
    "FEATURES",
    "Key",
    "Tally",
    "all_versions",
    "day_of",
    "facts",
    "needs_versions",
    "tally_content",
]

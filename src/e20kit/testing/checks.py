"""A :class:`~e20kit.CheckContext` from plain values, for unit tests of onboarding checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence

from ..models import Activity, AttributeValue
from ..vocab import Action, Feature, is_context_platform


class FakeCheckContext:
    """One member as a check sees them: stored attributes per platform and stored facts.

    ``attributes`` maps a platform to that platform's ``Person.attributes``; ``facts`` are
    :class:`~e20kit.Activity` records (their ``person_id`` is ignored: they are all this
    member's). :meth:`count` filters and sums them exactly as the onboarding engine's context
    sums stored facts (``since`` inclusive, an empty ``actions`` means any action, ``container=""``
    the facts stored without one); :meth:`days` counts the different days with a positive count.
    """

    def __init__(
        self,
        member_key: str = "m",
        joined_on: dt.date | None = None,
        attributes: Mapping[str, Mapping[str, AttributeValue]] = {},
        facts: Sequence[Activity] = [],
    ) -> None:
        self._member_key = member_key
        self._joined_on = joined_on
        self._attributes = {platform: dict(values) for platform, values in attributes.items()}
        self.facts: tuple[Activity, ...] = tuple(facts)

    @property
    def member_key(self) -> str:
        return self._member_key

    @property
    def joined_on(self) -> dt.date | None:
        return self._joined_on

    def attributes(self, platform: str) -> Mapping[str, AttributeValue]:
        return self._attributes.get(platform, {})

    def _matching(
        self,
        platform: str | None,
        actions: Collection[Action] | None,
        feature: Feature | None,
        since: dt.date | None,
        container: str | None,
    ) -> list[Activity]:
        wanted = {Action(a) for a in actions} if actions else None
        return [
            fact
            for fact in self.facts
            if (fact.platform == platform if platform else not is_context_platform(fact.platform))
            and (wanted is None or fact.action in wanted)
            and (feature is None or fact.feature == Feature(feature))
            and (since is None or fact.day >= since)
            and (container is None or (fact.container or "") == container)
        ]

    def count(
        self,
        *,
        platform: str | None = None,
        actions: Collection[Action] | None = None,
        feature: Feature | None = None,
        since: dt.date | None = None,
        container: str | None = None,
    ) -> int:
        return sum(f.count for f in self._matching(platform, actions, feature, since, container))

    def days(
        self,
        *,
        platform: str | None = None,
        actions: Collection[Action] | None = None,
        feature: Feature | None = None,
        since: dt.date | None = None,
        container: str | None = None,
    ) -> int:
        matching = self._matching(platform, actions, feature, since, container)
        return len({f.day for f in matching if f.count > 0})

    def __repr__(self) -> str:
        return (
            f"FakeCheckContext(member_key={self._member_key!r}, joined_on={self._joined_on!r}, "
            f"platforms={sorted(self._attributes)!r}, facts={len(self.facts)})"
        )


__all__ = ["FakeCheckContext"]

"""The onboarding engine's :class:`~e20kit.CheckContext`: one member, read from the store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

import sqlalchemy as sa

from ..models import AttributeValue
from ..store import schema
from ..store.participation import participation
from ..vocab import Action, Feature


class StoreCheckContext:
    """What a check may see of one member; every query is one small SQL statement."""

    def __init__(self, conn: sa.Connection, member_key: str, joined_on: dt.date | None) -> None:
        self._conn = conn
        self._member_key = member_key
        self._joined_on = joined_on
        self._attributes: dict[str, dict[str, AttributeValue]] = {}

    @property
    def member_key(self) -> str:
        return self._member_key

    @property
    def joined_on(self) -> dt.date | None:
        return self._joined_on

    def attributes(self, platform: str) -> Mapping[str, AttributeValue]:
        """The member's stored attributes on ``platform``, merged over their accounts there."""
        if platform not in self._attributes:
            ident = schema.identities
            merged: dict[str, AttributeValue] = {}
            rows = self._conn.execute(
                sa.select(ident.c.attributes)
                .where(ident.c.member_key == self._member_key, ident.c.platform == platform)
                .order_by(ident.c.active, ident.c.source, ident.c.person_id)
            ).scalars()
            for attrs in rows:  # active accounts come last and win
                merged.update(_as_mapping(attrs))
            self._attributes[platform] = merged
        return self._attributes[platform]

    def _matching(
        self,
        column: Any,
        *,
        platform: str | None,
        actions: Collection[Action] | None,
        feature: Feature | None,
        since: dt.date | None,
        container: str | None,
    ) -> sa.Select[Any]:
        facts = schema.facts
        stmt = sa.select(column).where(facts.c.member_key == self._member_key)
        if platform is not None:
            stmt = stmt.where(facts.c.platform == platform)
        else:  # any platform: any that counts as participation, never mail or app use
            stmt = stmt.where(participation(facts.c.platform))
        if actions:
            stmt = stmt.where(facts.c.action.in_(sorted(Action(a).value for a in actions)))
        if feature is not None:
            stmt = stmt.where(facts.c.feature == Feature(feature).value)
        if since is not None:
            stmt = stmt.where(facts.c.day >= since)
        if container is not None:
            stmt = stmt.where(facts.c.container == container)
        return stmt

    def count(
        self,
        *,
        platform: str | None = None,
        actions: Collection[Action] | None = None,
        feature: Feature | None = None,
        since: dt.date | None = None,
        container: str | None = None,
    ) -> int:
        total = sa.func.coalesce(sa.func.sum(schema.facts.c.count), 0)
        stmt = self._matching(
            total,
            platform=platform,
            actions=actions,
            feature=feature,
            since=since,
            container=container,
        )
        return int(self._conn.execute(stmt).scalar() or 0)

    def days(
        self,
        *,
        platform: str | None = None,
        actions: Collection[Action] | None = None,
        feature: Feature | None = None,
        since: dt.date | None = None,
        container: str | None = None,
    ) -> int:
        facts = schema.facts
        stmt = self._matching(
            sa.func.count(sa.distinct(facts.c.day)),
            platform=platform,
            actions=actions,
            feature=feature,
            since=since,
            container=container,
        ).where(facts.c.count > 0)
        return int(self._conn.execute(stmt).scalar() or 0)


def _as_mapping(value: Any) -> Mapping[str, AttributeValue]:
    return value if isinstance(value, Mapping) else {}


__all__ = ["StoreCheckContext"]

"""Daily sums from the store's ``day_totals`` rollup: contributions per platform, actions per
feature, and which containers saw any activity."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa

from ..store.schema import day_totals
from ..store.values import stored_date
from .cube import Ints


@dataclass(frozen=True)
class DayTotals:
    """Per-day sums over days ``[first, end)`` (index 0 is ``first``)."""

    first: dt.date
    end: dt.date
    contributions: dict[str | None, Ints]
    """Per platform, and across platforms (``None``)."""
    helping: dict[str | None, Ints]
    """Helping contributions per platform, and across platforms (``None``)."""
    actions: dict[str, Ints]
    """Per feature: the count of every action."""

    def helping_in(self, platform: str | None, start: dt.date, end: dt.date) -> int:
        found = self.helping.get(platform)
        return 0 if found is None else int(found[self.cols(start, end)].sum())

    def cols(self, start: dt.date, end: dt.date) -> slice:
        return slice((start - self.first).days, (end - self.first).days)


def load_totals(conn: sa.Connection, first: dt.date, end: dt.date) -> DayTotals:
    t = day_totals.c
    width = (end - first).days
    contributions: dict[str | None, Ints] = defaultdict(lambda: np.zeros(width, dtype=np.int64))
    helping: dict[str | None, Ints] = defaultdict(lambda: np.zeros(width, dtype=np.int64))
    actions: dict[str, Ints] = defaultdict(lambda: np.zeros(width, dtype=np.int64))
    contributions[None]  # always present, if only as zeros
    stmt = (
        sa.select(
            t.day,
            t.platform,
            t.feature,
            sa.func.sum(t.n),
            sa.func.sum(t.con),
            sa.func.sum(t.hlp),
        )
        .where(t.day >= first, t.day < end)
        .group_by(t.day, t.platform, t.feature)
    )
    for day, platform, feature, n, con, hlp in conn.execute(stmt):
        col = (stored_date(day) - first).days
        for key in (str(platform), None):
            contributions[key][col] += int(con or 0)
            helping[key][col] += int(hlp or 0)
        actions[str(feature)][col] += int(n or 0)
    return DayTotals(first, end, dict(contributions), dict(helping), dict(actions))


def containers_seen(conn: sa.Connection, start: dt.date, end: dt.date) -> set[tuple[str, str]]:
    """(platform, container) with any activity in ``[start, end)`` (chat has no container).

    A personal space (Confluence's ``~name``) is left out: it is one person's, never counted or
    named as a container (its liveliness would be that person's activity)."""
    t = day_totals.c
    stmt = (
        sa.select(t.platform, t.container)
        .where(t.day >= start, t.day < end, t.container != "", t.container.not_like("~%"))
        .distinct()
    )
    return {(str(p), str(c)) for p, c in conn.execute(stmt)}


__all__ = ["DayTotals", "containers_seen", "load_totals"]

"""Newcomers: retention by joining-week cohort, week-1 drop-out and newcomer creators.

Cohorts are the ISO weeks (Monday to Sunday) people joined in. Week 1 is each member's own
first week: days 0-6 after ``members.joined_on``; week ``n`` is days
``7(n-1)`` to ``7n - 1``. A week is only reported once every member of the cohort has lived
through it before the period's end; small cohorts are suppressed (with a second one when
needed, so that none follows from the pooled row).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
import numpy.typing as npt

from ..privacy.suppression import groups_to_hide
from ..store.rollup import CREATOR
from .cube import Cube, has_bits
from .model import Cohort, Newcomers
from .period import Period
from .permember import ActiveMembers, Member
from .sql import ratio

RETENTION_WEEKS = (1, 4, 8, 12)


class Windows:
    """Whether members were active within day windows of their own, for many at once."""

    def __init__(self, cube: Cube, members: list[int], joined: list[dt.date]) -> None:
        self.width = cube.members.shape[1]
        self._rows = cube.members[np.array(members, dtype=np.int64)]
        active = self._rows != 0
        self.seen = np.zeros((len(members), self.width + 1), dtype=np.int32)
        np.cumsum(active, axis=1, out=self.seen[:, 1:])
        self.joined = np.array([(day - cube.first).days for day in joined], dtype=np.int64)
        """Each member's joining day as a column of the cube."""
        self._created: npt.NDArray[np.int32] | None = None

    def any(self, start: int, end: int, *, not_before: int = 0) -> npt.NDArray[np.bool_]:
        """Per member: activity on days ``start`` to ``end - 1`` after joining (and not before
        column ``not_before``), clipped to the cube's days."""
        return self._within(self.seen, start, end, not_before)

    def any_creator(self, start: int, end: int, *, not_before: int = 0) -> npt.NDArray[np.bool_]:
        """Per member: a contribution in the same window as :meth:`any`."""
        if self._created is None:
            self._created = np.zeros_like(self.seen)
            np.cumsum(has_bits(self._rows, CREATOR), axis=1, out=self._created[:, 1:])
        return self._within(self._created, start, end, not_before)

    def _within(
        self, counts: npt.NDArray[np.int32], start: int, end: int, not_before: int
    ) -> npt.NDArray[np.bool_]:
        lo = np.clip(np.maximum(self.joined + start, not_before), 0, self.width)
        hi = np.maximum(np.clip(self.joined + end, 0, self.width), lo)
        rows = np.arange(len(lo))
        found: npt.NDArray[np.bool_] = (counts[rows, hi] - counts[rows, lo]) > 0
        return found


def lived_through(week_start: dt.date, week: int, end: dt.date) -> bool:
    """Whether every member who joined in the ISO week from ``week_start`` has lived through
    their ``week``-th week before ``end`` (the last of them joined on the Sunday)."""
    return week_start + dt.timedelta(days=6 + 7 * week) <= end


def cohorts(
    cube: Cube, period: Period, people: dict[str, Member], *, weeks: int, k: int
) -> tuple[Cohort, ...]:
    """Cohorts of the ``weeks`` ISO weeks (Monday to Sunday) up to the period's end, oldest
    first; the newest is the week of the period's last day, cut at the period's end."""
    end = period.end
    newest = period.last_day - dt.timedelta(days=period.last_day.weekday())  # its Monday
    first = newest - dt.timedelta(days=7 * (weeks - 1))
    sizes: dict[int, int] = defaultdict(int)
    active: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    found: list[tuple[int, dt.date, int]] = []  # (cube member, joined, cohort index)
    for key, person in people.items():
        joined = person.joined
        if joined is None or not first <= joined < end:
            continue
        index = (newest - (joined - dt.timedelta(days=joined.weekday()))).days // 7
        sizes[index] += 1
        member = cube.index.get(key)
        if member is not None:
            found.append((member, joined, index))
    if found:
        windows = Windows(cube, [m for m, _, _ in found], [j for _, j, _ in found])
        for w in RETENTION_WEEKS:
            hits = windows.any(7 * (w - 1), 7 * w, not_before=(first - cube.first).days)
            for (_, _, index), hit in zip(found, hits.tolist(), strict=True):
                active[index][w] += hit
    hidden = groups_to_hide(dict(sizes), k)
    out: list[Cohort] = []
    base = dict.fromkeys(RETENTION_WEEKS, 0)
    retained = dict.fromkeys(RETENTION_WEEKS, 0)
    hidden_seen: dict[int, list[int]] = {w: [] for w in RETENTION_WEEKS}
    for index in range(weeks - 1, -1, -1):
        start = newest - dt.timedelta(days=7 * index)
        size = sizes.get(index, 0)
        if size == 0:
            continue
        shown = index not in hidden
        retention: dict[int, float | None] = {}
        for w in RETENTION_WEEKS:
            seen = lived_through(start, w, end)
            retention[w] = ratio(active[index][w], size) if seen and shown else None
            if seen:
                base[w] += size
                retained[w] += active[index][w]
                if not shown:
                    hidden_seen[w].append(size)
        out.append(
            Cohort(
                start,
                size if shown else None,
                retention,
                suppressed=not shown,
                complementary=not shown and size >= k,
            )
        )
    if not out:
        return ()
    # Weekly cohorts are often smaller than k; all of them together usually are not.
    total = sum(sizes.values())
    # a week's pooled share, less the shown cohorts', must not leave one small cohort's share
    pooled = {
        w: ratio(retained[w], base[w]) if base[w] >= k and _safe(hidden_seen[w], k) else None
        for w in RETENTION_WEEKS
    }
    small = total < k
    return (
        Cohort(out[0].week_start, None if small else total, pooled, suppressed=small, pooled=True),
        *out,
    )


def _safe(hidden: list[int], k: int) -> bool:
    """Whether the hidden cohorts within a pooled figure hide each small one among them."""
    return all(n >= k for n in hidden) or (len(hidden) >= 2 and sum(hidden) >= k)


def newcomers(
    cube: Cube,
    period: Period,
    people: dict[str, Member],
    *,
    newcomer_days: int,
    k: int,
    period_active: ActiveMembers,
) -> Newcomers:
    """Newcomer activity in the period, and who dropped out after their first week."""
    end = period.end
    since = end - dt.timedelta(days=newcomer_days)
    observable = end - dt.timedelta(days=28)
    total = 0
    found: list[tuple[int, dt.date]] = []  # newcomers long enough in to see weeks 2-4
    for key, person in people.items():
        joined = person.joined
        if joined is None or not since <= joined < end:
            continue
        total += 1
        member = cube.index.get(key)
        if member is not None and joined <= observable:
            found.append((member, joined))
    week1 = dropped = 0
    if found:
        windows = Windows(cube, [m for m, _ in found], [j for _, j in found])
        first_week = windows.any(0, 7)
        later = windows.any(7, 28)
        week1 = int(np.count_nonzero(first_week))
        dropped = int(np.count_nonzero(first_week & ~later))
    active = int(np.count_nonzero(period_active.newcomer))
    creators = int(np.count_nonzero(period_active.newcomer & period_active.creator))
    small = total < k
    return Newcomers(
        newcomers=total,
        active=active,
        creators=creators,
        creator_share=None if small else ratio(creators, active),
        week1_active=week1,
        dropped=dropped,
        dropout=None if small or week1 < k else ratio(dropped, week1),
    )


__all__ = ["RETENTION_WEEKS", "Windows", "cohorts", "lived_through", "newcomers"]

"""Newcomers: retention by joining-week cohort, week-1 drop-out and newcomer creators.

Week 1 is the joining week: days 0-6 after ``members.joined_on``; week ``n`` is days
``7(n-1)`` to ``7n - 1``. A week is only reported once every member of the cohort has lived
through it before the period's end; small cohorts are suppressed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .cube import Cube
from .model import Cohort, Newcomers
from .period import Period
from .permember import Member, MemberFacts
from .sql import ratio

RETENTION_WEEKS = (1, 4, 8, 12)


class _Windows:
    """Whether members were active within day windows of their own, for many at once."""

    def __init__(self, cube: Cube, members: list[int]) -> None:
        self.first = cube.first
        self.width = cube.members.shape[1]
        active = cube.members[np.array(members, dtype=np.int64)] != 0
        self.seen = np.zeros((len(members), self.width + 1), dtype=np.int32)
        np.cumsum(active, axis=1, out=self.seen[:, 1:])

    def col(self, day: dt.date) -> int:
        return min(max((day - self.first).days, 0), int(self.width))

    def any(self, starts: list[dt.date], ends: list[dt.date]) -> npt.NDArray[np.bool_]:
        """Per member: activity in its ``[start, end)`` (clipped to the cube's days)."""
        lo = np.array([self.col(d) for d in starts], dtype=np.int64)
        hi = np.maximum(np.array([self.col(d) for d in ends], dtype=np.int64), lo)
        rows = np.arange(len(lo))
        return (self.seen[rows, hi] - self.seen[rows, lo]) > 0


def cohorts(
    cube: Cube, period: Period, people: dict[str, Member], *, weeks: int, k: int
) -> tuple[Cohort, ...]:
    """Cohorts of the ``weeks`` 7-day blocks before the period's end, oldest first."""
    end = period.end
    first = end - dt.timedelta(days=7 * weeks)
    sizes: dict[int, int] = defaultdict(int)
    active: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    found: list[tuple[int, dt.date, int]] = []  # (cube member, joined, cohort index)
    for key, person in people.items():
        joined = person.joined
        if joined is None or not first <= joined < end:
            continue
        index = ((end - joined).days - 1) // 7
        sizes[index] += 1
        member = cube.index.get(key)
        if member is not None:
            found.append((member, joined, index))
    if found:
        windows = _Windows(cube, [m for m, _, _ in found])
        for w in RETENTION_WEEKS:
            hits = windows.any(
                [max(j + dt.timedelta(days=7 * (w - 1)), first) for _, j, _ in found],
                [j + dt.timedelta(days=7 * w) for _, j, _ in found],
            )
            for (_, _, index), hit in zip(found, hits.tolist(), strict=True):
                active[index][w] += hit
    out: list[Cohort] = []
    base = dict.fromkeys(RETENTION_WEEKS, 0)
    retained = dict.fromkeys(RETENTION_WEEKS, 0)
    for index in range(weeks - 1, -1, -1):
        start = end - dt.timedelta(days=7 * (index + 1))
        size = sizes.get(index, 0)
        if size == 0:
            continue
        retention: dict[int, float | None] = {}
        for w in RETENTION_WEEKS:
            seen = start + dt.timedelta(days=6 + 7 * w) <= end
            retention[w] = ratio(active[index][w], size) if seen and size >= k else None
            if seen:
                base[w] += size
                retained[w] += active[index][w]
        out.append(Cohort(start, size, retention, suppressed=size < k))
    if not out:
        return ()
    # Weekly cohorts are often smaller than k; all of them together usually are not.
    total = sum(c.size for c in out)
    pooled = {w: ratio(retained[w], base[w]) if base[w] >= k else None for w in RETENTION_WEEKS}
    return (Cohort(out[0].week_start, total, pooled, suppressed=total < k, pooled=True), *out)


def newcomers(
    cube: Cube,
    period: Period,
    people: dict[str, Member],
    *,
    newcomer_days: int,
    k: int,
    period_active: Sequence[MemberFacts],
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
        windows = _Windows(cube, [m for m, _ in found])
        joined_on = [j for _, j in found]
        first_week = windows.any(joined_on, [j + dt.timedelta(days=7) for j in joined_on])
        later = windows.any(
            [j + dt.timedelta(days=7) for j in joined_on],
            [j + dt.timedelta(days=28) for j in joined_on],
        )
        week1 = int(np.count_nonzero(first_week))
        dropped = int(np.count_nonzero(first_week & ~later))
    active = sum(1 for m in period_active if m.newcomer)
    creators = sum(1 for m in period_active if m.newcomer and m.creator)
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


__all__ = ["RETENTION_WEEKS", "cohorts", "newcomers"]

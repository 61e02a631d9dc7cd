"""Leaders versus staff, departments and the department-by-week heat map, k-suppressed.

Every group with fewer members than the minimum group size keeps its label, loses its figures
and is marked ``suppressed``; no query returns member keys.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np

from .activity import full_blocks, lead_days
from .cube import Cube, merge_blocks
from .model import DepartmentFigures, GroupFigures, HeatCell
from .period import Period
from .permember import ActiveMembers, Member
from .sql import ratio

LEADERS = "leaders"
STAFF = "staff"
NEVER = 2**31
"""A group size no group reaches: suppresses a whole leaders/staff pair."""


GroupKey = tuple[str, bool]
GroupStats = tuple[int, int, int]
"""(active members, creators, contributions)."""


def _group_stats(
    people: dict[str, Member], end: dt.date, active: ActiveMembers
) -> tuple[dict[GroupKey, int], dict[GroupKey, GroupStats]]:
    sizes: dict[GroupKey, int] = dict(
        Counter((p.department, p.leader) for p in people.values() if p.on_record(end))
    )
    known = active.group >= 0
    group = active.group[known]
    groups = len(active.groups)
    members = np.bincount(group, minlength=groups)
    creators = np.bincount(group, weights=active.creator[known], minlength=groups)
    contributions = np.bincount(group, weights=active.rows.contributions[known], minlength=groups)
    stats = {
        key: (int(members[i]), int(creators[i]), int(contributions[i]))
        for i, key in enumerate(active.groups)
        if members[i]
    }
    return sizes, stats


def _group_row(
    group: str, department: str | None, size: int, stats: GroupStats, k: int
) -> GroupFigures:
    if size < k:
        return GroupFigures(group, department, size, None, None, None, None, None, None, True)
    active, creators, contrib = stats
    return GroupFigures(
        group=group,
        department=department,
        members=size,
        active=active,
        creators=creators,
        contributions=contrib,
        participation_rate=ratio(active, size),
        contribution_rate=ratio(creators, size),
        contributions_per_member=ratio(contrib, size),
    )


def _sum(stats: list[GroupStats]) -> GroupStats:
    return (sum(s[0] for s in stats), sum(s[1] for s in stats), sum(s[2] for s in stats))


def groups(
    cube: Cube,
    period: Period,
    people: dict[str, Member],
    *,
    k: int,
    period_active: ActiveMembers,
) -> tuple[tuple[GroupFigures, ...], tuple[DepartmentFigures, ...], tuple[HeatCell, ...]]:
    """Leaders vs staff (overall, then per department), departments and the heat map.

    ``period_active`` are the period's active members (:func:`.permember.period_members`),
    ``people`` the members as :func:`.permember.directory` read them (groups count the members
    on record at the period's end).
    """
    sizes, stats = _group_stats(people, period.end, period_active)
    zero: GroupStats = (0, 0, 0)
    # Leaders plus staff add up to a total shown elsewhere, so when one of the pair is too
    # small both are suppressed (otherwise the small one follows by subtraction).
    overall = {
        flag: (
            sum(n for (_, f), n in sizes.items() if f is flag),
            _sum([s for (_, f), s in stats.items() if f is flag]),
        )
        for flag in (True, False)
    }
    pair_k = k if min(n for n, _ in overall.values()) >= k else NEVER
    leaders: list[GroupFigures] = [
        _group_row(name, None, overall[flag][0], overall[flag][1], pair_k)
        for name, flag in ((LEADERS, True), (STAFF, False))
    ]
    departments_sorted = sorted({d for d, _ in sizes})
    for dept in departments_sorted:
        present = [
            (name, flag)
            for name, flag in ((LEADERS, True), (STAFF, False))
            if (dept, flag) in sizes
        ]
        dept_k = k if all(sizes[(dept, f)] >= k for _, f in present) else NEVER
        for name, flag in present:
            size = sizes[(dept, flag)]
            leaders.append(_group_row(name, dept, size, stats.get((dept, flag), zero), dept_k))
    departments: list[DepartmentFigures] = []
    for dept in departments_sorted:
        size = sizes.get((dept, True), 0) + sizes.get((dept, False), 0)
        if size < k:
            departments.append(DepartmentFigures(dept, size, None, None, None, None, None, True))
            continue
        active, creators, contrib = _sum([stats.get((dept, f), zero) for f in (True, False)])
        departments.append(
            DepartmentFigures(
                department=dept,
                members=size,
                active=active,
                creators=creators,
                contributions=contrib,
                participation_rate=ratio(active, size),
                creator_share=ratio(creators, active),
            )
        )
    sizes_by_dept = {d.department: d.members for d in departments}
    return (
        tuple(leaders),
        tuple(departments),
        heatmap(cube, period, people, sizes_by_dept, k),
    )


def heatmap(
    cube: Cube,
    period: Period,
    people: dict[str, Member],
    sizes: dict[str, int],
    k: int,
) -> tuple[HeatCell, ...]:
    """Active members per department and 7-day block (counted back from the period's end; a
    partial first block when the length does not divide); small departments blanked.

    Members count where they are on record at the period's end.
    """
    weeks, lead = full_blocks(period.days, 7), lead_days(period.days, 7)
    whole = period.end - dt.timedelta(days=7 * weeks)
    days = cube.members[:, cube.cols(whole, period.end)]
    weekly = merge_blocks(days != 0, 7)  # one column per week, oldest first
    starts = [whole + dt.timedelta(days=7 * week) for week in range(weeks)]
    if lead:  # the partial first block, so that every day of the period is in a cell
        part = cube.members[:, cube.cols(period.start, whole)] != 0
        weekly = np.concatenate([part.any(axis=1)[:, None], weekly], axis=1)
        starts.insert(0, period.start)
    department_of = np.full(len(cube.keys), -1, dtype=np.int64)
    names = sorted(sizes)
    number = {name: i for i, name in enumerate(names)}
    for i, key in enumerate(cube.keys):
        person = people.get(key)
        if person is not None and person.on_record(period.end):
            department_of[i] = number.get(person.department, -1)
    cells: list[HeatCell] = []
    for dept in names:
        size = sizes[dept]
        active_by_week = np.count_nonzero(weekly[department_of == number[dept]], axis=0)
        for week, week_start in enumerate(starts):
            if size < k:
                cells.append(HeatCell(dept, week_start, None, None, True))
                continue
            active = int(active_by_week[week])
            cells.append(HeatCell(dept, week_start, active, ratio(active, size)))
    return tuple(cells)


__all__ = ["LEADERS", "STAFF", "groups", "heatmap"]

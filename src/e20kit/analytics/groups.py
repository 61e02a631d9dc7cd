"""Leaders versus staff, departments and the department-by-week heat map, k-suppressed.

Every group with fewer members than the minimum group size (and every sibling hidden so that it
cannot be computed from a total: :mod:`e20kit.privacy.suppression`) keeps its label, loses its
figures and its size and is marked ``suppressed``; no query returns member keys.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np

from ..privacy.suppression import groups_to_hide
from .activity import iso_weeks
from .cube import Cube
from .model import DepartmentFigures, GroupFigures, HeatCell
from .period import Period
from .permember import ActiveMembers, Member
from .sql import ratio

LEADERS = "leaders"
STAFF = "staff"


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
    group: str, department: str | None, size: int, stats: GroupStats, hide: bool, k: int
) -> GroupFigures:
    if hide:
        return GroupFigures(
            group, department, None, None, None, None, None, None, None, True, size >= k
        )
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


def _hidden_pairs(sizes: dict[GroupKey, int], k: int, hidden_departments: set[str]) -> set[str]:
    """Departments whose leaders/staff pair is hidden.

    Within a department the pair adds up to the department; across departments each flag adds
    up to the overall leaders (staff) row: both sibling sets follow :func:`groups_to_hide`, and
    a hidden department hides its pair (else the pair would add up to its size).
    """
    departments = {d for d, _ in sizes}
    hidden = set(hidden_departments)
    for dept in departments:
        pair = {flag: n for (d, flag), n in sizes.items() if d == dept}
        if groups_to_hide(pair, k):
            hidden.add(dept)
    while True:
        grown = set(hidden)
        for flag in (True, False):
            siblings = {d: n for (d, f), n in sizes.items() if f is flag}
            grown |= groups_to_hide(siblings, k, hidden)
        if grown == hidden:
            return hidden
        hidden = grown


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
    on record at the period's end). A hidden group shows neither figures nor size.
    """
    sizes, stats = _group_stats(people, period.end, period_active)
    zero: GroupStats = (0, 0, 0)
    overall = {
        flag: (
            sum(n for (_, f), n in sizes.items() if f is flag),
            _sum([s for (_, f), s in stats.items() if f is flag]),
        )
        for flag in (True, False)
    }
    # leaders plus staff add up to all members: one hidden hides both
    hide_overall = bool(groups_to_hide({flag: n for flag, (n, _) in overall.items()}, k))
    leaders: list[GroupFigures] = [
        _group_row(name, None, overall[flag][0], overall[flag][1], hide_overall, k)
        for name, flag in ((LEADERS, True), (STAFF, False))
    ]
    department_sizes: dict[str, int] = {}
    for (dept, _), n in sizes.items():
        department_sizes[dept] = department_sizes.get(dept, 0) + n
    hidden_departments = groups_to_hide(department_sizes, k)
    hidden_pairs = _hidden_pairs(sizes, k, hidden_departments)
    departments_sorted = sorted(department_sizes)
    for dept in departments_sorted:
        for name, flag in ((LEADERS, True), (STAFF, False)):
            if (dept, flag) in sizes:
                row = _group_row(
                    name,
                    dept,
                    sizes[(dept, flag)],
                    stats.get((dept, flag), zero),
                    dept in hidden_pairs,
                    k,
                )
                leaders.append(row)
    departments: list[DepartmentFigures] = []
    for dept in departments_sorted:
        size = department_sizes[dept]
        if dept in hidden_departments:
            departments.append(
                DepartmentFigures(dept, None, None, None, None, None, None, True, size >= k)
            )
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
    return (
        tuple(leaders),
        tuple(departments),
        heatmap(cube, period, people, department_sizes, hidden_departments),
    )


def heatmap(
    cube: Cube,
    period: Period,
    people: dict[str, Member],
    sizes: dict[str, int],
    hidden: set[str],
) -> tuple[HeatCell, ...]:
    """Active members per department and ISO week (Monday to Sunday; the weeks the period
    cuts are partial blocks at either end, see :class:`~.activity.Weeks`); hidden departments
    blanked.

    Members count where they are on record at the period's end.
    """
    bounds = iso_weeks(period.start, period.end).bounds()
    weekly = np.stack([cube.members[:, cube.cols(a, b)].any(axis=1) for a, b in bounds], axis=1)
    starts = [a for a, _ in bounds]
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
            if dept in hidden:
                cells.append(HeatCell(dept, week_start, None, None, True))
                continue
            active = int(active_by_week[week])
            cells.append(HeatCell(dept, week_start, active, ratio(active, size)))
    return tuple(cells)


__all__ = ["LEADERS", "STAFF", "groups", "heatmap"]

"""Figures the playbook compares across groups to tell the reasons for low use apart.

One figure on its own is ambiguous: few newcomers contribute both where training is missing and
where nobody sees the benefit; newcomers stop showing up both where the tools are complicated and
where nobody has time. Each figure here therefore comes with the group it is compared with:
newcomers who stayed against established members, newcomers' early drop-out against established
members' lapses over the same three weeks, the features members use against the features in use.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .cohorts import Windows
from .cube import Cube, features_used
from .model import Contrasts
from .period import Period
from .permember import ActiveMembers, Member
from .sql import ratio

LATER_DAYS = 21
"""Weeks 2-4 of a newcomer; the three weeks after an established member's reference week."""


def contrasts(
    cube: Cube,
    period: Period,
    people: dict[str, Member],
    *,
    newcomer_days: int,
    period_active: ActiveMembers,
) -> Contrasts:
    """Tenure and depth contrasts of ``period`` (groups too small to judge are left to rules)."""
    end = period.end
    since = end - dt.timedelta(days=newcomer_days)
    established = ~period_active.newcomer
    est_active = int(np.count_nonzero(established))
    est_creators = int(np.count_nonzero(established & period_active.creator))
    # newcomers who stayed: active in the period after their own first week
    stayed = stayed_creators = 0
    joined_rows: list[tuple[int, dt.date]] = []
    ref_start = end - dt.timedelta(days=7 + LATER_DAYS)
    lapse_rows: list[int] = []
    for key, person in people.items():
        member = cube.index.get(key)
        if member is None:
            continue
        joined = person.joined
        if joined is not None and since <= joined < end:
            joined_rows.append((member, joined))
        elif person.on_record(end) and (joined is None or joined < ref_start):
            lapse_rows.append(member)
    if joined_rows:
        windows = Windows(cube, [m for m, _ in joined_rows], [j for _, j in joined_rows])
        start_col = (period.start - cube.first).days
        after = windows.any(7, 10_000, not_before=start_col)
        contributed = windows.any_creator(0, 10_000, not_before=start_col)
        stayed = int(np.count_nonzero(after))
        stayed_creators = int(np.count_nonzero(after & contributed))
    lapse = None
    checked = 0
    if lapse_rows and ref_start >= cube.first:
        rows = cube.members[np.array(lapse_rows, dtype=np.int64)]
        ref = rows[:, cube.cols(ref_start, ref_start + dt.timedelta(days=7))] != 0
        later = rows[:, cube.cols(ref_start + dt.timedelta(days=7), end)] != 0
        seen = ref.any(axis=1)
        checked = int(np.count_nonzero(seen))
        lapse = ratio(int(np.count_nonzero(seen & ~later.any(axis=1))), checked)
    days = cube.members[:, cube.cols(period.start, end)]
    active = np.count_nonzero(days, axis=1) > 0
    in_use = (
        int(features_used(np.bitwise_or.reduce(days[active], axis=0)[None, :])[0])
        if (active.any())
        else 0
    )
    per_member = features_used(days[active])
    depth = ratio(float(per_member.mean()), in_use) if in_use and len(per_member) else None
    return Contrasts(
        established_active=est_active,
        established_creator_share=ratio(est_creators, est_active),
        stayed_newcomers=stayed,
        stayed_creator_share=ratio(stayed_creators, stayed),
        established_checked=checked,
        established_lapse=lapse,
        features_in_use=in_use,
        feature_depth=depth,
    )


__all__ = ["contrasts"]

"""Feature mix over time: wiki, blog, discussion, chat, files and site."""

from __future__ import annotations

import datetime as dt

import numpy as np

from ..store.rollup import FEATURE_BITS
from .activity import iso_weeks
from .cube import Bytes, Cube
from .model import FeatureShare
from .period import Period
from .sql import ratio
from .totals import DayTotals


def _mix(
    used: Bytes, totals: DayTotals, start: dt.date, end: dt.date
) -> dict[str, tuple[int, int]]:
    """Feature -> (active members, actions) in ``[start, end)`` for features used in it;
    ``used`` holds each member's feature bits OR-ed over those days."""
    found = {}
    for feature, bit in FEATURE_BITS.items():
        active = int(np.count_nonzero(used & np.uint8(bit)))
        counts = totals.actions.get(feature)
        actions = int(counts[totals.cols(start, end)].sum()) if counts is not None else 0
        if active or actions:  # anonymous counts (views naming nobody) have no active member
            found[feature] = (active, actions)
    return found


def feature_mix(cube: Cube, totals: DayTotals, period: Period) -> tuple[FeatureShare, ...]:
    """Actions and active members per feature for the period, then per ISO week (the weeks the
    period cuts are partial blocks at either end, see :class:`~.activity.Weeks`)."""
    out: list[FeatureShare] = []
    days = cube.members[:, cube.cols(period.start, period.end)]
    whole = _mix(np.bitwise_or.reduce(days, axis=1), totals, period.start, period.end)
    total = sum(a for _, a in whole.values())
    for feature in sorted(whole):
        active, actions = whole[feature]
        out.append(FeatureShare(feature, None, active, actions, ratio(actions, total)))
    blocks = [
        (first, last, np.bitwise_or.reduce(cube.members[:, cube.cols(first, last)], axis=1))
        for first, last in iso_weeks(period.start, period.end).bounds()
    ]
    weekly = [_mix(bits, totals, first, last) for first, last, bits in blocks]
    features = sorted({f for week in weekly for f in week})
    for (week_start, _, _), week in zip(blocks, weekly, strict=True):
        week_total = sum(a for _, a in week.values())
        for feature in features:
            active, actions = week.get(feature, (0, 0))
            out.append(
                FeatureShare(feature, week_start, active, actions, ratio(actions, week_total))
            )
    return tuple(out)


__all__ = ["feature_mix"]

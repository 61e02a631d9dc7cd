"""Feature mix over time: wiki, blog, discussion, chat, files and site."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa

from .activity import full_blocks
from .model import FeatureShare
from .period import Period
from .scratch import Scratch
from .sql import ratio


def feature_mix(conn: sa.Connection, src: Scratch, period: Period) -> tuple[FeatureShare, ...]:
    """Actions and active members per feature for the period, then per full 7-day block."""
    out: list[FeatureShare] = []
    rows = conn.execute(
        sa.select(
            src.rows.c.feature,
            sa.func.count(sa.distinct(src.rows.c.member_key)),
            sa.func.sum(src.rows.c.n),
        )
        .where(src.in_span(period.start, period.end))
        .group_by(src.rows.c.feature)
    ).all()
    total = sum(int(r[2] or 0) for r in rows)
    for feature, active, actions in sorted(rows, key=lambda r: str(r[0])):
        out.append(
            FeatureShare(
                str(feature), None, int(active), int(actions or 0), ratio(int(actions or 0), total)
            )
        )
    weeks = full_blocks(period.days, 7)
    start = period.end - dt.timedelta(days=7 * weeks)
    blk = src.block(period.end, 7)
    weekly: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for index, feature, active, actions in conn.execute(
        sa.select(
            blk,
            src.rows.c.feature,
            sa.func.count(sa.distinct(src.rows.c.member_key)),
            sa.func.sum(src.rows.c.n),
        )
        .where(src.in_span(start, period.end))
        .group_by(blk, src.rows.c.feature)
    ):
        weekly[int(index)][str(feature)] = (int(active), int(actions or 0))
    features = sorted({f for week in weekly.values() for f in week})
    for index in range(weeks - 1, -1, -1):
        week_start = start + dt.timedelta(days=7 * (weeks - 1 - index))
        week = weekly.get(index, {})
        week_total = sum(a for _, a in week.values())
        for feature in features:
            active, actions = week.get(feature, (0, 0))
            out.append(
                FeatureShare(feature, week_start, active, actions, ratio(actions, week_total))
            )
    return tuple(out)


__all__ = ["feature_mix"]

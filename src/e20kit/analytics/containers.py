"""Lively versus dormant spaces, channels and sites, counted per platform (never named)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from .model import ContainerFigures
from .period import Period
from .scratch import Scratch, lit
from .sql import facts, in_span, ratio

KNOWN_DAYS = 365
"""How far before the period a container must have been active to count as dormant."""


def containers(
    conn: sa.Connection, src: Scratch, period: Period, *, lively_min_contributors: int
) -> tuple[ContainerFigures, ...]:
    """Per platform: containers seen in the year before the period, by liveliness in it.

    Lively: at least ``lively_min_contributors`` members contributed; quiet: some activity but
    fewer contributors; dormant: seen in the ``KNOWN_DAYS`` before the period, no activity at
    all in it. (Containers silent for longer are gone rather than dormant; the bound also keeps
    the query's cost independent of years of history.)
    """
    # the period from the narrow copy; the year before it, where only existence matters, from
    # the store (a range of its primary key)
    recent = (
        sa.select(
            src.rows.c.platform,
            src.rows.c.container,
            lit(1).label("seen"),
            sa.func.count(sa.distinct(src.contributor_key())).label("contributors"),
        )
        .where(src.rows.c.container != "", src.in_span(period.start, period.end))
        .group_by(src.rows.c.platform, src.rows.c.container)
    )
    before = period.start - dt.timedelta(days=KNOWN_DAYS)
    older = (
        sa.select(facts.c.platform, facts.c.container, lit(0), lit(0))
        .where(facts.c.container != "", in_span(before, period.start))
        .group_by(facts.c.platform, facts.c.container)
    )
    both = sa.union_all(recent, older).subquery()
    per_container = (
        sa.select(
            both.c.platform,
            sa.func.max(both.c.seen).label("seen"),
            sa.func.max(both.c.contributors).label("contributors"),
        )
        .group_by(both.c.platform, both.c.container)
        .subquery()
    )
    lively = sa.case((per_container.c.contributors >= lively_min_contributors, 1), else_=0)
    rows = conn.execute(
        sa.select(
            per_container.c.platform,
            sa.func.count(),
            sa.func.sum(per_container.c.seen),
            sa.func.sum(lively),
        ).group_by(per_container.c.platform)
    )
    counts = {str(p): (int(n), int(seen or 0), int(lv or 0)) for p, n, seen, lv in rows}
    out = []
    for platform in sorted(counts):
        total, seen, lv = counts[platform]
        out.append(
            ContainerFigures(
                platform=str(platform),
                containers=total,
                lively=lv,
                quiet=seen - lv,
                dormant=max(0, total - seen),
                lively_share=ratio(lv, total),
            )
        )
    return tuple(out)


__all__ = ["containers"]

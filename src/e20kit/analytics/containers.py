"""Lively versus dormant spaces, channels and sites, counted per platform (never named)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from .model import ContainerFigures
from .period import Period
from .sql import ratio
from .totals import containers_seen

KNOWN_DAYS = 365
"""How far before the period a container must have been active to count as dormant."""


def containers(
    conn: sa.Connection,
    period: Period,
    contributors: dict[tuple[str, str], int],
    *,
    lively_min_contributors: int,
) -> tuple[ContainerFigures, ...]:
    """Per platform: containers seen in the year before the period, by liveliness in it.

    Lively: at least ``lively_min_contributors`` members contributed; quiet: some activity but
    fewer contributors; dormant: seen in the ``KNOWN_DAYS`` before the period, no activity at
    all in it. (Containers silent for longer are gone rather than dormant; the bound also keeps
    the query's cost independent of years of history.) ``contributors`` are the period's
    :func:`.contributions.container_contributors`.
    """
    recent = containers_seen(conn, period.start, period.end)
    before = period.start - dt.timedelta(days=KNOWN_DAYS)
    known = recent | containers_seen(conn, before, period.start)
    out = []
    for platform in sorted({p for p, _ in known}):
        mine = [c for c in known if c[0] == platform]
        seen = sum(1 for c in mine if c in recent)
        lively = sum(1 for c in mine if contributors.get(c, 0) >= lively_min_contributors)
        out.append(
            ContainerFigures(
                platform=platform,
                containers=len(mine),
                lively=lively,
                quiet=seen - lively,
                dormant=len(mine) - seen,
                lively_share=ratio(lively, len(mine)),
            )
        )
    return tuple(out)


__all__ = ["containers"]

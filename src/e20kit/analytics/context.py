"""Context figures: what members do on context platforms (mail, apps) beside participating.

A mail is not a post, so no participation figure counts context facts (see
:mod:`e20kit.store.participation`). They answer one question of their own: who writes, but only
there? A member who sent mail in the period and contributed on no participation platform
"lives in mail": the people behind the "no time" and "too complicated" reasons often keep
working in the inbox instead of the collaboration tools. Only members on record are counted
(concealed report names join no one, so they could not be told apart from the silent).
"""

from __future__ import annotations

import sqlalchemy as sa

from ..store import schema
from ..store.participation import context, participation
from ..vocab import CONTRIBUTION_ACTIONS
from .model import ContextFigures
from .period import Period
from .sql import ratio

_CONTRIB = sorted(a.value for a in CONTRIBUTION_ACTIONS)


def context_figures(conn: sa.Connection, period: Period) -> tuple[ContextFigures, ...]:
    """Per context platform with facts in ``period``: its members, those who wrote there, and
    those who wrote there but contributed on no participation platform."""
    f, m = schema.facts, schema.members
    in_period = sa.and_(f.c.day >= period.start, f.c.day < period.end, f.c.count > 0)
    contributors = (
        sa.select(f.c.member_key)
        .where(in_period, participation(f.c.platform), f.c.action.in_(_CONTRIB))
        .distinct()
    )
    wrote = f.c.action.in_(_CONTRIB)
    query = (
        sa.select(
            f.c.platform,
            sa.func.count(sa.distinct(f.c.member_key)),
            sa.func.count(sa.distinct(sa.case((wrote, f.c.member_key), else_=None))),
            sa.func.count(
                sa.distinct(
                    sa.case(
                        (wrote & f.c.member_key.not_in(contributors), f.c.member_key),
                        else_=None,
                    )
                )
            ),
        )
        .select_from(f.join(m, m.c.member_key == f.c.member_key))
        .where(in_period, context(f.c.platform))
        .group_by(f.c.platform)
        .order_by(f.c.platform)
    )
    return tuple(
        ContextFigures(str(platform), int(members), int(writers), int(only), ratio(only, writers))
        for platform, members, writers, only in conn.execute(query)
    )


__all__ = ["context_figures"]

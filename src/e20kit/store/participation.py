"""Which facts count as participation: every platform but the context ones.

Context platforms (``context:outlook``, see :data:`e20kit.vocab.CONTEXT_PREFIX`) are stored so
that the context figures can read them, and left out of everything else in one way, here: the
rollups (so every active, creator, feature and container figure), champion scores, stalled
newcomers, onboarding checks over all platforms and experiment outcomes.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.expression import ColumnElement

from ..vocab import CONTEXT_PREFIX

PARTICIPATION_SQL = f"platform NOT LIKE '{CONTEXT_PREFIX}%'"
"""The same filter as raw SQL on a ``platform`` column (for the rollups' statements)."""


def participation(platform: ColumnElement[str] | sa.Column[str]) -> ColumnElement[bool]:
    """True for a fact whose ``platform`` counts as participation (not a context platform)."""
    return platform.not_like(CONTEXT_PREFIX + "%")


def context(platform: ColumnElement[str] | sa.Column[str]) -> ColumnElement[bool]:
    """True for a fact of a context platform."""
    return platform.like(CONTEXT_PREFIX + "%")


__all__ = ["PARTICIPATION_SQL", "context", "participation"]

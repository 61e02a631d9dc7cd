"""The onboarding funnel, when the onboarding module and its data exist.

Imported lazily and guarded: analytics never depends on onboarding being installed or used.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from .model import FunnelStep
from .sql import ratio

log = logging.getLogger(__name__)


def onboarding_funnel(engine: sa.Engine) -> tuple[FunnelStep, ...]:
    """Steps of every checklist with eligible, completed and stalled members; ``()`` if none."""
    try:
        from ..onboarding.funnel import funnel
    except ImportError:  # an installation without the onboarding module
        return ()
    try:
        steps: list[Any] = list(funnel(engine))
    except Exception as err:  # onboarding is optional: its failure must not stop a report
        log.warning("onboarding funnel unavailable: %s: %s", err.__class__.__name__, err)
        return ()
    return tuple(
        FunnelStep(
            checklist=str(s.checklist),
            step=str(s.step),
            position=int(s.position),
            eligible=int(s.eligible),
            completed=int(s.completed),
            stalled=int(s.stalled),
            stall_share=ratio(int(s.stalled), int(s.completed) + int(s.stalled)),
        )
        for s in steps
    )


__all__ = ["onboarding_funnel"]

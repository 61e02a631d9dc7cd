"""The effects service that :class:`e20kit.Kit` exposes as ``kit.effects``.

``kit.effects()`` reads every configured experiment (and every logged rollout) on a day;
``kit.effects.log(...)`` records a remedy rolled out to departments; ``kit.effects.plan(...)``
draws the order in which departments start (a stepped wedge).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..clock import OrgClock
from ..config import Config
from .read import read_experiment
from .results import ExperimentResult


@dataclass(frozen=True)
class EffectsResult:
    """Every experiment's (and rollout's) result on ``as_of``."""

    as_of: dt.date
    experiments: list[ExperimentResult] = field(default_factory=list)
    rollouts: list[Any] = field(default_factory=list)

    def lines(self, lang: str = "en") -> list[str]:
        return [e.sentence(lang) for e in self.experiments] + [
            r.sentence(lang) for r in self.rollouts
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "experiments": [e.as_dict() for e in self.experiments],
            "rollouts": [r.as_dict() for r in self.rollouts],
        }


def read_all(
    conn: sa.Connection, config: Config, *, as_of: dt.date, lang: str = "en"
) -> EffectsResult:
    """Every configured experiment and logged rollout, read on ``as_of``."""
    from .rollout import read_rollouts

    k = config.settings.privacy.min_group_size
    experiments = [
        read_experiment(conn, e, as_of=as_of, k=k, lang=lang) for e in config.settings.experiments
    ]
    return EffectsResult(as_of, experiments, read_rollouts(conn, as_of=as_of, k=k, lang=lang))


class EffectsService:
    """Experiments and rollouts over one store; call it for the results."""

    def __init__(self, engine: sa.Engine, config: Config, clock: OrgClock) -> None:
        self.engine = engine
        self.config = config
        self.clock = clock

    def __call__(self, *, today: dt.date | None = None, lang: str = "en") -> EffectsResult:
        """Every experiment and rollout as of ``today`` (default: the organisation's today)."""
        as_of = today or self.clock.today()
        with self.engine.connect() as conn:
            return read_all(conn, self.config, as_of=as_of, lang=lang)


__all__ = ["EffectsResult", "EffectsService", "read_all"]

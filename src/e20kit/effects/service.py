"""The effects service that :class:`e20kit.Kit` exposes as ``kit.effects``.

``kit.effects()`` reads every configured experiment (and every logged rollout) on a day;
``kit.effects.log(...)`` records a remedy rolled out to departments; ``kit.effects.plan(...)``
draws the order in which departments start (a stepped wedge) and can log it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa

from ..clock import OrgClock
from ..config import Config, Settings
from ..errors import ConfigError
from ..extensions import SectionPublisher
from ..store import schema
from . import rollout
from .read import read_experiment
from .results import OBSERVATIONAL, RANDOMISED_ORDER, ExperimentResult
from .rollout import RolloutResult, Start, read_rollouts


@dataclass(frozen=True)
class EffectsResult:
    """Every experiment's (and rollout's) result on ``as_of``."""

    as_of: dt.date
    experiments: list[ExperimentResult] = field(default_factory=list)
    rollouts: list[RolloutResult] = field(default_factory=list)

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
    conn: sa.Connection, settings: Settings, *, as_of: dt.date, lang: str = "en"
) -> EffectsResult:
    """Every configured experiment and logged rollout, read on ``as_of``."""
    k = settings.privacy.min_group_size
    experiments = [
        read_experiment(conn, e, as_of=as_of, k=k, lang=lang) for e in settings.experiments
    ]
    return EffectsResult(as_of, experiments, read_rollouts(conn, as_of=as_of, k=k, lang=lang))


def publish(result: EffectsResult, layer: SectionPublisher) -> EffectsResult:
    """``result`` with every count of people as the disclosure layer publishes it (the same
    cells in the report's table, its sentences and ``e20kit effects``); rates and intervals
    are of arms of at least k and stay exact; an arm under k (while an experiment fills) shows
    neither its counts nor its rate. Counts within a group (those who reached the outcome in an
    arm, those at the horizon) are perturbed as counts within it, withheld when the group is
    under k, never shown as a 0 they are not."""
    experiments = []
    for e in result.experiments:
        cell = f"effects/{e.id}"  # the id, not the label: one figure in every language
        arms = []
        for a in e.arms:
            members = layer.count(f"{cell}/{a.arm}/members", a.members)
            if members is None:  # an arm under k: no count and no rate of it leaves
                arms.append(replace(a, members=0, reached=0, shown=False))
                continue
            reached = layer.subcount(f"{cell}/{a.arm}/reached", a.reached, within=members)
            arms.append(replace(a, members=members, reached=reached or 0, rate_=a.rate))
        assigned = layer.count(f"{cell}/assigned", e.assigned)
        at_horizon = (
            None
            if assigned is None
            else layer.subcount(f"{cell}/at_horizon", e.at_horizon, within=assigned)
        )
        experiments.append(
            replace(
                e,
                arms=tuple(arms),
                shown_members=layer.count(f"{cell}/members", e.members) if e.arms else None,
                assigned=assigned,
                at_horizon=at_horizon,
            )
        )
    return replace(result, experiments=experiments)


class EffectsService:
    """Experiments and rollouts over one store; call it for the results."""

    def __init__(
        self,
        engine: sa.Engine,
        config: Config,
        clock: OrgClock,
        disclosure: Callable[[], SectionPublisher] | None = None,
    ) -> None:
        self.engine = engine
        self.config = config
        self.clock = clock
        self._disclosure = disclosure
        """The kit's disclosure layer, asked for only when results are read."""

    def __call__(self, *, today: dt.date | None = None, lang: str = "en") -> EffectsResult:
        """Every experiment and rollout as of ``today`` (default: the organisation's today),
        its counts of people published through the disclosure layer."""
        as_of = today or self.clock.today()
        with self.engine.connect() as conn:
            result = read_all(conn, self.config.settings, as_of=as_of, lang=lang)
        return result if self._disclosure is None else publish(result, self._disclosure())

    def log(
        self,
        what: str,
        departments: list[str],
        from_day: dt.date,
        *,
        now: dt.datetime | None = None,
    ) -> list[Start]:
        """Record that ``what`` started in ``departments`` on ``from_day`` (observational:
        the order was not drawn)."""
        starts = [Start(d, from_day) for d in dict.fromkeys(departments)]
        if not starts:
            raise ConfigError("name at least one department the remedy reached", key="departments")
        self._log(what, starts, OBSERVATIONAL, None, now)
        return starts

    def plan(
        self,
        *,
        seed: str,
        start: dt.date,
        departments: list[str] | None = None,
        step_weeks: int = 2,
        per_step: int = 1,
        log_as: str | None = None,
        now: dt.datetime | None = None,
    ) -> list[Start]:
        """A stepped wedge over ``departments`` (default: every department in the store) in an
        order drawn from ``seed``; with ``log_as`` recorded as a "randomised order" rollout."""
        chosen = departments or self.departments()
        starts = rollout.plan(
            chosen, seed=seed, start=start, step_weeks=step_weeks, per_step=per_step
        )
        if log_as:
            self._log(log_as, starts, RANDOMISED_ORDER, seed, now)
        return starts

    def departments(self) -> list[str]:
        """Every department of an active member."""
        m = schema.members
        query = (
            sa.select(m.c.department)
            .where(m.c.department.is_not(None), m.c.active.is_(True))
            .distinct()
        )
        with self.engine.connect() as conn:
            return sorted(str(d) for d in conn.execute(query).scalars())

    def _log(
        self, what: str, starts: list[Start], design: str, seed: str | None, now: dt.datetime | None
    ) -> None:
        with self.engine.begin() as conn:
            rollout.log(conn, what, starts, design=design, seed=seed, now=self.clock.now(now))


__all__ = ["EffectsResult", "EffectsService", "publish", "read_all"]

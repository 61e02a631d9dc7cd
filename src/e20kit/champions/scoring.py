"""Champion scores: built-in signals computed in SQL, plugin signals, and their explanation.

Each signal yields a raw value per member, normalised to 0..1; the score is the weighted sum of
the normalised values, so every score splits exactly into its signals' parts.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..errors import PluginError
from ..extensions import ChampionSignal
from ..models import Window
from ..store.participation import participation
from ..store.schema import facts, members
from ..store.values import stored_date
from ..vocab import CONTRIBUTION_ACTIONS, HELPING_ACTIONS
from .settings import ChampionsSettings

BUILTIN_SIGNALS = ("contributions", "helping", "breadth", "consistency", "recency")


@dataclass(frozen=True)
class SignalPart:
    """One signal's share of a member's score."""

    name: str
    raw: float | None
    """The measured value (a count, weeks, or days since last activity; None: never active)."""
    normalised: float
    """The raw value mapped onto 0..1."""
    weight: float
    part: float
    """``normalised * weight``; the parts of a score add up to it."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "signal": self.name,
            "raw": self.raw,
            "normalised": self.normalised,
            "weight": self.weight,
            "part": self.part,
        }


@dataclass(frozen=True)
class ChampionScore:
    """A member's champion score with the parts it is made of."""

    member_key: str
    department: str | None
    score: float
    parts: tuple[SignalPart, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "member": self.member_key,
            "department": self.department,
            "score": self.score,
            "parts": [p.as_dict() for p in self.parts],
        }


@dataclass(frozen=True)
class ScoringContext:
    """The concrete :class:`~e20kit.SignalContext` handed to plugin signals."""

    engine: sa.Engine
    window: Window
    member_keys: Sequence[str]


def _day_offset(day: Any, start: dt.date, dialect: str) -> sa.ColumnElement[Any]:
    """Whole days from ``start`` to ``day``, portable between SQLite and PostgreSQL."""
    if dialect == "sqlite":
        return sa.cast(
            sa.func.julianday(day) - sa.func.julianday(sa.literal(start.isoformat())), sa.Integer
        )
    return sa.cast(day - sa.literal(start, sa.Date), sa.Integer)


def _raw_rows(
    engine: sa.Engine, settings: ChampionsSettings, today: dt.date
) -> list[tuple[Any, ...]]:
    """One row per active member with the raw built-in signals (aggregated in SQL)."""
    end = today + dt.timedelta(days=1)
    window_start = end - dt.timedelta(days=settings.window_days)
    weeks_start = end - dt.timedelta(weeks=settings.consistency_weeks)
    scan_start = min(window_start, weeks_start, end - dt.timedelta(days=settings.recency_days))
    in_window = facts.c.day >= window_start
    contrib = [a.value for a in CONTRIBUTION_ACTIONS]
    helping = [a.value for a in HELPING_ACTIONS]
    week = _day_offset(facts.c.day, weeks_start, engine.dialect.name) // 7
    agg = (
        sa.select(
            facts.c.member_key,
            sa.func.sum(
                sa.case((in_window & facts.c.action.in_(contrib), facts.c.count), else_=0)
            ).label("contributions"),
            sa.func.sum(
                sa.case((in_window & facts.c.action.in_(helping), facts.c.count), else_=0)
            ).label("helping"),
            sa.func.count(
                sa.distinct(
                    sa.case(
                        (
                            in_window & (facts.c.container != ""),
                            facts.c.platform + ":" + facts.c.container,
                        ),
                        else_=None,
                    )
                )
            ).label("breadth"),
            sa.func.count(
                sa.distinct(sa.case((facts.c.day >= weeks_start, week), else_=None))
            ).label("weeks"),
            sa.func.max(facts.c.day).label("last_day"),
        )
        .where(
            facts.c.day >= scan_start,
            facts.c.day < end,
            facts.c.count > 0,
            participation(facts.c.platform),
        )
        .group_by(facts.c.member_key)
        .subquery()
    )
    query = (
        sa.select(
            members.c.member_key,
            members.c.department,
            sa.func.coalesce(agg.c.contributions, 0),
            sa.func.coalesce(agg.c.helping, 0),
            sa.func.coalesce(agg.c.breadth, 0),
            sa.func.coalesce(agg.c.weeks, 0),
            agg.c.last_day,
        )
        .select_from(members.outerjoin(agg, agg.c.member_key == members.c.member_key))
        .where(members.c.active.is_(True))
        .order_by(members.c.member_key)
    )
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]


def _log_scaled(value: float, top: float) -> float:
    """``ln(1+value) / ln(1+top)``: heavy-tailed counts mapped onto 0..1."""
    if top <= 0 or value <= 0:
        return 0.0
    return min(1.0, math.log1p(value) / math.log1p(top))


def _plugin_values(signal: ChampionSignal, context: ScoringContext) -> Mapping[str, float]:
    try:
        values = dict(signal.compute(context))
    except Exception as err:
        raise PluginError(
            f"champion signal {signal.name!r} failed: {err.__class__.__name__}: {err}",
            signal=signal.name,
        ) from err
    for key, value in values.items():
        if not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
            raise PluginError(
                f"champion signal {signal.name!r} returned {value!r} for a member; "
                "expected a number in 0..1",
                signal=signal.name,
            )
        values[key] = float(value)
    return values


def compute_scores(
    engine: sa.Engine,
    settings: ChampionsSettings,
    *,
    today: dt.date,
    signals: Mapping[str, ChampionSignal] | None = None,
) -> list[ChampionScore]:
    """Score every active member; sorted best first (ties by member key)."""
    rows = _raw_rows(engine, settings, today)
    tops = [max((float(r[i]) for r in rows), default=0.0) for i in (2, 3, 4)]
    weights = settings.weights
    context = ScoringContext(
        engine=engine,
        window=Window(
            start=today + dt.timedelta(days=1 - settings.window_days),
            end=today + dt.timedelta(days=1),
        ),
        member_keys=tuple(r[0] for r in rows),
    )
    plugin_values = {
        name: (settings.signal_weights.get(name, signal.weight), _plugin_values(signal, context))
        for name, signal in sorted((signals or {}).items())
    }
    scores = []
    for key, department, contributions, helping, breadth, weeks, last in rows:
        last_day = None if last is None else stored_date(last)
        days_since = float((today - last_day).days) if last_day else float("inf")
        recency = max(0.0, 1.0 - days_since / settings.recency_days) if last_day else 0.0
        measured: tuple[tuple[str, float | None, float], ...] = (
            ("contributions", float(contributions), _log_scaled(contributions, tops[0])),
            ("helping", float(helping), _log_scaled(helping, tops[1])),
            ("breadth", float(breadth), _log_scaled(breadth, tops[2])),
            ("consistency", float(weeks), min(1.0, weeks / settings.consistency_weeks)),
            ("recency", days_since if last_day else None, recency),
        )
        parts = [
            SignalPart(name, raw, norm, getattr(weights, name), norm * getattr(weights, name))
            for name, raw, norm in measured
        ]
        for name, (weight, values) in plugin_values.items():
            value = values.get(key, 0.0)
            parts.append(SignalPart(name, value, value, weight, value * weight))
        total = sum(p.part for p in parts)
        scores.append(ChampionScore(key, department, total, tuple(parts)))
    scores.sort(key=lambda s: (-s.score, s.member_key))
    return scores


__all__ = [
    "BUILTIN_SIGNALS",
    "ChampionScore",
    "ScoringContext",
    "SignalPart",
    "compute_scores",
]

"""Remedies rolled out per department: the intervention log, the stepped-wedge planner and the
estimate from a staggered rollout.

Trainings, info sessions and leader workshops reach a whole department, so they cannot be
randomised per person. What can be randomised is the order in which departments start
(:func:`plan`, a stepped wedge, reproducible from its seed); a rollout logged that way is
labelled "randomised order", any other "observational". The estimate (:func:`estimate`) is a
difference in differences over department-weeks (the weekly mean of the daily share of a
department's members who were active) with department and week effects. Its interval inverts
the exact randomisation test (:mod:`.permutation`) when the order was drawn at random, else a
wild cluster bootstrap (:mod:`.wild`). A pre-trend check runs the same estimate on the weeks
before each start, as if the remedy had begun ``PRE_WEEKS`` earlier: it should find nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlalchemy as sa

from ..errors import ConfigError
from ..store import schema
from ..store.participation import participation
from .results import OBSERVATIONAL, RANDOMISED_ORDER, points
from .wild import DidEstimate, did

LOG = schema.interventions
PRE_WEEKS = 4
"""Weeks before each department's start that the pre-trend check looks at."""
DESIGNS = (RANDOMISED_ORDER, OBSERVATIONAL)
FEW_DEPARTMENTS = 20
"""Below this many departments the benchmark finds the bootstrap interval of an observational
rollout a little too narrow (about 7 % false positives with 8 departments, 6 % with 12): the
sentence says so. A randomised order needs no such warning: its randomisation test is exact."""


@dataclass(frozen=True)
class Start:
    department: str
    from_day: dt.date

    def as_dict(self) -> dict[str, str]:
        return {"department": self.department, "from": self.from_day.isoformat()}


def plan(
    departments: Sequence[str], *, seed: str, start: dt.date, step_weeks: int = 2, per_step: int = 1
) -> list[Start]:
    """A stepped wedge: departments in an order drawn from ``seed`` (HMAC, reproducible),
    ``per_step`` of them starting every ``step_weeks`` weeks from ``start``."""
    if not departments:
        raise ConfigError("a rollout plan needs at least one department", key="departments")
    if step_weeks < 1 or per_step < 1:
        raise ConfigError("step_weeks and per_step must be at least 1", key="step_weeks")
    key = f"e20kit-rollout:{seed}".encode()
    order = sorted(
        dict.fromkeys(departments),
        key=lambda d: hmac.new(key, d.encode(), hashlib.sha256).hexdigest(),
    )
    return [
        Start(d, start + dt.timedelta(weeks=step_weeks * (i // per_step)))
        for i, d in enumerate(order)
    ]


def log(
    conn: sa.Connection,
    what: str,
    starts: Sequence[Start],
    *,
    design: str = OBSERVATIONAL,
    seed: str | None = None,
    now: dt.datetime,
) -> int:
    """Record a remedy's start per department (in the caller's transaction); returns rows."""
    if design not in DESIGNS:
        raise ConfigError(f"unknown design {design!r}; expected one of {', '.join(DESIGNS)}")
    if not what.strip():
        raise ConfigError("say what was rolled out (e.g. 'wiki training')", key="what")
    rows = [
        {
            "what": what.strip()[:300],
            "department": s.department[:200],
            "from_day": s.from_day,
            "design": design,
            "seed": seed,
            "logged_at": now,
        }
        for s in starts
    ]
    if rows:
        conn.execute(LOG.insert(), rows)
    return len(rows)


def has_rollouts(conn: sa.Connection) -> bool:
    return conn.execute(sa.select(LOG.c.id).limit(1)).first() is not None


def logged(conn: sa.Connection) -> dict[str, tuple[str, dict[str, dt.date]]]:
    """what -> (design, department -> first day); a department logged twice keeps its first."""
    out: dict[str, tuple[str, dict[str, dt.date]]] = {}
    for row in conn.execute(sa.select(LOG).order_by(LOG.c.id)):
        design, starts = out.setdefault(row.what, (row.design, {}))
        if row.design != design:
            out[row.what] = (OBSERVATIONAL, starts)
        starts.setdefault(row.department, row.from_day)
    return out


@dataclass(frozen=True)
class Panel:
    """Department-weeks: outcome (weekly mean of daily active shares) and treatment."""

    outcome: np.ndarray
    treated: np.ndarray
    department: np.ndarray
    week: np.ndarray
    pre: np.ndarray
    """The ``PRE_WEEKS`` weeks just before a department's start (for the pre-trend check)."""


def panel(
    daily: Mapping[tuple[str, dt.date], int],
    sizes: Mapping[str, int],
    starts: Mapping[str, dt.date],
    *,
    first: dt.date,
    weeks: int,
) -> Panel:
    """The panel from daily active counts per department, department sizes and starts."""
    rows: list[tuple[float, float, str, int, float]] = []
    for department in sorted(sizes):
        size = sizes[department]
        begin = starts.get(department)
        for w in range(weeks):
            monday = first + dt.timedelta(weeks=w)
            days = [monday + dt.timedelta(days=i) for i in range(7)]
            share = sum(daily.get((department, d), 0) for d in days) / (7 * size)
            treated = begin is not None and monday >= begin
            pre = begin is not None and begin - dt.timedelta(weeks=PRE_WEEKS) <= monday < begin
            rows.append((share, float(treated), department, w, float(pre)))
    return Panel(
        np.array([r[0] for r in rows]),
        np.array([r[1] for r in rows]),
        np.array([r[2] for r in rows]),
        np.array([r[3] for r in rows]),
        np.array([r[4] for r in rows]),
    )


def estimate(
    data: Panel, *, seed: int = 0, randomised: bool = False
) -> tuple[DidEstimate | None, DidEstimate | None]:
    """(effect, pre-trend placebo): the placebo uses untreated weeks only, with the
    ``PRE_WEEKS`` before each start as its "treatment". ``randomised``: the start order was
    drawn by :func:`plan`, so the effect's interval is the exact randomisation test's."""
    effect = did(
        data.outcome, data.treated, data.department, data.week, seed=seed, randomised=randomised
    )
    before = data.treated == 0
    placebo = None
    if data.pre[before].any():
        placebo = did(
            data.outcome[before],
            data.pre[before],
            data.department[before],
            data.week[before],
            seed=seed,
        )
    return effect, placebo


@dataclass(frozen=True)
class RolloutResult:
    what: str
    design: str
    as_of: dt.date
    departments: int
    """Departments in the estimate (each with at least the minimum group size)."""
    started: int
    """Of those, how many had started by ``as_of``."""
    effect: DidEstimate | None
    pre_trend: DidEstimate | None
    lang: str = "en"

    @property
    def pre_trend_ok(self) -> bool | None:
        return None if self.pre_trend is None else self.pre_trend.p_value >= 0.05

    def sentence(self, lang: str | None = None) -> str:
        de = (lang or self.lang) == "de"
        design = {"randomised order": "zufällige Reihenfolge", "observational": "beobachtend"}
        label = design.get(self.design, self.design) if de else self.design
        if self.effect is None:
            if de:
                return (
                    f"{self.what}: noch nicht schätzbar ({self.started} von {self.departments} "
                    f"Abteilungen begonnen); {label}"
                )
            return (
                f"{self.what}: not estimable yet ({self.started} of {self.departments} "
                f"departments started); {label}"
            )
        e = self.effect
        trend = ""
        if self.departments < FEW_DEPARTMENTS and self.design != RANDOMISED_ORDER:
            trend = (
                "; wenige Abteilungen: Intervall nur ungefähr"
                if de
                else "; few departments: the interval is approximate"
            )
        if self.pre_trend_ok is False:
            trend += (
                "; Achtung: schon vor dem Start auseinanderlaufend"
                if de
                else "; caution: departments already drifted apart before starting"
            )
        if de:
            return (
                f"{self.what}: {points(e.estimate)} Punkte tägliche Aktivität, 95-%-Intervall "
                f"{points(e.low)} bis {points(e.high)}, {self.departments} Abteilungen; "
                f"{label}{trend}"
            )
        return (
            f"{self.what}: {points(e.estimate)} points daily activity, 95 % interval "
            f"{points(e.low)} to {points(e.high)}, {self.departments} departments; {label}{trend}"
        )

    def row(self) -> dict[str, Any]:
        e = self.effect
        return {
            "what": self.what,
            "outcome": "daily_active_share",
            "design": self.design,
            "status": "estimated" if e else "not_estimable",
            "members": None,
            "rate_with": None,
            "rate_without": None,
            "difference": None if e is None else round(e.estimate * 100),
            "low": None if e is None else round(e.low * 100),
            "high": None if e is None else round(e.high * 100),
            "detectable": None,
        }

    def as_dict(self) -> dict[str, Any]:
        def part(d: DidEstimate | None) -> dict[str, float] | None:
            if d is None:
                return None
            return {"estimate": d.estimate, "low": d.low, "high": d.high, "p_value": d.p_value}

        return {
            "what": self.what,
            "design": self.design,
            "as_of": self.as_of.isoformat(),
            "departments": self.departments,
            "started": self.started,
            "effect": part(self.effect),
            "pre_trend": part(self.pre_trend),
            "pre_trend_ok": self.pre_trend_ok,
            "sentence": self.sentence(),
        }


def _counts(
    conn: sa.Connection, first: dt.date, end: dt.date
) -> tuple[dict[tuple[str, dt.date], int], dict[str, int]]:
    """Daily active members per department, and active members per department."""
    f, m = schema.facts, schema.members
    daily: dict[tuple[str, dt.date], int] = {}
    query = (
        sa.select(m.c.department, f.c.day, sa.func.count(sa.distinct(f.c.member_key)))
        .select_from(f.join(m, m.c.member_key == f.c.member_key))
        .where(
            f.c.day >= first,
            f.c.day < end,
            f.c.count > 0,
            m.c.department.is_not(None),
            participation(f.c.platform),
        )
        .group_by(m.c.department, f.c.day)
    )
    for department, day, count in conn.execute(query):
        daily[(department, day)] = int(count)
    sizes = {
        d: int(n)
        for d, n in conn.execute(
            sa.select(m.c.department, sa.func.count())
            .where(m.c.active.is_(True), m.c.department.is_not(None))
            .group_by(m.c.department)
        )
    }
    return daily, sizes


def read_rollouts(
    conn: sa.Connection, *, as_of: dt.date, k: int, lang: str = "en"
) -> list[RolloutResult]:
    """Every logged remedy, estimated on the whole weeks before ``as_of``."""
    out: list[RolloutResult] = []
    for what, (design, starts) in sorted(logged(conn).items()):
        earliest = min(starts.values())
        first = earliest - dt.timedelta(weeks=PRE_WEEKS * 2, days=earliest.weekday())
        weeks = max(0, (as_of - first).days // 7)
        end = first + dt.timedelta(weeks=weeks)
        daily, sizes = _counts(conn, first, end)
        sizes = {d: n for d, n in sizes.items() if n >= k}
        data = panel(daily, sizes, starts, first=first, weeks=weeks)
        started = sum(1 for d in sizes if d in starts and starts[d] < end)
        effect = pre = None
        if weeks >= 2 and started:
            effect, pre = estimate(data, randomised=design == RANDOMISED_ORDER)
        out.append(RolloutResult(what, design, as_of, len(sizes), started, effect, pre, lang))
    return out


__all__ = [
    "DESIGNS",
    "PRE_WEEKS",
    "Panel",
    "RolloutResult",
    "Start",
    "estimate",
    "has_rollouts",
    "log",
    "logged",
    "panel",
    "plan",
    "read_rollouts",
]

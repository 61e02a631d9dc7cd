"""Compute every metric of a period in the store: the one entry point of the analytics."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa

from ..store.changes import has_changes
from .activity import iso_weeks
from .cohorts import cohorts, newcomers
from .containers import containers
from .context import context_figures
from .contrasts import LATER_DAYS, contrasts
from .contributions import container_contributors
from .cube import Cube, Ints, load_cube
from .features import feature_mix
from .groups import groups
from .headline import (
    MemberRows,
    build_headline,
    member_rollup,
    platform_members,
    series,
    series_start,
)
from .model import Metrics, PlatformFigures
from .onboarding import onboarding_funnel
from .period import Period
from .permember import ActiveMembers, Member, directory, on_record, period_members
from .settings import AnalyticsSettings
from .totals import DayTotals, load_totals
from .trends import trends

log = logging.getLogger(__name__)


def first_day(period: Period, settings: AnalyticsSettings) -> dt.date:
    """The earliest day any metric of ``period`` (or of the one before it) reads."""
    end = period.end
    return min(
        series_start(period),
        series_start(period.previous()),
        period.previous().start,
        iso_weeks(period.start, end).start,
        end - dt.timedelta(days=7 * settings.cohort_weeks),
        end - dt.timedelta(days=settings.newcomer_days),
        end - dt.timedelta(days=7 + LATER_DAYS),
    )


@dataclass(frozen=True)
class _Inputs:
    """What the metrics read from the store, before any figure is computed."""

    cube: Cube
    totals: DayTotals
    people: dict[str, Member]
    containers: dict[tuple[str, str], int]


def _read(engine: sa.Engine, period: Period, settings: AnalyticsSettings) -> _Inputs:
    """Everything the metrics need from the store, in one connection.

    (Reading the containers' contributors in a second connection and thread, while this one
    reads the spans, measured no more than 5 % faster on two cores: not worth a thread.)
    """
    first = first_day(period, settings)
    with engine.connect() as conn:
        return _Inputs(
            load_cube(conn, first, period.end),
            load_totals(conn, first, period.end),
            directory(conn, settings.leader_departments, period.last_day),
            container_contributors(
                conn, period.start, period.end, enough=settings.lively_min_contributors
            ),
        )


def compute_metrics(
    engine: sa.Engine,
    period: Period,
    *,
    settings: AnalyticsSettings | None = None,
    min_group_size: int = 5,
    onboarding: bool = True,
) -> Metrics:
    """Every metric of ``period`` and the headline of the period before it.

    Reads the store's rollups (one packed row per 32-day span, the day totals, the members and
    the containers' contributor counts), never a participation fact (the context figures read
    the context platforms' facts), and writes nothing: bring the rollups up
    to date first (:meth:`e20kit.Kit.refresh`). Figures read while facts changed after the last
    refresh miss those changes and say so in ``rollups_stale``.
    """
    settings = settings or AnalyticsSettings()
    inputs = _read(engine, period, settings)
    with engine.connect() as conn:
        metrics = _metrics(conn, inputs, period, settings, min_group_size)
        stale = has_changes(conn)
    if stale:
        log.warning(
            "the rollups are behind the facts: refresh them first (e20kit collect --refresh)"
        )
        metrics = dataclasses.replace(metrics, rollups_stale=True)
    if onboarding:
        metrics = dataclasses.replace(metrics, onboarding=onboarding_funnel(engine))
    return metrics


def _metrics(
    conn: sa.Connection, inputs: _Inputs, period: Period, settings: AnalyticsSettings, k: int
) -> Metrics:
    previous = period.previous()
    points = settings.lorenz_points
    cube, totals, people = inputs.cube, inputs.totals, inputs.people
    before = cube.contributions_in(previous.start, previous.end)
    current = cube.contributions_in(period.start, period.end)
    active = period_members(cube, period, current, people, newcomer_days=settings.newcomer_days)
    blocks = series(cube, totals, period, by_platform=True)
    headline, ineq = build_headline(
        on_record(people, period.end),
        active.rows,
        blocks[None],
        helping=totals.helping_in(None, period.start, period.end),
        lorenz_points=points,
    )
    prev_rows = member_rollup(cube, previous.start, previous.end, before)
    prev_headline, _ = build_headline(
        on_record(people, previous.end),
        prev_rows[None],
        series(cube, totals, previous)[None],
        helping=totals.helping_in(None, previous.start, previous.end),
        lorenz_points=points,
    )
    per_platform_rows = member_rollup(cube, period.start, period.end, current, by_platform=True)
    on_platform = platform_members(conn, people, period.end)
    platforms = []
    for name in sorted(p for p in per_platform_rows if p is not None):
        figures, _ = build_headline(
            on_platform.get(name, 0),
            per_platform_rows[name],
            blocks[name],
            helping=totals.helping_in(name, period.start, period.end),
            lorenz_points=points,
        )
        platforms.append(PlatformFigures(name, figures))
    no_data = tuple(sorted(set(on_platform) - set(per_platform_rows)))
    leaders, departments, heat = groups(cube, period, people, k=k, period_active=active)
    cohort_rows = cohorts(cube, period, people, weeks=settings.cohort_weeks, k=k)
    fresh = newcomers(
        cube, period, people, newcomer_days=settings.newcomer_days, k=k, period_active=active
    )
    mix = feature_mix(cube, totals, period)
    spaces = containers(
        conn,
        period,
        inputs.containers,
        lively_min_contributors=settings.lively_min_contributors,
    )
    return Metrics(
        largest=largest_contributions(active, prev_rows[None], per_platform_rows),
        period=period,
        previous=previous,
        min_group_size=k,
        settings=settings,
        headline=headline,
        previous_headline=prev_headline,
        trends=trends(headline, prev_headline),
        platforms=tuple(platforms),
        no_data=no_data,
        daily=blocks[None].daily.points,
        weekly=blocks[None].weekly.points,
        monthly=blocks[None].monthly.points,
        inequality=ineq,
        leaders=leaders,
        departments=departments,
        heatmap=heat,
        cohorts=cohort_rows,
        newcomers=fresh,
        features=mix,
        containers=spaces,
        onboarding=(),
        contrasts=contrasts(
            cube, period, people, newcomer_days=settings.newcomer_days, period_active=active
        ),
        context=context_figures(conn, period),
    )


def largest_contributions(
    active: ActiveMembers, previous: MemberRows, platforms: dict[str | None, MemberRows]
) -> dict[str, int]:
    """The largest single member's contributions per cell the dominance rule judges
    (:attr:`~.model.Metrics.largest`)."""

    def top(values: Ints) -> int:
        return int(values.max()) if len(values) else 0

    out = {"headline": top(active.rows.contributions), "previous": top(previous.contributions)}
    out |= {f"platform/{name}": top(rows.contributions) for name, rows in platforms.items() if name}
    known = active.group >= 0
    if known.any():
        best = np.zeros(len(active.groups), dtype=np.int64)
        np.maximum.at(best, active.group[known], active.rows.contributions[known])
        for (department, leader), value in zip(active.groups, best.tolist(), strict=True):
            for cell in (f"department/{department}", f"group/{department}/{leader}"):
                out[cell] = max(out.get(cell, 0), int(value))
        for leader in (True, False):
            mine = [
                v
                for (_, flag), v in zip(active.groups, best.tolist(), strict=True)
                if flag is leader
            ]
            out[f"group/*/{leader}"] = max(mine, default=0)
    return out


__all__ = ["compute_metrics", "largest_contributions"]

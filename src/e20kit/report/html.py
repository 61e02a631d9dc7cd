"""The HTML report: one self-contained file (inline CSS and SVG, no script, no CDN)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jinja2
from markupsafe import Markup

from ..analytics.model import HEADLINE_FIGURES, Metrics
from .actions import month_plan
from .asof import as_of_texts
from .charts import render_charts
from .labels import (
    LOWER_IS_BETTER,
    SIZE_FIELDS,
    department_label,
    labels,
    period_label,
    rounded_change,
    show,
    show_cell,
    show_change,
    shown_columns,
)

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("e20kit.report", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

CARD_FIGURES = (
    "active_members",
    "participation_rate",
    "dau",
    "mau",
    "stickiness",
    "creator_share",
    "contributions",
    "helping_share",
    "active_days_per_week",
    "gini",
    "top10_share",
)


def _direction(figure: str, change: float | None) -> str:
    """CSS class of a change: ``up`` (good news), ``down`` (bad news) or ``flat``."""
    change = rounded_change(figure, change)  # the colour follows the change as shown
    if change is None or abs(change) < 1e-9:
        return "flat"
    better = change < 0 if figure in LOWER_IS_BETTER else change > 0
    return "up" if better else "down"


def _row(source: dict[str, Any], names: tuple[str, ...], lang: str, k: int = 0) -> dict[str, Any]:
    sizes = {n: show_cell(source, n, k, lang) for n in SIZE_FIELDS if n in source}
    return {**source, **sizes, **{n: show(n, source.get(n), lang) for n in names}}


def render_html(metrics: Metrics, doc: dict[str, Any]) -> str:
    """The report page for ``doc`` (from :func:`~e20kit.report.document.build_document`)."""
    lang = str(doc["lang"])
    t = labels(lang)
    trends = {tr["figure"]: tr for tr in doc["trends"]}
    headline = [
        {
            "figure": name,
            "label": t.get(name, name),
            "value": show(name, doc["headline"].get(name), lang),
            "change": t["new_data"]
            if metrics.short_history
            else show_change(name, trends.get(name, {}).get("change"), lang),
            # data arriving is neither good nor bad news: no colour (the note says why)
            "direction": "flat"
            if metrics.short_history
            else _direction(name, trends.get(name, {}).get("change")),
        }
        for name in CARD_FIGURES
        if name in HEADLINE_FIGURES
    ]
    rate_names = ("participation_rate", "contribution_rate", "creator_share")
    k = int(doc["min_group_size"])
    group_names = {"leaders": t["leaders_group"], "staff": t["staff_group"]}
    leaders = [
        {
            **_row(g, rate_names, lang, k),
            "department": department_label(g["department"], lang) if g["department"] else t["all"],
            "group": group_names.get(g["group"], g["group"]),
        }
        for g in doc["leaders"]
    ]
    charts = {name: Markup(svg) for name, svg in render_charts(metrics, t).items()}
    last_day = dt.date.fromisoformat(doc["period"]["end"]) - dt.timedelta(days=1)
    prev_last = dt.date.fromisoformat(doc["previous_period"]["end"]) - dt.timedelta(days=1)
    return _ENV.get_template("report.html.j2").render(
        doc={
            **doc,
            "period": {
                **doc["period"],
                "last_day": last_day.isoformat(),
                "shown": period_label(doc["period"]["label"], lang),
            },
            "previous_period": {**doc["previous_period"], "last_day": prev_last.isoformat()},
        },
        t=t,
        headline=headline,
        charts=charts,
        platforms=[
            _row(p, ("active_members", "dau", "stickiness", "creator_share", "contributions"), lang)
            for p in doc["platforms"]
        ],
        ineq=_row(
            {**doc["inequality"], "creator_share": doc["headline"]["creator_share"]},
            ("gini", "top1_share", "top10_share", "creator_share"),
            lang,
        ),
        leaders=leaders,
        departments=[
            {**_row(d, rate_names, lang, k), "department": department_label(d["department"], lang)}
            for d in doc["departments"]
        ],
        plan=month_plan(doc, lang),
        onboarding=[_row(s, (), lang, k) for s in doc["onboarding"]],
        cell=lambda row, column, percent=(), values=None: show_cell(
            row, column, k, lang, percent, values
        ),
        shown_columns=shown_columns,
        suppressed_note=t["suppressed_note"].format(k=doc["min_group_size"]),
        as_of=as_of_texts(doc, lang),
    )


__all__ = ["render_html"]

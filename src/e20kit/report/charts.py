"""Charts of the HTML report, drawn by matplotlib and inlined as SVG (works offline).

Figures are created without pyplot (no global state, safe in threads and under cron) and each
SVG gets its own id salt so several can live in one page without clashing ids.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib
import matplotlib.patches
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from ..analytics.cohorts import lived_through
from ..analytics.model import Cohort, Metrics
from ..analytics.sql import UNKNOWN_DEPARTMENT
from ..privacy.suppression import fewer_than

PALETTE = ("#2f6db5", "#e07b39", "#3a9a5b", "#b8434b", "#7c5fb0", "#8a8a8a")
_HEADER = re.compile(r"^.*?(?=<svg)", re.S)


def _figure(width: float = 7.0, height: float = 3.0) -> Figure:
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasSVG(fig)
    return fig


def to_svg(fig: Figure, chart_id: str) -> str:
    """The figure as an inline ``<svg>`` element (no XML prolog, unique ids)."""
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": chart_id, "font.size": 9}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = _HEADER.sub("", buf.getvalue(), count=1)
    return text.replace("<svg ", f'<svg role="img" data-chart="{chart_id}" ', 1)


def _style(ax: Any) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="y", alpha=0.3)


def _y(value: int | None) -> float:
    """A published count as a plotted value: a hidden one is a gap."""
    return math.nan if value is None else float(value)


def _percent_axis(axis: Any) -> None:
    """0..1 shares as whole percentages (no decimal point that German would write as a comma)."""
    axis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))


def _number_axis(axis: Any, text: dict[str, str]) -> None:
    """Counts with the report language's decimal mark (``2,5`` in German)."""
    mark = text.get("decimal", ".")
    axis.set_major_formatter(
        matplotlib.ticker.FuncFormatter(lambda value, _: f"{value:g}".replace(".", mark))
    )


def _dates(days: list[dt.date]) -> Any:
    """Dates as matplotlib takes them (its stubs only name numbers)."""
    return days


def activity_chart(metrics: Metrics, text: dict[str, str]) -> Figure:
    fig = _figure()
    ax = fig.add_subplot()
    days: Any = [p.start for p in metrics.daily]
    ax.plot(days, [_y(p.active) for p in metrics.daily], color=PALETTE[0], label=text["daily"])
    if metrics.weekly:
        ax.step(
            _dates([p.start for p in metrics.weekly] + [metrics.period.end]),
            [_y(p.active) for p in metrics.weekly] + [_y(metrics.weekly[-1].active)],
            where="post",
            color=PALETTE[1],
            label=text["weekly"],
        )
        partial = [p for p in metrics.weekly if p.days != 7]
        for i, p in enumerate(partial):  # its distinct members are fewer days', not a drop
            ax.axvspan(
                *_dates([p.start, p.start + dt.timedelta(days=p.days)]),
                color=SUPPRESSED_FILL,
                zorder=0,
                label=text["partial_week"] if i == 0 else None,
            )
    ax.set_ylim(bottom=0)
    _number_axis(ax.yaxis, text)
    ax.legend(loc="upper left", frameon=False)
    fig.autofmt_xdate()
    _style(ax)
    return fig


def lorenz_chart(metrics: Metrics, text: dict[str, str]) -> Figure:
    fig = _figure(4.5, 4.0)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], linestyle="--", color=PALETTE[5], label=text["equality"])
    curve = metrics.inequality.lorenz or ((0.0, 0.0), (1.0, 1.0))
    ax.plot([x for x, _ in curve], [y for _, y in curve], color=PALETTE[0], label="Lorenz")
    ax.fill_between(
        [x for x, _ in curve],
        [y for _, y in curve],
        [x for x, _ in curve],
        color=PALETTE[0],
        alpha=0.15,
    )
    ax.set_xlabel(text["population"])
    ax.set_ylabel(text["contribution_axis"])
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    _percent_axis(ax.xaxis)
    _percent_axis(ax.yaxis)
    ax.legend(loc="upper left", frameon=False)
    _style(ax)
    return fig


def leaders_chart(metrics: Metrics, text: dict[str, str]) -> Figure:
    fig = _figure(5.0, 3.0)
    ax = fig.add_subplot()
    measures = ("participation_rate", "contribution_rate")
    groups = [metrics.leader_group("leaders"), metrics.leader_group("staff")]
    for i, (group, name) in enumerate(zip(groups, ("leaders_group", "staff_group"), strict=True)):
        values = [getattr(group, m) or 0.0 if group else 0.0 for m in measures]
        xs = [j + (i - 0.5) * 0.38 for j in range(len(measures))]
        label = text[name]
        if group is None or group.suppressed:
            label += f" ({text['suppressed']})"
        ax.bar(xs, values, width=0.36, color=PALETTE[i], label=label)
    ax.set_xticks(range(len(measures)), [text[m] for m in measures])
    ax.set_ylim(0, 1)
    _percent_axis(ax.yaxis)
    ax.legend(frameon=False)
    _style(ax)
    return fig


SUPPRESSED_FILL, SUPPRESSED_EDGE = "#eceff1", "#9aa5b1"
"""Suppressed cells: grey and hatched, never the white of 0 %."""


def _grid_chart(
    rows: Sequence[str],
    cols: Sequence[str],
    values: list[list[float | None]],
    text: dict[str, str],
    pending: frozenset[tuple[int, int]] = frozenset(),
) -> Figure:
    """A 0..1 heat map with percentages in the cells; ``None`` cells (suppressed) are drawn
    grey and hatched, with a legend, so they never read as 0 %. ``pending`` cells (row,
    column) are ``None`` for another reason, a figure not known yet: blank with a dash."""
    height = max(2.0, 0.35 * len(rows) + 1.4)
    fig = _figure(7.0, height)
    ax = fig.add_subplot()
    cmap = matplotlib.colormaps["Blues"].with_extremes(bad=SUPPRESSED_FILL)
    grid = [[math.nan if v is None else v for v in row] for row in values]
    image = ax.imshow(grid, aspect="auto", cmap=cmap, vmin=0, vmax=1)
    blank = [(r, c) for r, row in enumerate(values) for c, v in enumerate(row) if v is None]
    hidden = [cell for cell in blank if cell not in pending]
    for r, c in hidden:
        ax.add_patch(_suppressed_patch((c - 0.5, r - 0.5), 1.0, 1.0))
    for r, c in pending:
        ax.add_patch(_pending_patch((c - 0.5, r - 0.5)))
        ax.text(c, r, "\N{EN DASH}", ha="center", va="center", fontsize=8, color=SUPPRESSED_EDGE)
    handles = [_suppressed_patch((0, 0), 1, 1, label=text["suppressed_legend"])] if hidden else []
    if pending:
        handles.append(_pending_patch((0, 0), label=text["pending_legend"]))
    if handles:
        ax.legend(
            handles=handles,
            ncols=len(handles),
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            frameon=False,
            fontsize=8,
        )
    ax.set_yticks(range(len(rows)), rows)
    ax.set_xticks(range(len(cols)), cols, rotation=45, ha="right")
    for r, row in enumerate(values):
        for c, v in enumerate(row):
            if v is not None:
                ax.text(
                    c,
                    r,
                    f"{v:.0%}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if v > 0.6 else "black",
                )
    fig.colorbar(image, ax=ax, format=matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    return fig


def _pending_patch(xy: tuple[float, float], label: str = "") -> Any:
    return matplotlib.patches.Rectangle(
        xy, 1.0, 1.0, facecolor="white", edgecolor=SUPPRESSED_EDGE, linewidth=0.5, label=label
    )


def _suppressed_patch(xy: tuple[float, float], w: float, h: float, label: str = "") -> Any:
    return matplotlib.patches.Rectangle(
        xy,
        w,
        h,
        facecolor=SUPPRESSED_FILL,
        edgecolor=SUPPRESSED_EDGE,
        hatch="///",
        linewidth=0,
        label=label,
    )


def week_label(start: dt.date, days: int, text: dict[str, str]) -> str:
    """``2026-W41``, with the days a cut week holds (``2026-W40, 3 d``)."""
    year, week, _ = start.isocalendar()
    label = f"{year}-W{week:02d}"
    return label if days == 7 else f"{label}, {text['days_short'].format(n=days)}"


def _week_labels(metrics: Metrics, text: dict[str, str]) -> dict[dt.date, str]:
    return {p.start: week_label(p.start, p.days, text) for p in metrics.weekly}


def heatmap_chart(metrics: Metrics, text: dict[str, str]) -> Figure:
    departments = sorted({c.department for c in metrics.heatmap})
    weeks = sorted({c.week_start for c in metrics.heatmap})
    cell = {(c.department, c.week_start): c.rate for c in metrics.heatmap}
    values = [[cell.get((d, w)) for w in weeks] for d in departments]
    if not departments:
        departments, weeks, values = ["-"], [metrics.period.start], [[None]]
    labels = _week_labels(metrics, text)
    cols = [labels.get(w, w.isoformat()) for w in weeks]
    rows = [text["unknown_department"] if d == UNKNOWN_DEPARTMENT else d for d in departments]
    return _grid_chart(rows, cols, values, text)


def cohort_chart(metrics: Metrics, text: dict[str, str]) -> Figure:
    cohorts = list(metrics.cohorts) or []
    weeks = sorted({w for c in cohorts for w in c.retention}) or [1]
    k = metrics.min_group_size
    rows = [
        f"{text['all'] if c.pooled else week_label(c.week_start, 7, text)} "
        f"({_cohort_size(c, k, text)})"
        for c in cohorts
    ] or ["-"]
    values = [[c.retention.get(w) for w in weeks] for c in cohorts] or [[None for _ in weeks]]
    cols = [text["retention_week"].format(n=w) for w in weeks]
    # a week nobody in the row has lived through yet is blank, not a hidden figure (the
    # pooled row starts with the oldest cohort)
    end = metrics.period.end
    pending = frozenset(
        (r, col)
        for r, c in enumerate(cohorts)
        for col, w in enumerate(weeks)
        if c.retention.get(w) is None and not lived_through(c.week_start, w, end)
    )
    return _grid_chart(rows, cols, values, text, pending)


def _cohort_size(cohort: Cohort, k: int, text: dict[str, str]) -> str:
    if cohort.size is not None:
        return f"n={cohort.size}"
    return text["hidden"] if cohort.complementary else f"n{fewer_than(k)}"


def features_chart(metrics: Metrics, text: dict[str, str]) -> Figure:
    fig = _figure()
    ax = fig.add_subplot()
    weekly = [f for f in metrics.features if f.week_start is not None]
    weeks = sorted({f.week_start for f in weekly if f.week_start})
    features = sorted({f.feature for f in weekly})
    labels = _week_labels(metrics, text)
    bottom = [0.0] * len(weeks)
    for i, feature in enumerate(features):
        share = {f.week_start: f.share or 0.0 for f in weekly if f.feature == feature}
        values = [share.get(w, 0.0) for w in weeks]
        ax.bar(
            [labels.get(w, w.isoformat()) for w in weeks],
            values,
            bottom=bottom,
            color=PALETTE[i % len(PALETTE)],
            label=text.get(f"feature_{feature}", feature),
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylim(0, 1)
    _percent_axis(ax.yaxis)
    if features:
        ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    _style(ax)
    return fig


CHARTS: dict[str, Callable[[Metrics, dict[str, str]], Figure]] = {
    "activity": activity_chart,
    "lorenz": lorenz_chart,
    "leaders": leaders_chart,
    "heatmap": heatmap_chart,
    "cohorts": cohort_chart,
    "features": features_chart,
}
"""Chart id -> renderer; the HTML report shows each under the label of the same id."""


def render_charts(metrics: Metrics, text: dict[str, str]) -> dict[str, str]:
    """Every chart as inline SVG (the HTML report)."""
    return {name: to_svg(draw(metrics, text), name) for name, draw in CHARTS.items()}


def to_png(fig: Figure, dpi: int = 144) -> bytes:
    """The figure as a PNG image (for platforms that show pictures, not inline SVG)."""
    buf = io.BytesIO()
    with matplotlib.rc_context({"font.size": 9}):
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def render_png_charts(metrics: Metrics, text: dict[str, str]) -> dict[str, bytes]:
    """Every chart as PNG, keyed like :data:`CHARTS` (publishers that upload images)."""
    return {name: to_png(draw(metrics, text)) for name, draw in CHARTS.items()}


__all__ = ["CHARTS", "render_charts", "render_png_charts", "to_png", "to_svg"]

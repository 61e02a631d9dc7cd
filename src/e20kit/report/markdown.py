"""The Markdown summary: headline with trends, findings and remedies; fit for a wiki or channel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .actions import month_plan
from .asof import as_of_texts
from .labels import (
    department_label,
    labels,
    period_label,
    show,
    show_cell,
    show_change,
    shown_columns,
)

SUMMARY_FIGURES = (
    "active_members",
    "participation_rate",
    "dau",
    "mau",
    "stickiness",
    "creator_share",
    "contributions",
    "helping_share",
    "gini",
    "top10_share",
)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return [line(header), line(["---"] * len(header)), *(line(r) for r in rows)]


def _last_day(period: dict[str, Any]) -> str:
    return (dt.date.fromisoformat(period["end"]) - dt.timedelta(days=1)).isoformat()


def _as_of(doc: dict[str, Any], lang: str) -> list[str]:
    texts = as_of_texts(doc, lang)
    if not texts["lines"]:
        return []
    out = [f"{texts['heading']}: " + " · ".join(texts["lines"]) + ".", ""]
    for note in ("partial_note", "short_note"):
        if texts[note]:
            out += [f"> **{texts[note]}**", ""]
    return out


def _month_plan(doc: dict[str, Any], lang: str) -> list[str]:
    """The opening: what to do this month, one step per finding (most severe first)."""
    t = labels(lang)
    plan = month_plan(doc, lang)
    lines = [f"## {t['todo']}", ""]
    if not plan:
        return [*lines, t["no_todo"], ""]
    lines += [f"{i}. **{title}**: {step}" for i, (title, step) in enumerate(plan, 1)]
    return [*lines, ""]


def render_markdown(doc: dict[str, Any]) -> str:
    lang = str(doc["lang"])
    t = labels(lang)
    period = doc["period"]
    trends = {tr["figure"]: tr for tr in doc["trends"]}
    title = t["title"] + (f": {doc['organisation']}" if doc["organisation"] else "")
    days = t["days_short"].format(n=period["days"])
    note = (doc.get("disclosure") or {}).get("testing_note")
    out = [
        *([f"**{note}**", ""] if note else []),
        f"# {title}",
        "",
        f"{t['period']}: **{period_label(period['label'], lang)}** ({period['start']} - "
        f"{_last_day(period)}, {days}), {t['previous']} {doc['previous_period']['start']} - "
        f"{_last_day(doc['previous_period'])}.",
        "",
        *_month_plan(doc, lang),
        *_as_of(doc, lang),
        f"## {t['headline']}",
        "",
    ]
    rows = []
    new_data = bool(doc["as_of"].get("short_history"))
    for name in SUMMARY_FIGURES:
        trend = trends.get(name, {})
        rows.append(
            [
                t.get(name, name),
                show(name, doc["headline"].get(name), lang),
                "-" if new_data else show(name, trend.get("previous"), lang),
                t["new_data"] if new_data else show_change(name, trend.get("change"), lang),
            ]
        )
    out += _table([t["figure"], t["value"], t["previous_value"], t["change"]], rows)
    out += ["", f"## {t['findings']}", ""]
    if not doc["findings"]:
        out.append(t["no_findings"])
    for finding in doc["findings"]:
        severity = t.get(f"severity_{finding['severity']}", finding["severity"])
        out += [f"### {finding['title']} ({severity})", "", finding["detail"], ""]
        if finding.get("rests_on"):
            out += [f"*{t['rests_on_' + '_'.join(finding['rests_on'])]}*", ""]
        if finding.get("ruled_out"):
            out.append(f"**{t['why_not']}:**")
            out += [f"- {r['text']}" for r in finding["ruled_out"]]
            out.append("")
        out.append(f"**{t['remedies']}:**")
        out += [f"- {r}" for r in finding["remedies"]]
        out.append("")
        if finding.get("next_steps"):
            out.append(f"**{t['next_steps']}:**")
            out += [f"{i}. {step}" for i, step in enumerate(finding["next_steps"], 1)]
            out.append("")
    departments = [d for d in doc["departments"]]
    if departments:
        out += ["", f"## {t['departments']}", ""]
        out += _table(
            [t["department"], t["members"], t["participation_rate"], t["creator_share"]],
            [
                [
                    department_label(d["department"], lang),
                    str(show_cell(d, "members", doc["min_group_size"], lang)),
                    t["suppressed"]
                    if d["suppressed"]
                    else show("participation_rate", d["participation_rate"], lang),
                    t["suppressed"]
                    if d["suppressed"]
                    else show("creator_share", d["creator_share"], lang),
                ]
                for d in departments
            ],
        )
        out += ["", t["suppressed_note"].format(k=doc["min_group_size"])]
    k = int(doc["min_group_size"])
    for section in doc["sections"]:
        out += ["", f"## {section['title']}", "", section["markdown"]]
        names, captions = section.get("labels", {}), section.get("captions", {})
        percent = frozenset(section.get("percent", ()))
        shown = section.get("values", {})
        for name, rows in section["tables"].items():
            cols = shown_columns(rows)
            if not cols:
                continue
            out += ["", f"**{captions.get(name, name)}**", ""]
            out += _table(
                [names.get(c, c) for c in cols],
                [[str(show_cell(r, c, k, lang, percent, shown)) for c in cols] for r in rows],
            )
    out += ["", f"_{doc['generator']}, {doc['generated_at']}_", ""]
    return "\n".join(out)


__all__ = ["render_markdown"]

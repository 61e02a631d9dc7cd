"""A short summary of a report for places that show a glance, not a page (a channel card).

Built from the report data (:func:`~e20kit.report.document.build_document`, already through the
disclosure layer), with the same labels and number formats as the Markdown report, so a card
never shows a figure the report does not.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..publishing import ReportSummary, SummaryFigure, SummaryFinding
from .labels import labels, period_label, show, show_change

CARD_FIGURES = ("active_members", "participation_rate", "creator_share", "stickiness", "gini")
"""Headline figures a card shows (the Markdown report shows more)."""
TOP_FINDINGS = 3

TEXTS = {
    "en": {"open": "Open the full report", "more": "{n} more in the full report"},
    "de": {"open": "Vollständigen Bericht öffnen", "more": "{n} weitere im vollständigen Bericht"},
}


def summarise(doc: dict[str, Any]) -> ReportSummary:
    """The headline figures (with their change) and the most severe findings of ``doc``."""
    lang = str(doc.get("lang", "en"))
    t = labels(lang)
    own = TEXTS.get(lang, TEXTS["en"])
    period = doc["period"]
    last = dt.date.fromisoformat(period["end"]) - dt.timedelta(days=1)
    trends = {tr["figure"]: tr for tr in doc.get("trends", [])}
    new_data = bool((doc.get("as_of") or {}).get("short_history"))
    figures = tuple(
        SummaryFigure(
            t.get(name, name),
            show(name, doc["headline"].get(name), lang),
            "" if new_data else show_change(name, trends.get(name, {}).get("change"), lang),
        )
        for name in CARD_FIGURES
        if name in doc["headline"]
    )
    findings = tuple(
        SummaryFinding(
            f["title"],
            t.get(f"severity_{f['severity']}", f["severity"]),
            f["remedies"][0] if f.get("remedies") else "",
        )
        for f in doc.get("findings", [])[:TOP_FINDINGS]
    )
    hidden = max(0, len(doc.get("findings", [])) - TOP_FINDINGS)
    title = t["title"] + (f": {doc['organisation']}" if doc.get("organisation") else "")
    return ReportSummary(
        title=title,
        period=f"{period_label(period['label'], lang)} ({period['start']} - {last.isoformat()})",
        figures=figures,
        findings=findings,
        findings_heading=t["findings"],
        no_findings=t["no_findings"],
        more_findings=own["more"].format(n=hidden) if hidden else "",
        open_report=own["open"],
        note=str((doc.get("disclosure") or {}).get("testing_note") or ""),
    )


__all__ = ["CARD_FIGURES", "summarise"]

"""The "Stated reasons" section of every report: the latest survey wave's scores per reason,
for staff and leaders, organisation-wide and per unit, as the disclosure layer publishes them.

Hidden cells stay hidden in every format: their figures are ``None`` in JSON and CSV and read
"<k" (or "hidden") in HTML and Markdown. Without a wave there is no section.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..extensions import ReportContext, ReportSection, SectionPublisher
from . import store
from .output import ALL, REASON_LABELS, ROLE_LABELS, describe, percent, rows
from .questions import AUDIENCES, REASONS
from .results import SurveyResults, published_results

ORGANISATION = "*"
"""The ``unit`` of the organisation-wide rows in JSON and CSV (HTML and Markdown say it)."""

_TEXT: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Stated reasons (pulse survey)",
        "intro": "What people said in survey wave {wave} ({opened} to {closes}): the share "
        "agreeing that a reason applies to them (leaders: to their team), with its 95 % "
        "interval. Scores of fewer than {minimum} answers are hidden, and so is a unit that "
        "would let a hidden one be computed.",
        "caption": "Scores per reason and unit",
        "rate": "Response rate, {role}",
        "labels": {
            "role": "Role",
            "unit": "Unit",
            "reason": "Reason",
            "respondents": "Answers",
            "agree_share": "Agree",
            "agree_low": "95 % from",
            "agree_high": "95 % to",
            "mean": "Mean (1-5)",
        },
    },
    "de": {
        "title": "Genannte Gründe (Kurzbefragung)",
        "intro": "Was die Befragten in der Befragungsrunde {wave} ({opened} bis {closes}) "
        "sagten: der Anteil, der zustimmt, dass ein Grund auf sie zutrifft (Führungskräfte: auf "
        "ihr Team), mit 95-%-Intervall. Werte aus weniger als {minimum} Antworten sind "
        "verborgen, ebenso eine Einheit, aus der sich eine verborgene errechnen ließe.",
        "caption": "Werte je Grund und Einheit",
        "rate": "Rücklauf, {role}",
        "labels": {
            "role": "Rolle",
            "unit": "Einheit",
            "reason": "Grund",
            "respondents": "Antworten",
            "agree_share": "Zustimmung",
            "agree_low": "95 % von",
            "agree_high": "95 % bis",
            "mean": "Mittel (1-5)",
        },
    },
}


def survey_section(results: SurveyResults, lang: str, layer: SectionPublisher) -> ReportSection:
    """The section of published ``results``; its text and table are released through
    ``layer`` (the counts in them were published by it, the shares are of shown cells)."""
    lang = "de" if lang == "de" else "en"
    text = _TEXT[lang]
    wave = results.wave
    lines = [
        text["intro"].format(
            wave=wave.wave_id,
            opened=wave.opened,
            closes=wave.closes,
            minimum=results.min_respondents,
        ),
        "",
    ]
    for role in AUDIENCES:
        for reason in REASONS:
            cell = results.overall.get((role, reason))
            if cell is not None:
                label = f"{ROLE_LABELS[lang][role]}, {REASON_LABELS[lang][reason.value]}"
                lines.append(f"- {label} ({ALL[lang]}): {describe(cell, layer.k, lang)}")
    for role in AUDIENCES:
        rate = results.response_rate.get((None, role))
        if rate is not None:
            lines.append(f"- {text['rate'].format(role=ROLE_LABELS[lang][role])}: {percent(rate)}")
    table = [
        {**row, "unit": ORGANISATION if row["unit"] is None else row["unit"]}
        for row in rows(results)
    ]
    return ReportSection(
        id="survey",
        title=text["title"],
        markdown=layer.release_text("\n".join(lines)),
        tables={"survey": layer.release_table(table)},
        captions={"survey": text["caption"]},
        labels=text["labels"],
        percent=frozenset({"agree_share", "agree_low", "agree_high"}),
        values={
            "role": ROLE_LABELS[lang],
            "reason": REASON_LABELS[lang],
            "unit": {ORGANISATION: ALL[lang]},
        },
    )


def sections_for(context: ReportContext) -> list[ReportSection]:
    """The section of the latest wave opened by the report period's end (none without one)."""
    layer = context.disclosure
    if layer is None:
        return []
    conn = context.connection
    if not sa.inspect(conn).has_table(store.W.name):
        return []
    found = store.latest_wave(conn, until=context.period.end)
    if found is None:
        return []
    wave = found
    k = context.settings.privacy.min_group_size
    minimum = context.settings.survey.min_respondents or k
    results = published_results(
        wave,
        store.tallies(conn, wave.wave_id),
        store.respondents(conn, wave.wave_id),
        store.invited(conn, wave.wave_id),
        minimum,
        layer,
    )
    if results.empty:
        return []
    return [survey_section(results, context.lang, layer)]


__all__ = ["sections_for", "survey_section"]

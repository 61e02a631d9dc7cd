"""The "Did it work?" section of every report: one sentence per experiment and rollout that a
manager reads in ten seconds, and a table with the figures behind it.

Results are read as of the report period's end. Figures come only from arms of at least the
minimum group size (:mod:`.read`); no member key leaves this module. Without an experiment
configured and no rollout logged there is no section (reports stay as they were).
"""

from __future__ import annotations

from typing import Any

from ..extensions import ReportContext, ReportSection, SectionPublisher
from .results import outcome_text
from .rollout import has_rollouts
from .service import EffectsResult, publish, read_all

_TEXT: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Did it work?",
        "intro": "Each programme compared with a group that did not get it. A result is read "
        "once, when its planned number of people has reached the horizon; until then it says "
        "inconclusive. Intervals are 95 %.",
        "caption": "Experiments and rollouts",
        "labels": {
            "what": "What",
            "outcome": "Outcome",
            "design": "Design",
            "status": "Result",
            "members": "People",
            "rate_with": "With the programme",
            "rate_without": "Without",
            "difference": "Difference (points)",
            "low": "95 % from",
            "high": "95 % to",
            "detectable": "Detectable now (points)",
        },
    },
    "de": {
        "title": "Hat es gewirkt?",
        "intro": "Jedes Programm im Vergleich mit einer Gruppe, die es nicht bekam. Ein "
        "Ergebnis wird einmal gelesen, wenn die geplante Zahl an Personen den Stichtag erreicht "
        "hat; bis dahin heißt es noch offen. Intervalle sind 95 %.",
        "caption": "Experimente und Einführungen",
        "labels": {
            "what": "Was",
            "outcome": "Ergebnis",
            "design": "Verfahren",
            "status": "Stand",
            "members": "Personen",
            "rate_with": "Mit dem Programm",
            "rate_without": "Ohne",
            "difference": "Unterschied (Punkte)",
            "low": "95 % von",
            "high": "95 % bis",
            "detectable": "Derzeit erkennbar (Punkte)",
        },
    },
}


def _pts(value: float | None) -> int | None:
    """Whole percentage points, as the sentences say them (``e20kit effects --json`` has
    the exact shares)."""
    return None if value is None else round(value * 100)


_VALUES = {
    "de": {
        "randomised": "randomisiert",
        "randomised order": "zufällige Reihenfolge",
        "observational": "beobachtend",
        "not_started": "nicht begonnen",
        "inconclusive": "offen",
        "conclusive": "belegt",
        "suppressed": "unterdrückt",
        "estimated": "geschätzt",
        "not_estimable": "nicht schätzbar",
        "daily_active_share": "tägliche Aktivität",
    },
    "en": {
        "not_started": "not started",
        "not_estimable": "not estimable",
        "daily_active_share": "daily activity",
    },
}


def _say(value: str, lang: str) -> str:
    return _VALUES["de" if lang == "de" else "en"].get(value, value)


def rows(result: EffectsResult, lang: str = "en") -> list[dict[str, Any]]:
    """One row per experiment and rollout (shares as 0..1, differences in points), with
    outcome, design and status in the report's language."""
    out: list[dict[str, Any]] = []
    for e in result.experiments:
        arms = {a.arm: a for a in e.arms}
        with_, without = arms.get("nudged"), arms.get("hold-out")
        d = e.difference
        out.append(
            {
                "what": e.label,
                "outcome": outcome_text(e.outcome, e.horizon_days, lang),
                "design": _say(e.design, lang),
                "status": _say(e.status, lang),
                "members": e.members or None,
                "rate_with": round(with_.rate, 4) if with_ and with_.shown else None,
                "rate_without": round(without.rate, 4) if without and without.shown else None,
                "difference": _pts(d.estimate if d else None),
                "low": _pts(d.low if d else None),
                "high": _pts(d.high if d else None),
                "detectable": _pts(e.minimum_detectable),
            }
        )
    for r in result.rollouts:
        row = r.row()
        out.append({**row, **{k: _say(row[k], lang) for k in ("outcome", "design", "status")}})
    return out


def effects_section(
    result: EffectsResult, lang: str, layer: SectionPublisher | None = None
) -> ReportSection:
    """The section; with ``layer`` (as reports pass it) its figures are published through the
    disclosure layer: people counts perturbed, hidden under k (docs/privacy.md)."""
    text = _TEXT["de" if lang == "de" else "en"]
    if layer is not None:
        result = publish(result, layer)
    body = text["intro"] + "\n\n" + "\n".join(f"- {line}" for line in result.lines(lang))
    table = rows(result, lang)
    if layer is not None:
        # counts published above; rates and intervals are of arms of at least k (:mod:`.read`)
        table = layer.release_table(table)
        body = layer.release_text(body)
    return ReportSection(
        id="effects",
        title=text["title"],
        markdown=body,
        tables={"effects": table},
        captions={"effects": text["caption"]},
        labels=text["labels"],
        percent=frozenset({"rate_with", "rate_without"}),
    )


def sections_for(context: ReportContext) -> list[ReportSection]:
    settings = context.settings
    conn = context.connection
    if not settings.experiments and not has_rollouts(conn):
        return []
    result = read_all(conn, settings, as_of=context.period.end, lang=context.lang)
    return [effects_section(result, context.lang, context.disclosure)]


__all__ = ["effects_section", "rows", "sections_for"]

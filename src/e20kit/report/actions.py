"""Concrete next steps for each finding, tied to the report's own figures, and the report's
opening "What to do this month".

The playbook's remedies say what helps in general ("leaders act as role models"); a manager
needs to know where to start. Each step here names the departments, the onboarding step or
the programme the report's tables point at (only groups shown in the report, never a
suppressed one), so the advice and the evidence beside it agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..analytics.sql import UNKNOWN_DEPARTMENT
from .labels import department_label, show

STEPS: dict[str, dict[str, str]] = {
    "en": {
        "leaders_in": "Ask the leaders in {departments} (leaders took part: {rates}; staff "
        "there: {staff}) to answer one question or share one update a week on the platform, "
        "where their teams see it",
        "leaders_all": "Ask every department head to answer one question or share one update a "
        "week on the platform, where their teams see it (leaders took part: {rate}; staff: "
        "{staff})",
        "leaders_champions": "Pair each of these leaders with their department's champion for "
        "a 15-minute weekly routine (`e20kit champions list`; no champion yet: "
        "`e20kit champions nominate`)",
        "benefit_in": "With the heads of {departments} (creator share {rates}), write down two "
        "concrete use cases each and show them in their next team meeting",
        "benefit_stories": "Publish one short success story a month from {department} "
        "(creator share {rate}), told by a colleague there",
        "benefit_all": "Collect two concrete use cases per department and show them in team "
        "meetings",
        "training_step": "Hold a 30-minute webcast for newcomers on \u201c{step}\u201d, where "
        "{stall} of those who reached it stalled, and link its recording in the step's help",
        "training_all": "Hold a 30-minute webcast on the everyday tasks for this quarter's "
        "newcomers and record it",
        "training_buddies": "Pair stalled newcomers with champions (`e20kit champions pair`); "
        "their weekly digest shows who is stuck where",
        "complicated_step": "Simplify or explain \u201c{step}\u201d first: {stall} of the "
        "newcomers who reached it stalled there",
        "complicated_help": "Open a help channel and name it in the onboarding nudges' help "
        "links; fix the three most asked problems visibly",
        "time_in": "Agree with the heads of {departments} (participation {rates}) on a fixed "
        "weekly 30-minute slot for reading and posting",
        "time_all": "Agree with every department head on a fixed weekly 30-minute slot for "
        "reading and posting",
        "gap": "Check the connector of {platforms}: `e20kit status --check`, then collect again",
    },
    "de": {
        "leaders_in": "Die Führungskräfte in {departments} (Beteiligung der Führungskräfte: "
        "{rates}; Mitarbeitende dort: {staff}) bitten, jede Woche eine Frage zu beantworten "
        "oder eine Neuigkeit zu teilen, sichtbar für ihre Teams",
        "leaders_all": "Alle Abteilungsleitungen bitten, jede Woche eine Frage zu beantworten "
        "oder eine Neuigkeit zu teilen, sichtbar für ihre Teams (Beteiligung der "
        "Führungskräfte: {rate}; Mitarbeitende: {staff})",
        "leaders_champions": "Jeder dieser Führungskräfte den Champion ihrer Abteilung für "
        "eine wöchentliche Viertelstunde zur Seite stellen (`e20kit champions list`; noch kein "
        "Champion: `e20kit champions nominate`)",
        "benefit_in": "Mit den Leitungen von {departments} (Anteil Beitragende {rates}) je zwei "
        "konkrete Anwendungsfälle aufschreiben und in der nächsten Teamrunde zeigen",
        "benefit_stories": "Jeden Monat eine kurze Erfolgsgeschichte aus {department} "
        "(Anteil Beitragende {rate}) veröffentlichen, erzählt von jemandem dort",
        "benefit_all": "Je Abteilung zwei konkrete Anwendungsfälle sammeln und in den "
        "Teamrunden zeigen",
        "training_step": "Einen 30-minütigen Webcast für neue Mitglieder zu \u201e{step}\u201c "
        "halten, wo {stall} derer, die dort ankamen, stehen blieben, und die Aufzeichnung in der "
        "Hilfe des Schritts verlinken",
        "training_all": "Einen 30-minütigen Webcast zu den alltäglichen Aufgaben für die neuen "
        "Mitglieder dieses Quartals halten und aufzeichnen",
        "training_buddies": "Stehen gebliebenen neuen Mitgliedern Champions zur Seite stellen "
        "(`e20kit champions pair`); deren Wochenübersicht zeigt, wer wo hängt",
        "complicated_step": "Zuerst \u201e{step}\u201c vereinfachen oder erklären: {stall} der "
        "neuen Mitglieder, die dort ankamen, blieben stehen",
        "complicated_help": "Einen Hilfe-Kanal einrichten und in den Hilfe-Links der "
        "Onboarding-Erinnerungen nennen; die drei häufigsten Probleme sichtbar beheben",
        "time_in": "Mit den Leitungen von {departments} (Beteiligung {rates}) ein festes "
        "wöchentliches 30-Minuten-Fenster zum Lesen und Schreiben vereinbaren",
        "time_all": "Mit allen Abteilungsleitungen ein festes wöchentliches 30-Minuten-Fenster "
        "zum Lesen und Schreiben vereinbaren",
        "gap": "Den Connector von {platforms} prüfen: `e20kit status --check`, dann erneut "
        "einlesen",
    },
}

SHOWN = 3
"""Departments named in one step at most (the weakest first)."""


def _text(lang: str) -> dict[str, str]:
    return STEPS.get(lang, STEPS["en"])


def _pct(value: float | None, lang: str) -> str:
    return show("participation_rate", value, lang)


def _names(rows: Sequence[Mapping[str, Any]], lang: str) -> str:
    return ", ".join(department_label(str(r["department"]), lang) for r in rows)


def _rates(rows: Sequence[Mapping[str, Any]], figure: str, lang: str) -> str:
    return ", ".join(_pct(r[figure], lang) for r in rows)


def _weakest(rows: Sequence[Mapping[str, Any]], figure: str) -> list[Mapping[str, Any]]:
    """Shown (not suppressed) rows with a value, lowest first, at most ``SHOWN``."""
    known = [
        r
        for r in rows
        if not r.get("suppressed")
        and r.get(figure) is not None
        and r["department"] != UNKNOWN_DEPARTMENT  # nobody to ask there
    ]
    return sorted(known, key=lambda r: (r[figure], str(r["department"])))[:SHOWN]


def _departments(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [d for d in doc["departments"] if d["department"] is not None]


def _stalled_step(doc: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The onboarding step with the highest stall share that the report shows."""
    steps = [s for s in doc["onboarding"] if not s["suppressed"] and s.get("stall_share")]
    return max(steps, key=lambda s: s["stall_share"], default=None)


def _closed_culture(doc: Mapping[str, Any], lang: str) -> list[str]:
    t = _text(lang)
    groups = doc["leaders"]
    staff = {g["department"]: g for g in groups if g["group"] == "staff"}
    leaders = [g for g in groups if g["group"] == "leaders" and g["department"] is not None]
    weakest = _weakest(leaders, "participation_rate")
    if weakest:
        first = t["leaders_in"].format(
            departments=_names(weakest, lang),
            rates=_rates(weakest, "participation_rate", lang),
            staff=", ".join(
                _pct((staff.get(r["department"]) or {}).get("participation_rate"), lang)
                for r in weakest
            ),
        )
    else:
        overall = {g["group"]: g for g in groups if g["department"] is None}
        first = t["leaders_all"].format(
            rate=_pct((overall.get("leaders") or {}).get("participation_rate"), lang),
            staff=_pct((overall.get("staff") or {}).get("participation_rate"), lang),
        )
    return [first, t["leaders_champions"]]


def _unclear_benefit(doc: Mapping[str, Any], lang: str) -> list[str]:
    t = _text(lang)
    departments = _departments(doc)
    weakest = _weakest(departments, "creator_share")
    if not weakest:
        return [t["benefit_all"]]
    steps = [
        t["benefit_in"].format(
            departments=_names(weakest, lang), rates=_rates(weakest, "creator_share", lang)
        )
    ]
    shown = [d for d in departments if not d.get("suppressed") and d.get("creator_share")]
    best = max(shown, key=lambda d: d["creator_share"], default=None)
    if best is not None and best not in weakest:
        steps.append(
            t["benefit_stories"].format(
                department=department_label(str(best["department"]), lang),
                rate=_pct(best["creator_share"], lang),
            )
        )
    return steps


def _step_title(step: Mapping[str, Any]) -> str:
    return str(step.get("step_title") or step["step"])


def _training(doc: Mapping[str, Any], lang: str) -> list[str]:
    t = _text(lang)
    step = _stalled_step(doc)
    first = (
        t["training_step"].format(step=_step_title(step), stall=_pct(step["stall_share"], lang))
        if step is not None
        else t["training_all"]
    )
    return [first, t["training_buddies"]]


def _complicated(doc: Mapping[str, Any], lang: str) -> list[str]:
    t = _text(lang)
    step = _stalled_step(doc)
    steps = []
    if step is not None:
        steps.append(
            t["complicated_step"].format(
                step=_step_title(step), stall=_pct(step["stall_share"], lang)
            )
        )
    return [*steps, t["complicated_help"]]


def _no_time(doc: Mapping[str, Any], lang: str) -> list[str]:
    t = _text(lang)
    weakest = _weakest(_departments(doc), "participation_rate")
    if not weakest:
        return [t["time_all"]]
    return [
        t["time_in"].format(
            departments=_names(weakest, lang), rates=_rates(weakest, "participation_rate", lang)
        )
    ]


def _data_gap(doc: Mapping[str, Any], lang: str) -> list[str]:
    missing = [p["platform"] for p in doc["as_of"]["platforms"] if p["as_of"] is None]
    stale = [p["platform"] for p in doc["as_of"]["platforms"] if p["stale"]]
    platforms = missing or stale or [p["platform"] for p in doc["as_of"]["platforms"]]
    return [_text(lang)["gap"].format(platforms=", ".join(platforms) or "-")]


BY_REASON: dict[str, Callable[[Mapping[str, Any], str], list[str]]] = {
    "closed_culture": _closed_culture,
    "unclear_benefit": _unclear_benefit,
    "training": _training,
    "complicated": _complicated,
    "no_time": _no_time,
    "data_gap": _data_gap,
}


def next_steps(finding: Mapping[str, Any], doc: Mapping[str, Any], lang: str) -> list[str]:
    """The finding's next steps, tied to the report's figures (none for plugin reasons, and
    none for a note, ``info``: a sign kept in sight or what people said that the usage data
    do not show is not this month's work)."""
    if finding["severity"] == "info":
        return []
    build = BY_REASON.get(str(finding["reason"]))
    return build(doc, lang) if build is not None else []


def month_plan(doc: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """(finding title, its first next step) per finding, most severe first: the report's
    opening "What to do this month"."""
    plan = []
    for finding in doc["findings"]:
        steps = finding.get("next_steps") or []
        if steps:
            plan.append((str(finding["title"]), str(steps[0])))
    return plan


__all__ = ["STEPS", "month_plan", "next_steps"]

"""The report's as-of lines: up to which day each platform's data is complete, stale or partial."""

from __future__ import annotations

import datetime as dt
from typing import Any

TEXTS = {
    "en": {
        "heading": "Data as of",
        "complete": "{platform}: complete up to {as_of}",
        "none": "{platform}: no activity data yet",
        "stale": "STALE: {age} days old (more than {limit}): check its connector",
        "partial": "the period runs {days} past it",
        "day": "one day",
        "days": "{n} days",
        "partial_note": "This period ends after the data: the figures of its last days are "
        "partial, not a drop in use.",
        "short": "data begins {oldest}, after the previous period's start",
        "short_note": "Changes against the previous period are not like for like: the data "
        "from {platforms} begins after that period's start, so the headline shows no change "
        '("new data"): part of it would be data arriving, not use growing.',
    },
    "de": {
        "heading": "Datenstand",
        "complete": "{platform}: vollständig bis {as_of}",
        "none": "{platform}: noch keine Aktivitätsdaten",
        "stale": "VERALTET: {age} Tage alt (mehr als {limit}): Connector prüfen",
        "partial": "der Zeitraum reicht {days} darüber hinaus",
        "day": "einen Tag",
        "days": "{n} Tage",
        "partial_note": "Dieser Zeitraum endet nach den Daten: die Zahlen seiner letzten Tage "
        "sind unvollständig, kein Rückgang der Nutzung.",
        "short": "Daten ab {oldest}, nach dem Beginn der Vorperiode",
        "short_note": "Die Veränderungen gegenüber der Vorperiode sind nicht vergleichbar: "
        "die Daten von {platforms} beginnen erst nach deren Anfang; die Kennzahlen zeigen daher "
        "keine Veränderung („neue Daten“): ein Teil davon wäre das Eintreffen von Daten, kein "
        "Wachstum der Nutzung.",
    },
}


def as_of_lines(doc: dict[str, Any], lang: str) -> list[str]:
    """One line per platform, e.g. ``chat: complete up to 2026-10-30; STALE: ...``."""
    t = TEXTS.get(lang, TEXTS["en"])
    data = doc.get("as_of") or {}
    last_day = dt.date.fromisoformat(doc["period"]["end"]) - dt.timedelta(days=1)
    lines = []
    for p in data.get("platforms", []):
        if p["as_of"] is None:
            lines.append(t["none"].format(platform=p["platform"]))
            continue
        parts = [t["complete"].format(platform=p["platform"], as_of=p["as_of"])]
        if p["stale"]:
            parts.append(t["stale"].format(age=p["age_days"], limit=data["stale_after_days"]))
        if p["partial"]:
            days = (last_day - dt.date.fromisoformat(p["as_of"])).days
            span = t["day"] if days == 1 else t["days"].format(n=days)
            parts.append(t["partial"].format(days=span))
        if p.get("short_history"):
            parts.append(t["short"].format(oldest=p["oldest_day"]))
        lines.append("; ".join(parts))
    return lines


def as_of_texts(doc: dict[str, Any], lang: str) -> dict[str, Any]:
    """Heading, lines, the partial-period note and the short-history note (each empty when it
    does not apply)."""
    t = TEXTS.get(lang, TEXTS["en"])
    data = doc.get("as_of") or {}
    short = data.get("short_history") or []
    return {
        "heading": t["heading"],
        "lines": as_of_lines(doc, lang),
        "partial_note": t["partial_note"] if data.get("partial") else "",
        "short_note": t["short_note"].format(platforms=", ".join(short)) if short else "",
    }


__all__ = ["as_of_lines", "as_of_texts"]

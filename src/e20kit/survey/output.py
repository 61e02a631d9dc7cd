"""Survey results for people (text lines, en/de) and for scripts (plain data).

Only published results are written here: a hidden cell reads ``<k`` (its respondents) and
``None`` elsewhere, in every format.
"""

from __future__ import annotations

from typing import Any

from ..privacy.suppression import fewer_than
from .questions import AUDIENCES, REASONS
from .results import ReasonScore, SurveyResults

REASON_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "complicated": "Complicated",
        "no_time": "No time",
        "training": "Too little training",
        "unclear_benefit": "Unclear benefit",
        "closed_culture": "Closed culture",
    },
    "de": {
        "complicated": "Kompliziert",
        "no_time": "Keine Zeit",
        "training": "Zu wenig Schulung",
        "unclear_benefit": "Unklarer Nutzen",
        "closed_culture": "Geschlossene Kultur",
    },
}
ROLE_LABELS = {
    "en": {"staff": "Staff", "leader": "Leaders"},
    "de": {"staff": "Mitarbeitende", "leader": "Führungskräfte"},
}
ALL = {"en": "whole organisation", "de": "gesamte Organisation"}


def percent(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)} %"


def describe(score: ReasonScore, k: int, lang: str) -> str:
    """One cell as text: agreement, interval, mean, respondents; ``<k`` when hidden."""
    if score.complementary:
        return (
            "verborgen (sonst wäre eine kleinere Einheit ableitbar)"
            if lang == "de"
            else ("hidden (else a smaller unit could be computed)")
        )
    if score.hidden:
        return f"n {fewer_than(k)}"
    if score.agree_share is None:
        return "n 0"
    if lang == "de":
        return (
            f"{percent(score.agree_share)} stimmen zu ({percent(score.low)}-{percent(score.high)}),"
            f" Mittel {score.mean:.1f}, n {score.respondents}".replace(".", ",", 1)
        )
    return (
        f"{percent(score.agree_share)} agree ({percent(score.low)}-{percent(score.high)}), "
        f"mean {score.mean:.1f}, n {score.respondents}"
    )


def rows(results: SurveyResults) -> list[dict[str, Any]]:
    """One row per role, unit (``None``: the whole organisation) and reason."""
    out: list[dict[str, Any]] = []
    units = sorted({u for u, _, _ in results.units})
    for role in AUDIENCES:
        for reason in REASONS:
            overall = results.overall.get((role, reason))
            if overall is not None:
                out.append(_row(role, None, reason.value, overall))
            for unit in units:
                cell = results.units.get((unit, role, reason))
                if cell is not None:
                    out.append(_row(role, unit, reason.value, cell))
    return out


def _row(role: str, unit: str | None, reason: str, s: ReasonScore) -> dict[str, Any]:
    return {
        "role": role,
        "unit": unit,
        "reason": reason,
        "respondents": s.respondents,
        "agree_share": s.agree_share,
        "agree_low": s.low,
        "agree_high": s.high,
        "mean": s.mean,
        "suppressed": s.hidden,
        "complementary": s.complementary,
    }


def as_dict(results: SurveyResults) -> dict[str, Any]:
    """Plain data for ``--json`` and the JSON report."""
    wave = results.wave
    return {
        "wave": {
            "id": wave.wave_id,
            "source": wave.source,
            "opened": wave.opened.isoformat(),
            "closes": wave.closes.isoformat(),
        },
        "min_respondents": results.min_respondents,
        "scores": rows(results),
        "responses": [
            {"unit": unit, "role": role, "responses": n}
            for (unit, role), n in sorted(results.respondents.items(), key=_unit_role)
        ],
        "response_rate": [
            {"unit": unit, "role": role, "rate": rate}
            for (unit, role), rate in sorted(results.response_rate.items(), key=_unit_role)
        ],
    }


def _unit_role(item: tuple[tuple[str | None, str], object]) -> tuple[str, str]:
    (unit, role), _ = item
    return (unit or "", role)


def lines(results: SurveyResults, lang: str = "en") -> list[str]:
    """The results for a terminal: per role and reason the organisation, then each unit."""
    wave, k = results.wave, results.min_respondents
    if lang == "de":
        head = f"Befragungswelle {wave.wave_id} ({wave.opened} bis {wave.closes}, {wave.source})"
    else:
        head = f"Survey wave {wave.wave_id} ({wave.opened} to {wave.closes}, {wave.source})"
    out = [head]
    if results.empty:
        out.append("Noch keine Antworten." if lang == "de" else "No responses yet.")
        return out
    for row in rows(results):
        if row["unit"] is None:
            role = ROLE_LABELS[lang][row["role"]]
            out.append(f"{role} · {REASON_LABELS[lang][row['reason']]}")
        where = row["unit"] if row["unit"] is not None else ALL[lang]
        score = ReasonScore(
            row["respondents"],
            row["agree_share"],
            row["mean"],
            row["agree_low"],
            row["agree_high"],
            row["complementary"],
        )
        out.append(f"  {where}: {describe(score, k, lang)}")
    rates = [(key, r) for key, r in results.response_rate.items() if r is not None]
    for (unit, role), rate in sorted(rates, key=_unit_role):
        label = "Rücklauf" if lang == "de" else "Response rate"
        out.append(f"{label} {ROLE_LABELS[lang][role]}, {unit or ALL[lang]}: {percent(rate)}")
    return out


__all__ = ["REASON_LABELS", "ROLE_LABELS", "as_dict", "describe", "lines", "rows"]

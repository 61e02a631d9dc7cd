"""Report labels in English and German."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from ..analytics.sql import UNKNOWN_DEPARTMENT
from ..diagnose.texts import localise
from ..privacy.suppression import fewer_than

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Adoption report",
        "period": "Period",
        "previous": "compared with",
        "generated": "Generated",
        "headline": "Headline figures",
        "figure": "Figure",
        "value": "Value",
        "previous_value": "Previous period",
        "change": "Change",
        "platforms": "Platforms",
        "platform": "Platform",
        "activity": "Active members over time",
        "inequality": "Participation inequality",
        "leaders": "Leaders and staff",
        "departments": "Departments",
        "heatmap": "Active share of each department by week",
        "cohorts": "Newcomer retention by joining week",
        "features": "Feature mix by week",
        "containers": "Spaces, channels and sites",
        "findings": "Diagnosis",
        "no_findings": "No known reason for low use was found in this period. Usage data alone "
        "seldom show a mild training gap or an unclear benefit: the pulse survey asks people "
        "(e20kit survey send, docs/survey.md).",
        "remedies": "What to do",
        "evidence": "Evidence",
        "why_not": "Why not another reason",
        "rests_on_usage": "Rests on the usage data",
        "rests_on_survey": "Rests on the survey (what people said)",
        "rests_on_usage_survey": "Rests on the usage data and the survey",
        "suppressed": "suppressed",
        "hidden": "hidden",
        "suppressed_note": "Groups with fewer than {k} members are suppressed: no figures, and "
        "their size reads <{k}. A group marked hidden has at least {k} members and is hidden "
        "so that a smaller one cannot be computed from a total.",
        "suppressed_legend": "hatched: group too small to show (not 0 %)",
        "pending_legend": "\N{EN DASH} not lived through yet",
        "partial_week": "part of a week (fewer days)",
        "caption_activity": "Distinct members with any activity each day (blue) and per week, "
        "Monday to Sunday (orange; a week the period cuts counts only its own days). Dips on "
        "weekends are normal; a falling weekly line is not.",
        "caption_lorenz": "Members ordered from least to most active: the further the curve "
        "sags below the diagonal, the more the contributions come from a few people.",
        "caption_leaders": "Share of leaders and of staff who were active (participation) and "
        "who wrote something (contributing). Leaders far below staff are no role models.",
        "caption_heatmap": "Each cell: the share of a department's members active in that ISO "
        "week, Monday to Sunday (darker is more); a week the period cuts says how many days "
        "it holds.",
        "caption_cohorts": "Each row: members who joined in that ISO week; each cell: the share "
        "of them active in their n-th week since joining.",
        "caption_features": "What the active members did each week, as shares of all actions.",
        "department": "Department",
        "members": "Members",
        "active": "Active",
        "creators": "Creators",
        "participation_rate": "Participation",
        "creator_share": "Creator share",
        "contribution_rate": "Contributing",
        "group": "Group",
        "leaders_group": "Leaders",
        "staff_group": "Staff",
        "all": "all",
        "week": "Week",
        "days_short": "{n} d",
        "cohort": "Joined in week of",
        "size": "Size",
        "lively": "lively",
        "quiet": "quiet",
        "dormant": "dormant",
        "daily": "daily active",
        "weekly": "weekly active",
        "population": "share of active members (least active first)",
        "contribution_axis": "share of contributions",
        "equality": "equal participation",
        "onboarding": "Onboarding funnel",
        "step": "Step",
        "eligible": "Eligible",
        "completed": "Completed",
        "stalled": "Stalled",
        "sections": "More",
        "severity_critical": "critical",
        "severity_warning": "warning",
        "severity_watch": "watch",
        "severity_info": "info",
        "active_members": "Active members",
        "dau": "Daily active (mean)",
        "wau": "Weekly active (mean)",
        "mau": "Monthly active (mean)",
        "stickiness": "Stickiness (daily / monthly)",
        "contributions": "Contributions",
        "helping_share": "Replies and comments",
        "active_days_per_week": "Active days per week",
        "features_per_member": "Features per member",
        "gini": "Gini coefficient",
        "top1_share": "Top 1 % share",
        "top10_share": "Top 10 % share",
        "retention_week": "week {n}",
        "no_data": "No data in this period.",
        "new_data": "new data",
        "unknown_department": "(unknown)",
        "pp": "pp",
        "decimal": ".",
        "period_last": "last {n} days",
        "period_month": "month {month}",
        "feature_wiki": "wiki",
        "feature_blog": "blog",
        "feature_discussion": "discussion",
        "feature_chat": "chat",
        "feature_files": "files",
        "feature_site": "site visits",
        "context": "Context: mail and apps (never counted as participation)",
        "context_members": "Members there",
        "context_writers": "Wrote there (sent mail)",
        "context_only": "Of them, contributed nowhere else",
        "context_note": (
            "Members who write only there live in mail: the people behind the reasons 'no time'"
            " and 'too complicated' often keep working in the inbox."
        ),
        "todo": "What to do this month",
        "next_steps": "Next steps",
        "no_todo": "Nothing urgent: keep the champion programme and onboarding running.",
    },
    "de": {
        "title": "Nutzungsbericht",
        "period": "Zeitraum",
        "previous": "verglichen mit",
        "generated": "Erstellt",
        "headline": "Kennzahlen",
        "figure": "Kennzahl",
        "value": "Wert",
        "previous_value": "Vorperiode",
        "change": "Veränderung",
        "platforms": "Plattformen",
        "platform": "Plattform",
        "activity": "Aktive Mitglieder im Zeitverlauf",
        "inequality": "Ungleichheit der Beteiligung",
        "leaders": "Führungskräfte und Mitarbeitende",
        "departments": "Abteilungen",
        "heatmap": "Anteil aktiver Mitglieder je Abteilung und Woche",
        "cohorts": "Bindung neuer Mitglieder nach Eintrittswoche",
        "features": "Funktionsmix je Woche",
        "containers": "Bereiche, Kanäle und Sites",
        "findings": "Diagnose",
        "no_findings": "In diesem Zeitraum wurde kein bekannter Grund für geringe Nutzung "
        "gefunden. Eine leichte Schulungslücke oder einen unklaren Nutzen zeigen Nutzungsdaten "
        "allein selten: die Pulsbefragung fragt die Menschen (e20kit survey send, "
        "docs/survey.md).",
        "remedies": "Was hilft",
        "evidence": "Belege",
        "why_not": "Warum kein anderer Grund",
        "rests_on_usage": "Beruht auf den Nutzungsdaten",
        "rests_on_survey": "Beruht auf der Befragung (was die Menschen sagen)",
        "rests_on_usage_survey": "Beruht auf den Nutzungsdaten und der Befragung",
        "suppressed": "unterdrückt",
        "hidden": "verborgen",
        "suppressed_note": "Gruppen mit weniger als {k} Mitgliedern werden unterdrückt: keine "
        "Zahlen, Größe <{k}. Eine als verborgen markierte Gruppe hat mindestens {k} Mitglieder "
        "und wird verborgen, damit sich keine kleinere aus einer Summe errechnen lässt.",
        "suppressed_legend": "schraffiert: Gruppe zu klein zum Zeigen (nicht 0 %)",
        "pending_legend": "\N{EN DASH} noch nicht durchlaufen",
        "partial_week": "angeschnittene Woche (weniger Tage)",
        "caption_activity": "Mitglieder mit Aktivität je Tag (blau) und je Woche, Montag bis "
        "Sonntag (orange; eine vom Zeitraum angeschnittene Woche zählt nur ihre eigenen Tage). "
        "Einbrüche am Wochenende sind normal, eine fallende Wochenlinie nicht.",
        "caption_lorenz": "Mitglieder vom am wenigsten zum am meisten aktiven geordnet: je "
        "tiefer die Kurve unter der Diagonale liegt, desto mehr Beiträge kommen von wenigen.",
        "caption_leaders": "Anteil der Führungskräfte und der Mitarbeitenden, die aktiv waren "
        "(Beteiligung) und etwas schrieben (beitragend). Liegen Führungskräfte weit darunter, "
        "sind sie keine Vorbilder.",
        "caption_heatmap": "Jede Zelle: Anteil der Mitglieder einer Abteilung, die in dieser "
        "Kalenderwoche (Montag bis Sonntag) aktiv waren (dunkler ist mehr); eine angeschnittene "
        "Woche nennt ihre Tage.",
        "caption_cohorts": "Jede Zeile: Mitglieder, die in dieser Kalenderwoche eintraten; jede "
        "Zelle: ihr Anteil, der in seiner n-ten Woche seit dem Eintritt aktiv war.",
        "caption_features": "Was die aktiven Mitglieder je Woche taten, als Anteil aller Aktionen.",
        "department": "Abteilung",
        "members": "Mitglieder",
        "active": "Aktiv",
        "creators": "Beitragende",
        "participation_rate": "Beteiligung",
        "creator_share": "Anteil Beitragende",
        "contribution_rate": "Beitragend",
        "group": "Gruppe",
        "leaders_group": "Führungskräfte",
        "staff_group": "Mitarbeitende",
        "all": "alle",
        "week": "Woche",
        "days_short": "{n} T",
        "cohort": "Eingetreten in der Woche ab",
        "size": "Größe",
        "lively": "lebendig",
        "quiet": "ruhig",
        "dormant": "verwaist",
        "daily": "täglich aktiv",
        "weekly": "wöchentlich aktiv",
        "population": "Anteil aktiver Mitglieder (am wenigsten aktive zuerst)",
        "contribution_axis": "Anteil der Beiträge",
        "equality": "gleiche Beteiligung",
        "onboarding": "Onboarding-Trichter",
        "step": "Schritt",
        "eligible": "Berechtigt",
        "completed": "Erledigt",
        "stalled": "Stehen geblieben",
        "sections": "Weiteres",
        "severity_critical": "kritisch",
        "severity_warning": "Warnung",
        "severity_watch": "beobachten",
        "severity_info": "Hinweis",
        "active_members": "Aktive Mitglieder",
        "dau": "Täglich aktiv (Mittel)",
        "wau": "Wöchentlich aktiv (Mittel)",
        "mau": "Monatlich aktiv (Mittel)",
        "stickiness": "Bindung (täglich / monatlich)",
        "contributions": "Beiträge",
        "helping_share": "Antworten und Kommentare",
        "active_days_per_week": "Aktive Tage je Woche",
        "features_per_member": "Funktionen je Mitglied",
        "gini": "Gini-Koeffizient",
        "top1_share": "Anteil oberstes 1 %",
        "top10_share": "Anteil oberste 10 %",
        "retention_week": "Woche {n}",
        "no_data": "Keine Daten in diesem Zeitraum.",
        "new_data": "neue Daten",
        "unknown_department": "(unbekannt)",
        "pp": "Pp.",
        "decimal": ",",
        "period_last": "letzte {n} Tage",
        "period_month": "Monat {month}",
        "feature_wiki": "Wiki",
        "feature_blog": "Blog",
        "feature_discussion": "Diskussion",
        "feature_chat": "Chat",
        "feature_files": "Dateien",
        "feature_site": "Besuche",
        "context": "Kontext: Mail und Apps (nie als Beteiligung gezählt)",
        "context_members": "Mitglieder dort",
        "context_writers": "Schrieben dort (Mails gesendet)",
        "context_only": "Davon nirgends sonst beigetragen",
        "context_note": (
            "Wer nur dort schreibt, lebt im Postfach: hinter den Gründen 'keine Zeit' und 'zu"
            " kompliziert' stehen oft Menschen, die weiter im Postfach arbeiten."
        ),
        "todo": "Was diesen Monat zu tun ist",
        "next_steps": "Nächste Schritte",
        "no_todo": "Nichts Dringendes: Champion-Programm und Onboarding weiterlaufen lassen.",
    },
}

PERCENT_FIGURES = frozenset(
    {
        "participation_rate",
        "contribution_rate",
        "creator_share",
        "rate",
        "lively_share",
        "dropout",
        "stall_share",
        "consumer_share",
        "helping_share",
        "stickiness",
        "top1_share",
        "top10_share",
    }
)
"""Figures shown as percentages (changes in percentage points)."""


def labels(lang: str) -> dict[str, str]:
    return LABELS.get(lang, LABELS["en"])


LOWER_IS_BETTER = frozenset({"gini", "top1_share", "top10_share", "consumer_share"})
"""Figures whose rise is bad news (the HTML report colours their changes the other way)."""


def show(figure: str, value: float | None, lang: str = "en") -> str:
    """A figure for people: percentages, one decimal, or whole numbers."""
    return _format(figure, value, lang, signed=False)


def show_change(figure: str, change: float | None, lang: str = "en") -> str:
    """A change against the previous period: signed, percentages in points (pp).

    The sign follows the value as shown: a change that rounds to zero reads ``±0``, never
    ``-0`` or ``+0``; a change of less than one point gets a decimal (``+0.4 pp``) so that
    24 % -> 25 % does not read ``+0 pp``.
    """
    rounded = rounded_change(figure, change)
    if rounded is None:
        return "-"
    if rounded == 0:
        unit = f" {labels(lang)['pp']}" if figure in PERCENT_FIGURES else ""
        return localise("±0", lang) + unit
    return _format(figure, rounded, lang, signed=True)


def rounded_change(figure: str, change: float | None) -> float | None:
    """``change`` rounded as :func:`show_change` shows it (what its colour must follow)."""
    if change is None:
        return None
    if figure in PERCENT_FIGURES:
        points = change * 100
        return round(points, 0 if abs(points) >= 0.95 else 1) / 100
    if figure == "gini":
        return round(change, 2)
    return float(change) if float(change).is_integer() else round(change, 1)


SIZE_FIELDS = frozenset({"members", "size", "eligible", "newcomers", "respondents"})
"""Columns holding a group's size: a suppressed row shows "<k" there, never the number."""


def hidden_size(row: Mapping[str, Any], column: str, k: int, lang: str) -> str | None:
    """What a hidden group's size cell reads: "<k", or "hidden" for a group hidden only so that
    a smaller one cannot be computed (it is not smaller than k); None for any other cell."""
    if row.get(column) is not None or not row.get("suppressed") or column not in SIZE_FIELDS:
        return None
    return labels(lang)["hidden"] if row.get("complementary") else fewer_than(k)


FLAG_COLUMNS = frozenset({"suppressed", "complementary"})
"""Row flags that the size cells already show ("<k", "hidden"): not printed as columns."""


def shown_columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The columns of a section table as HTML and Markdown print them (flags left out)."""
    return [c for c in rows[0] if c not in FLAG_COLUMNS] if rows else []


def show_cell(
    row: Mapping[str, Any],
    column: str,
    k: int,
    lang: str = "en",
    percent: Collection[str] = (),
    values: Mapping[str, Mapping[str, str]] | None = None,
) -> Any:
    """A table cell as text formats show it: a hidden group's size as :func:`hidden_size`,
    another blank as "", a share of a ``percent`` column as a percentage."""
    hidden = hidden_size(row, column, k, lang)
    if hidden is not None:
        return hidden
    value = row.get(column)
    if value is None:
        return ""
    if isinstance(value, str) and values and value in values.get(column, {}):
        return values[column][value]
    if column in percent and isinstance(value, int | float) and not isinstance(value, bool):
        return localise(f"{value:.0%}", lang)
    if isinstance(value, float) and lang == "de":
        return localise(str(value), lang)  # a decimal comma in German
    return value


def period_label(label: str, lang: str) -> str:
    """``last-30d`` as people say it (``last 30 days``, ``letzte 30 Tage``), ``month:2026-10``
    as ``month 2026-10``; an explicit range stays as it is."""
    t = labels(lang)
    if label.startswith("last-") and label.endswith("d") and label[5:-1].isdigit():
        return t["period_last"].format(n=int(label[5:-1]))
    if label.startswith("month:"):
        return t["period_month"].format(month=label.removeprefix("month:"))
    return label


def department_label(name: str, lang: str) -> str:
    """A department as the report shows it (members without one under "(unknown)")."""
    return labels(lang)["unknown_department"] if name == UNKNOWN_DEPARTMENT else name


def _format(figure: str, value: float | None, lang: str, *, signed: bool) -> str:
    if value is None:
        return "-"
    sign = "+" if signed else ""
    if figure in PERCENT_FIGURES:
        points = value * 100
        digits = 0 if abs(points) >= 0.95 else 1
        if signed:
            return localise(f"{points:{sign}.{digits}f}", lang) + f" {labels(lang)['pp']}"
        text = f"{value:.0%}"
    elif figure == "gini":
        text = f"{value:{sign}.2f}"
    elif float(value).is_integer():
        text = f"{int(value):{sign},}"
    else:
        text = f"{value:{sign},.1f}"
    return localise(text, lang)


__all__ = [
    "FLAG_COLUMNS",
    "LABELS",
    "LOWER_IS_BETTER",
    "PERCENT_FIGURES",
    "SIZE_FIELDS",
    "department_label",
    "hidden_size",
    "labels",
    "localise",
    "period_label",
    "rounded_change",
    "show",
    "show_cell",
    "show_change",
    "shown_columns",
]

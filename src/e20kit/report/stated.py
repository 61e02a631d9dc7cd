"""The report's "stated beside observed" section: per reason what people said in the survey next
to what the usage data show, and per unit where both are shown (issue 23 item 5).

Which reason the usage data name, leave undecided or rule out comes from the findings (decided
on raw figures, :func:`e20kit.diagnose.stated.combine`); every figure comes from the survey's
*published* results (hidden cells stay empty, counts perturbed) and the published metrics, so
the section prints nothing the disclosure layer did not publish.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..diagnose.stated import STATED, SURVEY, USAGE
from ..extensions import ReportSection
from ..findings import Finding, Reason, Severity
from ..survey.output import REASON_LABELS

if TYPE_CHECKING:
    from ..analytics.model import Metrics
    from ..disclosure import Disclosure
    from ..survey import SurveyResults

__all__ = ["SECTION_ID", "observed_of", "reading_of", "stated_section"]

SECTION_ID = "stated_observed"

TITLE = {"en": "Stated beside observed", "de": "Gesagt und beobachtet"}
INTRO = {
    "en": "What people said in survey wave {wave} next to what the usage data show, reason by "
    "reason; each finding above says whether it rests on the usage data, the survey or both. "
    "Agreement shares are those the survey results publish (hidden below the minimum number of "
    "respondents).",
    "de": "Was die Menschen in der Befragungswelle {wave} gesagt haben, neben dem, was die "
    "Nutzungsdaten zeigen, Grund für Grund; jeder Befund oben sagt, ob er auf den "
    "Nutzungsdaten, der Befragung oder beiden beruht. Die Zustimmungsanteile sind die, die die "
    "Befragungsergebnisse veröffentlichen (unter der Mindestzahl an Antworten verborgen).",
}
CAPTIONS = {
    "en": {"reasons": "Per reason", "units": "Per unit (where both are shown)"},
    "de": {"reasons": "Je Grund", "units": "Je Einheit (wo beides gezeigt wird)"},
}
LABELS = {
    "en": {
        "reason": "Reason",
        "observed": "Usage data",
        "staff_agree": "Staff agree",
        "staff_low": "from",
        "staff_high": "to",
        "staff_n": "Staff answers",
        "leaders_agree": "Leaders agree",
        "leaders_n": "Leaders' answers",
        "reading": "Together",
        "unit": "Unit",
        "participation_rate": "Active",
        "creator_share": "Contributing",
        "staff_top": "Staff name most",
        "staff_top_agree": "agree",
        "leaders_top": "Leaders name most",
        "leaders_top_agree": "agree",
    },
    "de": {
        "reason": "Grund",
        "observed": "Nutzungsdaten",
        "staff_agree": "Mitarbeitende stimmen zu",
        "staff_low": "von",
        "staff_high": "bis",
        "staff_n": "Antworten Mitarbeitende",
        "leaders_agree": "Führungskräfte stimmen zu",
        "leaders_n": "Antworten Führungskräfte",
        "reading": "Zusammen",
        "unit": "Einheit",
        "participation_rate": "Aktiv",
        "creator_share": "Tragen bei",
        "staff_top": "Mitarbeitende nennen am meisten",
        "staff_top_agree": "Zustimmung",
        "leaders_top": "Führungskräfte nennen am meisten",
        "leaders_top_agree": "Zustimmung",
    },
}
OBSERVED = {
    "en": {
        "named": "name it",
        "noted": "show a mild sign of it",
        "undecided": "cannot tell it from another",
        "ruled_out": "rule it out",
        "not_judged": "cannot judge it",
        "silent": "do not name it",
    },
    "de": {
        "named": "nennen ihn",
        "noted": "zeigen ein schwaches Anzeichen",
        "undecided": "können ihn nicht von einem anderen trennen",
        "ruled_out": "schließen ihn aus",
        "not_judged": "können ihn nicht beurteilen",
        "silent": "nennen ihn nicht",
    },
}
READING = {
    "en": {
        "both": "said and seen",
        "decided": "the survey decided",
        "reread": "the survey re-read the usage data",
        "usage_only": "seen, not said",
        "noted": "a mild sign, people give another reason",
        "contradicted": "said, the usage data disagree",
        "survey_only": "said; the usage data cannot show it",
        "undecided": "undecided",
        "neither": "neither",
    },
    "de": {
        "both": "gesagt und gesehen",
        "decided": "die Befragung hat entschieden",
        "reread": "die Befragung hat die Nutzungsdaten neu gelesen",
        "usage_only": "gesehen, nicht gesagt",
        "noted": "ein schwaches Anzeichen, die Menschen nennen einen anderen Grund",
        "contradicted": "gesagt, die Nutzungsdaten widersprechen",
        "survey_only": "gesagt; die Nutzungsdaten können es nicht zeigen",
        "undecided": "unentschieden",
        "neither": "weder noch",
    },
}
PERCENT = frozenset(
    {
        "staff_agree",
        "staff_low",
        "staff_high",
        "leaders_agree",
        "participation_rate",
        "creator_share",
        "staff_top_agree",
        "leaders_top_agree",
    }
)


def _about(findings: Sequence[Finding], reason: Reason) -> list[Finding]:
    return [f for f in findings if f.reason is reason and f.rests_on]


def observed_of(findings: Sequence[Finding], reason: Reason) -> str:
    """What the usage data say about ``reason``, as the findings (decided on raw figures) tell."""
    if any(reason in (f.reason, *f.undecided) for f in findings if f.undecided):
        return "undecided"
    mine = _about(findings, reason)
    usage = [f for f in mine if USAGE in f.rests_on]
    if any(f.severity is not Severity.INFO for f in usage):
        return "named"
    if usage:
        return "noted"
    if any(f.rule == f"stated.contradicted.{reason}" for f in mine):
        return "ruled_out"
    if any(
        r.reason is reason and not r.metric.startswith("survey.")
        for f in findings
        for r in f.ruled_out
    ):
        return "ruled_out"
    if any(f.rule == f"stated.unseen.{reason}" for f in mine):
        return "not_judged"
    return "silent"


def reading_of(findings: Sequence[Finding], reason: Reason) -> str:
    """How the two halves of the evidence read together for ``reason``."""
    if any(reason in (f.reason, *f.undecided) for f in findings if f.undecided):
        return "undecided"
    for f in _about(findings, reason):
        if f.rule.startswith("stated.decides."):
            return "decided"
        if f.rule.startswith("stated.rereads."):
            return "reread"
        if f.rests_on == (USAGE, SURVEY) and f.severity is not Severity.INFO:
            return "both"
        if f.rests_on == (USAGE,):
            return "noted" if f.severity is Severity.INFO else "usage_only"
        if f.rule.startswith("stated.contradicted."):
            return "contradicted"
        if f.rule.startswith("stated.unseen."):
            return "survey_only"
    return "neither"


def _top(results: SurveyResults, unit: str, role: str) -> tuple[str | None, float | None]:
    shares = {
        r: s.agree_share
        for r in STATED
        if (s := results.units.get((unit, role, r))) is not None and s.agree_share is not None
    }
    if not shares:
        return None, None
    best = max(shares, key=lambda r: shares[r] or 0.0)
    return best.value, shares[best]


def _reason_rows(findings: Sequence[Finding], results: SurveyResults) -> list[dict[str, Any]]:
    rows = []
    for reason in STATED:
        staff = results.overall.get(("staff", reason))
        leaders = results.overall.get(("leader", reason))
        rows.append(
            {
                "reason": reason.value,
                "observed": observed_of(findings, reason),
                "staff_agree": staff.agree_share if staff else None,
                "staff_low": staff.low if staff else None,
                "staff_high": staff.high if staff else None,
                "staff_n": staff.respondents if staff else None,
                "leaders_agree": leaders.agree_share if leaders else None,
                "leaders_n": leaders.respondents if leaders else None,
                "reading": reading_of(findings, reason),
            }
        )
    return rows


def _unit_rows(metrics: Metrics, results: SurveyResults) -> list[dict[str, Any]]:
    rows = []
    for d in metrics.departments:
        if d.suppressed or d.participation_rate is None:
            continue
        staff, staff_share = _top(results, d.department, "staff")
        if staff is None:
            continue  # the unit's answers are hidden: only the usage half would be shown
        leaders, leaders_share = _top(results, d.department, "leader")
        rows.append(
            {
                "unit": d.department,
                "participation_rate": d.participation_rate,
                "creator_share": d.creator_share,
                "staff_top": staff,
                "staff_top_agree": staff_share,
                "leaders_top": leaders,
                "leaders_top_agree": leaders_share,
            }
        )
    return rows


def stated_section(
    findings: Sequence[Finding],
    results: SurveyResults,
    metrics: Metrics,
    disclosure: Disclosure,
    lang: str,
) -> ReportSection:
    """The section for the published ``results`` of a wave beside ``findings`` and the
    published ``metrics``: figures that passed the disclosure layer already, vouched for as
    such (:meth:`Disclosure.release_table`)."""
    lang = lang if lang in TITLE else "en"
    names = REASON_LABELS[lang]
    tables = {"reasons": _reason_rows(findings, results)}
    units = _unit_rows(metrics, results)
    if units:
        tables["units"] = units
    return ReportSection(
        id=SECTION_ID,
        title=TITLE[lang],
        markdown=disclosure.release_text(INTRO[lang].format(wave=results.wave.wave_id)),
        tables={name: disclosure.release_table(rows) for name, rows in tables.items()},
        captions=CAPTIONS[lang],
        labels=LABELS[lang],
        percent=PERCENT,
        values={
            "reason": names,
            "staff_top": names,
            "leaders_top": names,
            "observed": OBSERVED[lang],
            "reading": READING[lang],
        },
    )

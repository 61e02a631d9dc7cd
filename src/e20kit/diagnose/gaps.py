"""The data-gap finding: a period without facts is "no data", never "no known reason".

It is a regular :class:`~e20kit.findings.Finding` (reason ``data_gap``) so every format renders
it like the others; ``e20kit diagnose`` and ``e20kit report`` exit 8 when one is present.
"""

from __future__ import annotations

from ..analytics.model import Metrics
from ..findings import Evidence, Finding, Reason, Severity
from .texts import REMEDIES, TITLES, lang_of

DETAIL = {
    "en": "{what}: people on record, but no activity facts from {start} to {last}, so nothing "
    "can be said about use there.",
    "de": "{what}: Personen erfasst, aber keine Aktivitätsdaten vom {start} bis {last}; über die "
    "Nutzung lässt sich dort nichts sagen.",
}
NOTHING = {
    "en": "No activity facts at all from {start} to {last}: nothing can be said about use.",
    "de": "Keinerlei Aktivitätsdaten vom {start} bis {last}: über die Nutzung lässt sich nichts "
    "sagen.",
}


def data_gaps(metrics: Metrics, lang: str = "en") -> list[Finding]:
    """One finding per platform without facts in the period (one overall when none has any)."""
    lang = lang_of(lang)
    period = metrics.period
    where = {"start": period.start.isoformat(), "last": period.last_day.isoformat()}
    if not metrics.platforms and not metrics.hidden_platforms:
        return [_finding("data_gap.no_facts", NOTHING[lang].format(**where), lang)]
    return [
        _finding(f"data_gap.{name}", DETAIL[lang].format(what=name, **where), lang, name)
        for name in metrics.no_data
    ]


def _finding(rule: str, detail: str, lang: str, platform: str | None = None) -> Finding:
    metric = f"platform.{platform}.facts" if platform else "facts"
    return Finding(
        rule=rule,
        reason=Reason.DATA_GAP,
        severity=Severity.WARNING,
        title=TITLES[Reason.DATA_GAP][lang],
        detail=detail,
        evidence=(Evidence(metric=metric, value=0, threshold=1, comparison="<"),),
        remedies=REMEDIES[Reason.DATA_GAP][lang],
    )


def has_data_gap(findings: list[Finding]) -> bool:
    return any(f.reason is Reason.DATA_GAP for f in findings)


__all__ = ["data_gaps", "has_data_gap"]

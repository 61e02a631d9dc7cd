"""The built-in playbook: one rule per known reason for low use, each a pure function of Metrics.

A rule looks at a few signals, each compared with a configurable threshold
(``[analytics.diagnosis]``). It fires when at least one signal is breached; two or more breached
signals make the finding critical. Rules stay silent where the data is too thin to judge.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from ..analytics.model import Metrics
from ..findings import Evidence, Finding, Reason, Severity
from .gaps import data_gaps
from .texts import EVIDENCE, REMEDIES, TITLES, TREND, lang_of, localise


@dataclass(frozen=True)
class Signal:
    """One measured figure against its threshold."""

    metric: str
    value: float | None
    threshold: float
    comparison: str
    """``"<"`` or ``">"``: the direction in which the value breaches the threshold."""
    percent: bool = True
    trend: float | None = None
    params: dict[str, str] = field(default_factory=dict)
    supporting: bool = False
    """Only reported alongside another breached signal of the same rule."""

    @property
    def breached(self) -> bool:
        if self.value is None:
            return False
        if self.comparison == "<":
            return self.value < self.threshold
        return self.value > self.threshold

    def evidence(self) -> Evidence:
        return Evidence(
            metric=self.metric,
            value=self.value,
            threshold=self.threshold,
            comparison=self.comparison,
            trend=self.trend,
        )

    def sentence(self, lang: str) -> str:
        def show(x: float | None) -> str:
            if x is None:
                return "-"
            return localise(f"{x:.0%}" if self.percent else f"{x:.1f}", lang)

        text = EVIDENCE[self.metric][lang].format(
            value=show(self.value), threshold=show(self.threshold), **self.params
        )
        if self.trend is not None:
            sign = "+" if self.trend >= 0 else "-"
            change = (
                f"{sign}{abs(self.trend) * 100:.0f} pp" if self.percent else f"{self.trend:+.1f}"
            )
            text += f" ({TREND[lang].format(change=localise(change, lang))})"
        return text


def _trend(metrics: Metrics, figure: str) -> float | None:
    trend = metrics.trend(figure)
    return trend.change if trend else None


def complicated(m: Metrics) -> list[Signal]:
    t = m.settings.diagnosis
    enough = m.newcomers.week1_active >= max(t.min_newcomers, m.min_group_size)
    return [
        Signal(
            "newcomers.dropout", m.newcomers.dropout if enough else None, t.newcomer_dropout, ">"
        ),
        Signal(
            "headline.features_per_member",
            m.headline.features_per_member,
            t.features_per_member,
            ">",
            percent=False,
            trend=_trend(m, "features_per_member"),
            supporting=True,
        ),
    ]


def no_time(m: Metrics) -> list[Signal]:
    t = m.settings.diagnosis
    weeks = [p.active for p in m.weekly]
    collapse = None
    if len(weeks) >= 3 and statistics.median(weeks) > 0:
        collapse = min(weeks) / statistics.median(weeks)
    return [
        Signal(
            "headline.active_days_per_week",
            m.headline.active_days_per_week,
            t.active_days_per_week,
            "<",
            percent=False,
            trend=_trend(m, "active_days_per_week"),
        ),
        Signal("weekly.collapse", collapse, t.busy_collapse, "<"),
    ]


def training(m: Metrics) -> list[Signal]:
    t = m.settings.diagnosis
    k = m.min_group_size
    decided = max(t.min_newcomers, k)
    steps = [
        s for s in m.onboarding if s.completed + s.stalled >= decided and s.stall_share is not None
    ]
    if steps:
        worst = max(steps, key=lambda s: (s.stall_share or 0.0, -s.position))
        return [
            Signal(
                "onboarding.stall_share",
                worst.stall_share,
                t.onboarding_stall,
                ">",
                params={"step": f"{worst.checklist}/{worst.step}"},
            )
        ]
    enough = m.newcomers.active >= max(t.min_newcomers, k)
    return [
        Signal(
            "newcomers.creator_share",
            m.newcomers.creator_share if enough else None,
            t.newcomer_creator_share,
            "<",
        )
    ]


def unclear_benefit(m: Metrics) -> list[Signal]:
    t = m.settings.diagnosis
    return [
        Signal(
            "headline.creator_share",
            m.headline.creator_share,
            t.creator_share,
            "<",
            trend=_trend(m, "creator_share"),
        ),
        Signal(
            "headline.top10_share",
            m.headline.top10_share,
            t.top10_share,
            ">",
            trend=_trend(m, "top10_share"),
        ),
    ]


def closed_culture(m: Metrics) -> list[Signal]:
    t = m.settings.diagnosis
    leaders, staff = m.leader_group("leaders"), m.leader_group("staff")
    ratio = None
    if (
        leaders
        and staff
        and not leaders.suppressed
        and not staff.suppressed
        and leaders.participation_rate is not None
        and staff.participation_rate
    ):
        ratio = leaders.participation_rate / staff.participation_rate
    return [
        Signal("leaders.participation_ratio", ratio, t.leader_ratio, "<"),
        Signal(
            "headline.helping_share",
            m.headline.helping_share,
            t.helping_share,
            "<",
            trend=_trend(m, "helping_share"),
        ),
    ]


RULES: dict[str, tuple[Reason, Callable[[Metrics], list[Signal]]]] = {
    "complicated": (Reason.COMPLICATED, complicated),
    "no_time": (Reason.NO_TIME, no_time),
    "training": (Reason.TRAINING, training),
    "unclear_benefit": (Reason.UNCLEAR_BENEFIT, unclear_benefit),
    "closed_culture": (Reason.CLOSED_CULTURE, closed_culture),
}
"""Rule id -> (reason, signals)."""


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def playbook(metrics: Metrics, lang: str = "en") -> list[Finding]:
    """Findings of the built-in rules for ``metrics``, texts in ``lang`` (``en`` or ``de``)."""
    lang = lang_of(lang)
    findings = data_gaps(metrics, lang)
    if metrics.headline.active_members < metrics.settings.diagnosis.min_active_members:
        return findings
    for rule_id, (reason, rule) in RULES.items():
        signals = rule(metrics)
        primary = [s for s in signals if s.breached and not s.supporting]
        if not primary:
            continue
        breached = primary + [s for s in signals if s.breached and s.supporting]
        findings.append(
            Finding(
                rule=f"{rule_id}.{primary[0].metric}",
                reason=reason,
                severity=Severity.CRITICAL if len(breached) >= 2 else Severity.WARNING,
                title=TITLES[reason][lang],
                detail=_sentence_case("; ".join(s.sentence(lang) for s in breached) + "."),
                evidence=tuple(s.evidence() for s in breached),
                remedies=REMEDIES[reason][lang],
            )
        )
    return findings


_SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Most severe first; stable otherwise (playbook order, then plugins)."""
    return sorted(findings, key=lambda f: _SEVERITY_ORDER.get(f.severity, 3))


__all__ = ["RULES", "Signal", "playbook", "sort_findings"]

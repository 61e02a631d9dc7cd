"""The built-in playbook: one rule per known reason for low use, each judged by a contrast.

One figure alone is often shared by two reasons (few newcomers contribute where training is
missing and where nobody sees the benefit), so each rule reads the figures that separate its
reason from its neighbours: newcomers who stayed against established members, newcomers' early
drop-out against established members' lapses, leaders against
staff. Each figure is set against a band (``[analytics.diagnosis]``): ``watch``, ``warning`` and
``critical`` (see :func:`.signals.severity`). Rules stay silent where the data is too thin.
"""

from __future__ import annotations

from collections.abc import Callable

from ..analytics.model import Metrics
from ..analytics.settings import ABOVE, BELOW
from ..findings import Finding, Reason, Severity
from .figures import (
    busy_collapse,
    closed_in,
    creator_ratio,
    days_a_week_open,
    decided,
    dropout_excess,
    established_create,
    established_creators,
    helping,
    lapses_along,
    leader_creator_ratio,
    leader_ratio,
)
from .gaps import data_gaps
from .neighbours import ruled_out
from .signals import Signal, severity
from .texts import (
    OPEN_WEEKS,
    REMEDIES,
    TITLES,
    UNDECIDED,
    UNDECIDED_DETAIL,
    lang_of,
    localise,
)


def _trend(metrics: Metrics, figure: str) -> float | None:
    """The change against the previous period; none when that period lacks some platform's
    data for its first days (a change there is partly data arriving: never "growing")."""
    if metrics.short_history:
        return None
    trend = metrics.trend(figure)
    return trend.change if trend else None


def _pct(x: float | None, lang: str = "en") -> str:
    return "-" if x is None else localise(f"{x:.0%}", lang)


def _primary_breached(signals: list[Signal]) -> bool:
    return any(s.breached and not s.supporting for s in signals)


def explained_elsewhere(m: Metrics) -> bool:
    """Few active days that newcomers' drop-out (complicated) or few creators at every tenure
    (unclear benefit) already explain: quitters and mere readers come on fewer days."""
    return _primary_breached(complicated(m)) or _primary_breached(unclear_benefit(m))


EXPLAINED_EXCESS = 0.2
"""The largest newcomers' drop-out excess (at its low end) that another reason explains as
well: sandbox plantings of unclear benefit, training and no time reach 0.13, those of
complicated tools start at 0.15 and the resampled family's mild ones range from 0.0 to 0.37
(``newcomers.dropout_excess`` in the ``.bench/diagnosis-outcomes.json`` that
``python -m benchmarks diagnosis`` writes)."""


def _explained_dropout(m: Metrics, excess: float | None) -> bool:
    """A drop-out excess short of :data:`EXPLAINED_EXCESS` where another reason is at work as
    well: newcomers also leave where established members clearly create little (nothing shows
    them the benefit) and where those who stayed clearly create less (nobody showed them how).
    Beyond it, newcomers giving up is the tools whatever else shows."""
    t = m.settings.diagnosis
    if excess is None or excess >= EXPLAINED_EXCESS:
        return False
    ratio, _ = creator_ratio(m)
    few = established_creators(m, end="high")
    return (few is not None and few < t.creator_share.watch) or (
        ratio is not None and ratio < t.newcomer_creator_ratio.watch
    )


def complicated(m: Metrics) -> list[Signal]:
    t = m.settings.diagnosis
    excess, lapse = dropout_excess(m)
    c = m.contrasts
    return [
        Signal(
            "newcomers.dropout_excess",
            excess,
            t.dropout_excess,
            ABOVE,
            reference=lapse,
            params={"dropout": _pct(m.newcomers.dropout)},
            supporting=lapses_along(m) or _explained_dropout(m, excess),
        ),
        Signal(
            "contrasts.feature_depth",
            c.feature_depth if c else None,
            t.feature_depth,
            BELOW,
            params={"features": str(c.features_in_use if c else 0)},
            supporting=True,
        ),
    ]


def no_time(m: Metrics) -> list[Signal]:
    t = m.settings.diagnosis
    days, change = days_a_week_open(m)
    return [
        Signal(
            "headline.active_days_per_week",
            days,
            t.active_days_per_week,
            BELOW,
            percent=False,
            trend=None if m.short_history else change,
            wording=OPEN_WEEKS if closed_in(m, m.period) else None,
            supporting=explained_elsewhere(m),
        ),
        Signal("weekly.collapse", busy_collapse(m), t.busy_collapse, BELOW),
    ]


def training(m: Metrics) -> list[Signal]:
    t = m.settings.diagnosis
    enough = decided(m)
    steps = [
        s
        for s in m.onboarding
        if (s.completed or 0) + (s.stalled or 0) >= enough and s.stall_share is not None
    ]
    if steps:
        worst = max(steps, key=lambda s: (s.stall_share or 0.0, -s.position))
        return [
            Signal(
                "onboarding.stall_share",
                worst.stall_share,
                t.onboarding_stall,
                ABOVE,
                params={"step": f"{worst.checklist}/{worst.step}"},
            )
        ]
    ratio, established = creator_ratio(m)
    c = m.contrasts
    # a newcomer gap is a training gap only where established members clearly create (else
    # there is no rate to train towards: few creators at every tenure is the unclear benefit,
    # or the data cannot tell the two apart, see :func:`undecided`); where the tools put
    # newcomers off (a drop-out beyond the lapses), the few who stayed are survivors of that,
    # not a sample of newcomers to judge their training by
    deferred = (
        not established_create(m)
        or _primary_breached(unclear_benefit(m))
        or _primary_breached(complicated(m))
    )
    return [
        Signal(
            "newcomers.creator_ratio",
            ratio,
            t.newcomer_creator_ratio,
            BELOW,
            reference=established,
            params={"stayed": _pct(c.stayed_creator_share if c else None)},
            supporting=deferred,
        )
    ]


def _newcomer_gap(m: Metrics) -> Signal | None:
    """The training rule's newcomer contrast (none where the onboarding funnel decides)."""
    return next((s for s in training(m) if s.metric == "newcomers.creator_ratio"), None)


def undecided(m: Metrics) -> tuple[Reason, ...]:
    """The reasons the usage data cannot tell apart, when newcomers contribute clearly less
    than established members who themselves contribute neither clearly enough to train
    towards nor clearly too little to name the unclear benefit."""
    gap = _newcomer_gap(m)
    if gap is None or not gap.breached or established_create(m):
        return ()
    if _primary_breached(unclear_benefit(m)) or _primary_breached(complicated(m)):
        return ()
    return (Reason.UNCLEAR_BENEFIT, Reason.TRAINING)


def _leaders_stay_away(m: Metrics) -> bool:
    """Leaders take part clearly less than staff (the closed culture's own contrast)."""
    ratio = leader_ratio(m)
    return ratio is not None and ratio < m.settings.diagnosis.leader_ratio.watch


def unclear_benefit(m: Metrics) -> list[Signal]:
    t = m.settings.diagnosis
    c = m.contrasts
    return [
        # few creators where newcomers give up on the tools is the tools' problem: people who
        # fight the tools stop creating before they stop coming; where leaders stay away, it
        # is the culture: people do not write where their leaders are not seen
        Signal(
            "established.creator_share",
            established_creators(m, end="high"),
            t.creator_share,
            BELOW,
            trend=_trend(m, "creator_share"),
            reference=c.stayed_creator_share if c else None,
            supporting=_primary_breached(complicated(m)) or _leaders_stay_away(m),
        ),
        Signal(
            "headline.top10_share",
            m.headline.top10_share,
            t.top10_share,
            ABOVE,
            trend=_trend(m, "top10_share"),
            supporting=True,
        ),
    ]


def closed_culture(m: Metrics) -> list[Signal]:
    t = m.settings.diagnosis
    return [
        Signal("leaders.participation_ratio", leader_ratio(m), t.leader_ratio, BELOW),
        # leaders who come but do not write are silent where established members write; where
        # few write at all, leaders writing little is part of that
        Signal(
            "leaders.creator_ratio",
            leader_creator_ratio(m),
            t.leader_creator_ratio,
            BELOW,
            supporting=not established_create(m),
        ),
        # few replies where few create at all is the creation problem, not the culture
        Signal(
            "headline.helping_share",
            helping(m),
            t.helping_share,
            BELOW,
            trend=_trend(m, "helping_share"),
            params={"creators": str(m.headline.creators)},
            supporting=not established_create(m),
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
    gaps = data_gaps(metrics, lang)  # no data is a finding, not health (docs/playbook.md)
    if (metrics.headline.active_members or 0) < metrics.settings.diagnosis.min_active_members:
        return gaps
    fired: list[tuple[str, Reason, list[Signal], Severity]] = []
    for rule_id, (reason, rule) in RULES.items():
        signals = rule(metrics)
        level = severity(signals)
        if level is not None:
            fired.append((rule_id, reason, signals, level))
    named = {reason for _, reason, _, _ in fired}
    findings = list(gaps)
    both = undecided(metrics)
    if both:
        findings.append(_undecided(metrics, both, lang))
    for rule_id, reason, signals, level in fired:
        primary = [s for s in signals if s.breached and not s.supporting]
        breached = primary + [s for s in signals if s.breached and s.supporting]
        findings.append(
            Finding(
                rule=f"{rule_id}.{primary[0].metric}",
                reason=reason,
                severity=level,
                title=TITLES[reason][lang],
                detail=_sentence_case("; ".join(s.sentence(lang) for s in breached) + "."),
                evidence=tuple(s.evidence() for s in breached),
                remedies=REMEDIES[reason][lang],
                ruled_out=ruled_out(metrics, reason, named, lang),
            )
        )
    return findings


def _undecided(metrics: Metrics, reasons: tuple[Reason, ...], lang: str) -> Finding:
    """One finding naming every reason the data cannot tell apart, with each one's remedies."""
    gap = _newcomer_gap(metrics)
    assert gap is not None  # undecided() found it breached
    return Finding(
        rule="undecided." + "_or_".join(str(r) for r in reasons),
        reason=reasons[0],
        severity=Severity.WATCH,
        title=UNDECIDED[frozenset(reasons)][lang],
        detail=_sentence_case(gap.sentence(lang) + ". " + UNDECIDED_DETAIL[lang] + "."),
        evidence=(gap.evidence(),),
        remedies=tuple(r for reason in reasons for r in REMEDIES[reason][lang]),
        undecided=reasons[1:],
    )


_SEVERITY_ORDER = {
    Severity.CRITICAL: 0,
    Severity.WARNING: 1,
    Severity.WATCH: 2,
    Severity.INFO: 3,
}


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Most severe first; stable otherwise (playbook order, then plugins)."""
    return sorted(findings, key=lambda f: _SEVERITY_ORDER.get(f.severity, 4))


__all__ = [
    "EXPLAINED_EXCESS",
    "RULES",
    "explained_elsewhere",
    "playbook",
    "sort_findings",
    "undecided",
]

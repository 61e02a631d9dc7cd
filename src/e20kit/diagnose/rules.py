"""The built-in playbook: one rule per known reason for low use, each judged by a contrast.

One figure alone is often shared by two reasons (few newcomers contribute where training is
missing and where nobody sees the benefit), so each rule reads the figures that separate its
reason from its neighbours: newcomers who stayed against established members, newcomers' early
drop-out against established members' lapses, leaders against
staff. Each figure is set against a band (``[analytics.diagnosis]``): ``watch``, ``warning`` and
``critical`` (see :func:`.signals.severity`). Rules stay silent where the data is too thin.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable

from ..analytics.model import Metrics
from ..analytics.settings import ABOVE, BELOW
from ..findings import Finding, Reason, Severity
from .neighbours import ruled_out
from .signals import Signal, severity, share_bound
from .texts import REMEDIES, TITLES, lang_of, localise

DROPOUT_MULTIPLE = 3.0
"""Newcomers must drop out at least this many times as often as established members lapse for
the drop-out to count against the tools: where people have no time, both rise together (about
twice as often for newcomers, whose first week the onboarding fills)."""


def _trend(metrics: Metrics, figure: str) -> float | None:
    trend = metrics.trend(figure)
    return trend.change if trend else None


def _decided(m: Metrics) -> int:
    """The fewest members a group needs before a rule judges it."""
    return max(m.settings.diagnosis.min_newcomers, m.min_group_size)


def _pct(x: float | None, lang: str = "en") -> str:
    return "-" if x is None else localise(f"{x:.0%}", lang)


def dropout_excess(m: Metrics) -> tuple[float | None, float | None]:
    """(newcomers' week-1 drop-out, at its low end allowing for chance, minus established
    members' lapse; that lapse)."""
    c, n = m.contrasts, m.newcomers
    if (
        c is None
        or n.dropout is None
        or c.established_lapse is None
        or n.week1_active < _decided(m)
        or c.established_checked < m.min_group_size
    ):
        return None, None
    low = share_bound(n.dropped, n.week1_active, upper=False)
    return low - c.established_lapse, c.established_lapse


def lapses_along(m: Metrics) -> bool:
    """Newcomers' drop-out rises with established members' lapses (less than
    :data:`DROPOUT_MULTIPLE` times them): people come less often, newcomers included."""
    c, n = m.contrasts, m.newcomers
    if c is None or n.dropout is None or c.established_lapse is None:
        return False
    return n.dropout < DROPOUT_MULTIPLE * c.established_lapse


def creator_ratio(m: Metrics) -> tuple[float | None, float | None]:
    """(stayed newcomers' creator share, at its high end allowing for chance, / established
    members'; the established share)."""
    c = m.contrasts
    if (
        c is None
        or c.stayed_creator_share is None
        or not c.established_creator_share
        or c.stayed_newcomers < _decided(m)
        or c.established_active < m.min_group_size
    ):
        return None, None
    creators = round(c.stayed_creator_share * c.stayed_newcomers)
    high = share_bound(creators, c.stayed_newcomers, upper=True)
    return high / c.established_creator_share, c.established_creator_share


def established_creators(m: Metrics) -> float | None:
    c = m.contrasts
    if c is not None and c.established_active >= m.min_group_size:
        return c.established_creator_share
    return m.headline.creator_share


def leader_ratio(m: Metrics) -> float | None:
    """Leaders' participation rate, at its high end allowing for chance, / staff's."""
    leaders, staff = m.leader_group("leaders"), m.leader_group("staff")
    if (
        leaders
        and staff
        and not leaders.suppressed
        and not staff.suppressed
        and leaders.active is not None
        and leaders.members
        and staff.participation_rate
    ):
        high = share_bound(leaders.active, leaders.members, upper=True)
        return high / staff.participation_rate
    return None


def busy_collapse(m: Metrics) -> float | None:
    """The quietest whole week's member-days / the median whole week's (3+ weeks).

    Member-days (each member's active days, summed) fall with the time people have; distinct
    active members hardly move when everyone still drops in once.
    """
    days = {p.start: p.active for p in m.daily}
    weeks = [
        sum(days.get(w.start + dt.timedelta(days=d), 0) for d in range(7))
        for w in m.weekly
        if w.days == 7
    ]
    if len(weeks) >= 3 and statistics.median(weeks) > 0:
        return min(weeks) / statistics.median(weeks)
    return None


def _primary_breached(signals: list[Signal]) -> bool:
    return any(s.breached and not s.supporting for s in signals)


def explained_elsewhere(m: Metrics) -> bool:
    """Few active days that newcomers' drop-out (complicated) or few creators at every tenure
    (unclear benefit) already explain: quitters and mere readers come on fewer days."""
    return _primary_breached(complicated(m)) or _primary_breached(unclear_benefit(m))


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
            supporting=lapses_along(m),
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
    return [
        Signal(
            "headline.active_days_per_week",
            m.headline.active_days_per_week,
            t.active_days_per_week,
            BELOW,
            percent=False,
            trend=_trend(m, "active_days_per_week"),
            supporting=explained_elsewhere(m),
        ),
        Signal("weekly.collapse", busy_collapse(m), t.busy_collapse, BELOW),
    ]


def training(m: Metrics) -> list[Signal]:
    t = m.settings.diagnosis
    decided = _decided(m)
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
                ABOVE,
                params={"step": f"{worst.checklist}/{worst.step}"},
            )
        ]
    ratio, established = creator_ratio(m)
    c = m.contrasts
    # where established members hardly contribute either, there is no rate to train towards:
    # few creators at every tenure is the unclear benefit
    few = _primary_breached(unclear_benefit(m))
    return [
        Signal(
            "newcomers.creator_ratio",
            ratio,
            t.newcomer_creator_ratio,
            BELOW,
            reference=established,
            params={"stayed": _pct(c.stayed_creator_share if c else None)},
            supporting=few,
        )
    ]


def unclear_benefit(m: Metrics) -> list[Signal]:
    t = m.settings.diagnosis
    c = m.contrasts
    return [
        Signal(
            "established.creator_share",
            established_creators(m),
            t.creator_share,
            BELOW,
            trend=_trend(m, "creator_share"),
            reference=c.stayed_creator_share if c else None,
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
        Signal(
            "headline.helping_share",
            m.headline.helping_share,
            t.helping_share,
            BELOW,
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
    if metrics.headline.active_members < metrics.settings.diagnosis.min_active_members:
        return []
    fired: list[tuple[str, Reason, list[Signal], Severity]] = []
    for rule_id, (reason, rule) in RULES.items():
        signals = rule(metrics)
        level = severity(signals)
        if level is not None:
            fired.append((rule_id, reason, signals, level))
    named = {reason for _, reason, _, _ in fired}
    findings = []
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
    "DROPOUT_MULTIPLE",
    "RULES",
    "busy_collapse",
    "creator_ratio",
    "dropout_excess",
    "established_creators",
    "explained_elsewhere",
    "lapses_along",
    "leader_ratio",
    "playbook",
    "sort_findings",
]

"""Why not the others: the contrast that rules out each neighbouring reason.

Reasons that share a symptom are neighbours (see docs/playbook.md). A finding names the
neighbours it is not, each with the figure that separates the two: the neighbour's own deciding
contrast, within its watch band. A neighbour that fired as well is not ruled out, and one whose
figure cannot be judged (too few members) is left unmentioned.

A rule names its reason only when a small group's share is beyond the band at the end of its
chance interval that argues *against* the reason; a neighbour is ruled out only when its figure
is within the band at the end that argues *for* it. Between the two, chance in a group that
size could hide either, so the neighbour is neither named nor ruled out: 21 newcomers who
stayed, 3 of them contributing against 17 % of established members, do not show a training gap
and do not show there is none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..analytics.model import Metrics
from ..analytics.settings import BAND_DIRECTIONS, BELOW, DiagnosisThresholds
from ..findings import Reason, RuledOut
from .figures import (
    busy_collapse,
    creator_ratio,
    days_a_week_open,
    dropout_excess,
    established_creators,
    leader_ratio,
)
from .texts import RULED_OUT, localise

Figure = Callable[[Metrics], tuple[float | None, float | None, float | None]]
"""Metrics -> (value shown, reference shown, the figure the neighbour's band judges)."""


@dataclass(frozen=True)
class Contrast:
    metric: str
    band: str
    """The ``[analytics.diagnosis]`` band the judged figure is within."""
    figure: Figure
    percent: bool = True

    def within(self, judged: float, t: DiagnosisThresholds) -> bool:
        edge = float(getattr(t, self.band).watch)
        return judged >= edge if BAND_DIRECTIONS[self.band] == BELOW else judged <= edge

    def show(self, x: float | None, lang: str) -> str:
        if x is None:
            return "-"
        return localise(f"{x:.0%}" if self.percent else f"{x:.1f}", lang)


def _complicated(m: Metrics) -> tuple[float | None, float | None, float | None]:
    excess, lapse = dropout_excess(m, ruling_out=True)
    return m.newcomers.dropout, lapse, excess


def _no_time(m: Metrics) -> tuple[float | None, float | None, float | None]:
    days = m.headline.active_days_per_week
    collapse = busy_collapse(m)
    t = m.settings.diagnosis
    # the days rule no time out only when no week collapsed either
    if collapse is not None and collapse < t.busy_collapse.watch:
        return days, None, None
    # judged over the weeks the organisation was open, as the rule reads it; printed as published
    return days, None, days_a_week_open(m)[0]


def _training(m: Metrics) -> tuple[float | None, float | None, float | None]:
    ratio, established = creator_ratio(m, ruling_out=True)
    stayed = m.contrasts.stayed_creator_share if m.contrasts else None
    return stayed, established, ratio


def _unclear(m: Metrics) -> tuple[float | None, float | None, float | None]:
    share = established_creators(m)
    return share, m.contrasts.stayed_creator_share if m.contrasts else None, share


def _closed(m: Metrics) -> tuple[float | None, float | None, float | None]:
    ratio = leader_ratio(m, ruling_out=True)
    return ratio, None, ratio


CONTRASTS: dict[Reason, Contrast] = {
    Reason.COMPLICATED: Contrast("newcomers.dropout_excess", "dropout_excess", _complicated),
    Reason.NO_TIME: Contrast(
        "headline.active_days_per_week", "active_days_per_week", _no_time, percent=False
    ),
    Reason.TRAINING: Contrast("newcomers.creator_ratio", "newcomer_creator_ratio", _training),
    Reason.UNCLEAR_BENEFIT: Contrast("established.creator_share", "creator_share", _unclear),
    Reason.CLOSED_CULTURE: Contrast("leaders.participation_ratio", "leader_ratio", _closed),
}
"""Per reason, the contrast that shows it is not at work."""

NEIGHBOURS: dict[Reason, tuple[Reason, ...]] = {
    Reason.COMPLICATED: (Reason.TRAINING, Reason.NO_TIME),
    Reason.NO_TIME: (Reason.COMPLICATED, Reason.UNCLEAR_BENEFIT, Reason.CLOSED_CULTURE),
    Reason.TRAINING: (Reason.COMPLICATED, Reason.UNCLEAR_BENEFIT),
    Reason.UNCLEAR_BENEFIT: (Reason.TRAINING, Reason.CLOSED_CULTURE, Reason.NO_TIME),
    Reason.CLOSED_CULTURE: (Reason.UNCLEAR_BENEFIT, Reason.NO_TIME),
}
"""Reasons that share a symptom with each reason (docs/playbook.md says which)."""


def ruled_out(
    metrics: Metrics, reason: Reason, named: set[Reason], lang: str
) -> tuple[RuledOut, ...]:
    """The neighbours of ``reason`` that the metrics rule out, with sentences in ``lang``."""
    t = metrics.settings.diagnosis
    out = []
    for neighbour in NEIGHBOURS.get(reason, ()):
        if neighbour in named:
            continue
        contrast = CONTRASTS[neighbour]
        value, reference, judged = contrast.figure(metrics)
        if judged is None or not contrast.within(judged, t):
            continue
        text = RULED_OUT[neighbour][lang].format(
            value=contrast.show(value, lang), reference=contrast.show(reference, lang)
        )
        out.append(
            RuledOut(
                reason=neighbour,
                metric=contrast.metric,
                value=value,
                reference=reference,
                text=text,
            )
        )
    return tuple(out)


__all__ = ["CONTRASTS", "NEIGHBOURS", "Contrast", "ruled_out"]

"""Scores per reason, organisation-wide and per unit, as published and as stored.

Each statement's answers are tallied per role (staff, leader) and unit. A unit's score is shown
only when at least ``min_respondents`` answered it; and since the organisation-wide score is
shown too, the hidden parts of it (small units and the answers without a unit label) must
together be none, or at least ``min_respondents`` answers from at least two parts, or the
answers without a unit label alone: until they are, the next-smallest shown unit is hidden as
well (complementary suppression), so that overall minus the shown units never reveals a
hidden unit. Counts of respondents pass the disclosure layer (perturbed, never exact); the
agreement share (to a whole percent), its Wilson interval and the mean (to one decimal) are
those of the shown cell's own answers: a cell is shown only for at least ``min_respondents``
people, and what the shown cells leave over is itself at least that many.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ..findings import Reason
from .model import SurveyWave
from .store import Tally

Z = 1.96
"""The normal quantile of the 95 % interval."""
RESIDUAL = None
"""The "unit" of the answers that carry no unit label."""

UnitRole = tuple[str | None, str]


class CountPublisher(Protocol):
    """What results need from the disclosure layer (:class:`e20kit.disclosure.Disclosure`)."""

    @property
    def k(self) -> int: ...

    def count(self, cell: str, value: int | None) -> int | None: ...


@dataclass(frozen=True)
class ReasonScore:
    """The answers to one statement: how many answered, the share agreeing (4-5) with its 95 %
    Wilson interval, and the mean score (1-5). All ``None`` when the cell is hidden."""

    respondents: int | None
    agree_share: float | None
    mean: float | None
    low: float | None
    high: float | None
    complementary: bool = False
    """Hidden although enough answered: else a smaller hidden part could be computed."""

    @property
    def hidden(self) -> bool:
        return self.respondents is None


HIDDEN = ReasonScore(None, None, None, None, None)
COMPLEMENT = ReasonScore(None, None, None, None, None, complementary=True)


@dataclass(frozen=True)
class SurveyResults:
    """One wave's scores; ``published`` says whether they passed the disclosure layer."""

    wave: SurveyWave
    min_respondents: int
    overall: dict[tuple[str, Reason], ReasonScore]
    units: dict[tuple[str, str, Reason], ReasonScore]
    response_rate: dict[UnitRole, float | None] = field(default_factory=dict)
    """(unit or ``None`` for the whole organisation, role) -> responses / invitations, where
    invitations are known (``survey send``) and both counts are shown."""
    respondents: dict[UnitRole, int | None] = field(default_factory=dict)
    """(unit or ``None``, role) -> responses (any statement answered)."""
    published: bool = True

    @property
    def empty(self) -> bool:
        return not self.respondents


def wilson(agree: int, n: int, z: float = Z) -> tuple[float, float] | None:
    """The Wilson score interval of ``agree`` out of ``n`` (``None`` without answers)."""
    if n <= 0:
        return None
    p = min(1.0, max(0.0, agree / n))
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def to_hide(sizes: Mapping[str, int], residual: int, minimum: int) -> set[str]:
    """Units whose score is hidden: under ``minimum``, then the smallest shown ones until the
    hidden parts (hidden units plus the ``residual`` without a label) are none, or at least
    ``minimum`` answers from two or more parts, or the residual alone with ``minimum``."""
    out = {u for u, n in sizes.items() if n < minimum}
    shown = sorted((u for u in sizes if u not in out), key=lambda u: (sizes[u], u))

    def safe() -> bool:
        parts = len(out) + (1 if residual else 0)
        total = sum(sizes[u] for u in out) + residual
        return parts == 0 or (total >= minimum and (parts >= 2 or not out))

    while shown and not safe():
        out.add(shown.pop(0))
    return out


def _score(answered: int, agree: int, score_sum: int, *, digits: int | None) -> ReasonScore:
    interval = wilson(agree, answered)
    if interval is None:
        return ReasonScore(answered, None, None, None, None)
    share, mean = agree / answered, score_sum / answered
    low, high = interval
    if digits is not None:
        share, mean = round(share, 4), round(mean, digits)
        low, high = round(low, 4), round(high, 4)
    return ReasonScore(answered, share, mean, low, high)


def _sum(rows: list[Tally]) -> tuple[int, int, int]:
    return (
        sum(t.answered for t in rows),
        sum(t.agree for t in rows),
        sum(t.score_sum for t in rows),
    )


def raw_results(
    wave: SurveyWave,
    rows: list[Tally],
    respondents: Mapping[UnitRole, int],
    invited: Mapping[UnitRole, int],
    minimum: int,
) -> SurveyResults:
    """Exact scores of every cell, small ones included: for the diagnosis only."""
    overall: dict[tuple[str, Reason], ReasonScore] = {}
    units: dict[tuple[str, str, Reason], ReasonScore] = {}
    for (role, reason), group in _by_role_reason(rows).items():
        overall[(role, reason)] = _score(*_sum(group), digits=None)
        for t in group:
            if t.unit is not None:
                units[(t.unit, role, reason)] = _score(
                    t.answered, t.agree, t.score_sum, digits=None
                )
    counts: dict[UnitRole, int | None] = dict(_with_overall(respondents))
    rates: dict[UnitRole, float | None] = {}
    for key, n in _with_overall(invited).items():
        got = counts.get(key) or 0
        rates[key] = min(1.0, got / n) if n else None
    return SurveyResults(wave, minimum, overall, units, rates, counts, published=False)


def published_results(
    wave: SurveyWave,
    rows: list[Tally],
    respondents: Mapping[UnitRole, int],
    invited: Mapping[UnitRole, int],
    minimum: int,
    layer: CountPublisher,
) -> SurveyResults:
    """The scores as a report may show them: hidden cells ``None``, counts perturbed."""
    minimum = max(minimum, layer.k)
    prefix = f"survey/{wave.wave_id}"
    overall: dict[tuple[str, Reason], ReasonScore] = {}
    units: dict[tuple[str, str, Reason], ReasonScore] = {}

    def publish(cell: str, answered: int, agree: int, score_sum: int) -> ReasonScore:
        # the cell names no reason: the same true count reads the same for every statement, so
        # averaging five perturbed counts gains nothing
        n = layer.count(f"{prefix}/{cell}/answered", answered)
        if n is None or answered < minimum:
            return HIDDEN
        low, high = wilson(agree, answered) or (None, None)
        share, mean = round(agree / answered, 2), round(score_sum / answered, 1)
        return ReasonScore(n, share, mean, _round(low, 2), _round(high, 2))

    for (role, reason), group in _by_role_reason(rows).items():
        answered, agree, total = _sum(group)
        overall[(role, reason)] = publish(role, answered, agree, total)
        sizes = {t.unit: t.answered for t in group if t.unit is not None}
        residual = sum(t.answered for t in group if t.unit is None)
        hide = set(sizes) if overall[(role, reason)].hidden else to_hide(sizes, residual, minimum)
        for t in group:
            if t.unit is None:
                continue
            key = (t.unit, role, reason)
            if t.unit not in hide:
                units[key] = publish(f"{role}/{t.unit}", t.answered, t.agree, t.score_sum)
            else:
                units[key] = COMPLEMENT if t.answered >= minimum else HIDDEN
    counts, rates = _published_counts(prefix, respondents, invited, minimum, layer)
    return SurveyResults(wave, minimum, overall, units, rates, counts, published=True)


def _published_counts(
    prefix: str,
    respondents: Mapping[UnitRole, int],
    invited: Mapping[UnitRole, int],
    minimum: int,
    layer: CountPublisher,
) -> tuple[dict[UnitRole, int | None], dict[UnitRole, float | None]]:
    """Responses per unit and role (suppressed as the scores are) and the response rates."""
    counts: dict[UnitRole, int | None] = {}
    for role in sorted({r for _, r in respondents}):
        sizes = {u: n for (u, r), n in respondents.items() if r == role and u is not None}
        residual = respondents.get((None, role), 0)
        total = sum(sizes.values()) + residual
        shown_total = total >= minimum
        hide = set(sizes) if not shown_total else to_hide(sizes, residual, minimum)
        counts[(None, role)] = (
            layer.count(f"{prefix}/{role}/responses", total) if shown_total else None
        )
        for unit, n in sizes.items():
            counts[(unit, role)] = (
                None if unit in hide else layer.count(f"{prefix}/{role}/{unit}/responses", n)
            )
    rates: dict[UnitRole, float | None] = {}
    for (label, role), n in _with_overall(invited).items():
        got = counts.get((label, role))
        sent = layer.count(f"{prefix}/{role}/{label or ''}/invited", n)
        rates[(label, role)] = (
            _round(min(1.0, got / sent)) if got is not None and sent and n >= minimum else None
        )
    return counts, rates


def _with_overall(by_unit: Mapping[UnitRole, int]) -> dict[UnitRole, int]:
    """``by_unit`` keyed (unit, role) with the per-role totals under (``None``, role); the
    residual without a unit label only counts towards the total."""
    out: dict[UnitRole, int] = {}
    for (unit, role), n in by_unit.items():
        out[(None, role)] = out.get((None, role), 0) + n
        if unit is not None:
            out[(unit, role)] = n
    return out


def _by_role_reason(rows: list[Tally]) -> dict[tuple[str, Reason], list[Tally]]:
    out: dict[tuple[str, Reason], list[Tally]] = {}
    for t in rows:
        out.setdefault((t.role, Reason(t.reason)), []).append(t)
    return out


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


__all__ = [
    "HIDDEN",
    "ReasonScore",
    "SurveyResults",
    "published_results",
    "raw_results",
    "to_hide",
    "wilson",
]

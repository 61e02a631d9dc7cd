"""How far any rule can get on a benchmark family: the ceilings the families themselves set.

A rule sees an organisation only through what it measures. A mild plant whose figure lies inside
the range that healthy organisations show cannot be told from them: a rule that flags it flags
the healthy organisations with the same figure as well. Two ceilings follow from that, both
optimistic (the edges are chosen after seeing every healthy organisation):

- **knob ceiling**, per family, from the generators' own parameters (no store needed): the mild
  plants whose reason's knobs, among those that vary between healthy organisations, lie beyond
  every healthy organisation of the family. It is the recall of rules reading those knobs one
  at a time, measured without sampling noise (infinitely many members).
- **measured ceiling**, from the benchmark's outcomes: the mild plants whose figures the rules
  read lie beyond every healthy organisation's, first within their own family, then across all
  families together (one rule must serve every family). It includes the sampling noise of the
  groups actually measured.

A plant can also move knobs that are the same in every healthy organisation of a generator
(:func:`fixed_knobs`). Such a knob separates perfectly inside that generator and tells nothing
about a real organisation, whose healthy state varies there too; a rule reading it would be
fitted to the generator, which is what issue 27 warns against. Neither ceiling counts them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

BELOW, ABOVE = "<", ">"

Reading = tuple[Callable[[Mapping[str, Any]], float], str]
"""How one knob (or a combination the plant moves together) reads, and the direction a plant
moves it in."""


def _knob(name: str, direction: str) -> Reading:
    return (lambda k: float(k[name])), direction


SANDBOX: dict[str, dict[str, Reading]] = {
    "complicated": {
        "newcomer drop-out": _knob("newcomer_dropout", ABOVE),
        "feature spread": _knob("feature_spread", BELOW),
    },
    "no_time": {"active days per member": _knob("active_days_per_member", BELOW)},
    "training": {
        "newcomers' creator share / established": (
            lambda k: float(k["newcomer_creator_share"]) / float(k["creator_share"]),
            BELOW,
        ),
    },
    "unclear_benefit": {
        "creator share": _knob("creator_share", BELOW),
        "newcomers' creator share": _knob("newcomer_creator_share", BELOW),
        "heavy contributors": _knob("heavy_share", BELOW),
    },
    "closed_culture": {
        "leaders' participation": _knob("leaders_participation", BELOW),
        "reply share": _knob("reply_share", BELOW),
    },
}
"""The sandbox suite's plants (:func:`e20kit.sandbox.suite._plant`), by the knobs with healthy
variety each one moves."""

RESAMPLED: dict[str, dict[str, Reading]] = {
    "complicated": {
        "newcomer drop-out": _knob("newcomer_dropout", ABOVE),
        "contribution chance": _knob("contribute", BELOW),
        "second platform": _knob("second_platform", BELOW),
    },
    "no_time": {
        # the plant stretches the gaps between visits; a member's pace is lognormal around
        # days_per_week, so the mean pace also grows with its spread
        "days a week": (
            lambda k: (
                float(k["days_per_week"])
                * math.exp(float(k["pace_spread"]) ** 2 / 2)
                / float(k["stretch"])
            ),
            BELOW,
        ),
    },
    "training": {"newcomers' creator share / established": _knob("newcomer_creators", BELOW)},
    "unclear_benefit": {"creator share": _knob("creators", BELOW)},
    "closed_culture": {
        "helping": _knob("helping", BELOW),
        "leaders' pace": _knob("leaders", BELOW),
        "leaders absent": _knob("leader_absent", ABOVE),
    },
}
"""The resampled family's plants (:func:`benchmarks.resampled._plant`), the same way."""


def _beyond(value: float, edge: float, direction: str) -> bool:
    return value < edge if direction == BELOW else value > edge


def _edge(values: Iterable[float], direction: str) -> float:
    """The most extreme healthy value in the direction a plant moves the figure."""
    return min(values) if direction == BELOW else max(values)


def _count(hits: Sequence[bool]) -> str:
    return f"{sum(hits)} of {len(hits)}"


def knob_ceiling(
    specs: Sequence[Any], readings: Mapping[str, Mapping[str, Reading]]
) -> dict[str, Any]:
    """Per reason: the mild (and clear) plants beyond every healthy organisation of ``specs`` on
    at least one of the reason's varying knobs, and how many each knob alone puts there."""
    healthy = [s.knobs for s in specs if s.reason is None]
    out: dict[str, Any] = {}
    for reason, knobs in readings.items():
        edges = {
            label: _edge((read(k) for k in healthy), direction)
            for label, (read, direction) in knobs.items()
        }
        row: dict[str, Any] = {}
        for strength in ("mild", "clear"):
            plants = [s.knobs for s in specs if s.reason == reason and s.strength == strength]
            beyond = {
                label: [_beyond(read(k), edges[label], direction) for k in plants]
                for label, (read, direction) in knobs.items()
            }
            row[strength] = _count([any(hits) for hits in zip(*beyond.values(), strict=True)])
            if strength == "mild":
                row["mild_by_knob"] = {label: _count(hits) for label, hits in beyond.items()}
        row["fixed_in_healthy"] = fixed_knobs(specs, reason)
        out[reason] = row
    return out


def fixed_knobs(specs: Sequence[Any], reason: str) -> list[str]:
    """The knobs a plant of ``reason`` moves that are the same in every healthy organisation
    (or absent there): separating inside the generator, telling nothing about a real one."""
    healthy = [s.knobs for s in specs if s.reason is None]
    moved = {name for s in specs if s.reason == reason for name in s.knobs}
    fixed = set()
    for name in moved:
        seen = {k.get(name) for k in healthy}
        if len(seen) == 1 and any(
            s.knobs.get(name) not in seen for s in specs if s.reason == reason
        ):
            fixed.add(name)
    return sorted(fixed)


def measured_ceiling(outcomes: Sequence[Any]) -> dict[str, Any]:
    """Per reason and family: the mild plants with at least one figure the reason's rules read
    beyond every healthy organisation, of their own family (``alone``) and of all families
    (``together``), beside the mild plants the rules found.

    ``outcomes`` carry ``family``, ``planted``, ``strength``, ``named``, ``figures`` and
    ``reads`` (figure, reason, direction: which rule reads each figure, and which way).
    """
    reads: dict[str, set[tuple[str, str]]] = {}
    for o in outcomes:
        for figure, reason, direction in o.reads:
            reads.setdefault(figure, set()).add((reason, direction))
    families = sorted({o.family for o in outcomes})
    healthy = [o for o in outcomes if o.planted is None]

    def edges(among: Sequence[Any]) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for figure, readers in reads.items():
            values = [o.figures[figure] for o in among if o.figures.get(figure) is not None]
            for _, direction in readers:
                if values:
                    out.setdefault(figure, {})[direction] = _edge(values, direction)
        return out

    together = edges(healthy)
    alone = {f: edges([o for o in healthy if o.family == f]) for f in families}

    def beyond(o: Any, reason: str, edge: Mapping[str, Mapping[str, float]]) -> bool:
        return any(
            o.figures.get(figure) is not None
            and direction in edge.get(figure, {})
            and _beyond(o.figures[figure], edge[figure][direction], direction)
            for figure, readers in reads.items()
            for r, direction in readers
            if r == reason
        )

    result: dict[str, Any] = {}
    for reason in sorted({r for readers in reads.values() for r, _ in readers}):
        result[reason] = {}
        for family in families:
            mild = [
                o
                for o in outcomes
                if o.family == family and o.planted == reason and o.strength == "mild"
            ]
            if not mild:
                continue
            result[reason][family] = {
                "alone": _count([beyond(o, reason, alone[family]) for o in mild]),
                "together": _count([beyond(o, reason, together) for o in mild]),
                "found": _count([reason in o.named for o in mild]),
            }
    return result

"""``stated``: the diagnosis with behaviour alone against behaviour beside a survey (issue 23).

Each organisation is diagnosed from its usage (the playbook), then its members answer the pulse
survey as :func:`e20kit.sandbox.answers.survey_answers` makes them (in line with the planted
reason, with a response rate well below 100 %, leaders naming other reasons than staff), and
:func:`e20kit.diagnose.stated.combine` reads both. Two families:

- ``presets``: the sandbox presets (:data:`e20kit.sandbox.PRESETS`, 300 members, 120 days) and
  milder forms of them where behaviour alone is undecided or confused (:data:`HARD`);
- ``suite``: the labelled suite of :mod:`e20kit.sandbox.suite` (healthy, mild and clear plants,
  200 to 3,000 members), where behaviour alone leaves some plants undecided or confused.

Seeds: ``tuning`` (looked at while :data:`~e20kit.diagnose.stated.SAID` and the answer model
were set) and ``scored`` (looked at once, after). Per set: how each organisation reads before
and after (``right``: the planted reason named and no other; ``undecided``; ``confused``: a
wrong reason named; ``missed``: nothing named; healthy ``clean`` or ``flagged``), the plants
named before and after, the ones the survey decided or re-read, correct findings the survey
flipped (must be 0) and healthy organisations flagged (must stay 0), ``readings`` per
organisation ("confused -> right"). ``cases`` quotes the titles
before and after for every organisation whose reading changed. A reason counts as named by a
finding that is not ``info``: a disagreement ("staff say they have no time; their use shows time
is not what is missing") and the leaders-staff comparison are ``info`` and name nothing, while
"staff say they lack training; the usage data cannot show whether it is so" names training on
the survey's evidence where the usage data cannot judge.

Set ``E20KIT_BENCH_CACHE`` to a folder to keep the generated stores between runs.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TUNING = {"presets": (1, 2, 3), "suite": (1, 2)}
"""Seeds looked at while the thresholds and the answer model were set."""
SCORED = {"presets": (7, 8, 9), "suite": (7, 8)}
"""Seeds looked at once, after."""
ANSWER_SEED = 11
"""Seed of the answers (the organisation's own seed varies them per organisation)."""


@dataclass(frozen=True)
class Case:
    name: str
    planted: str | None
    strength: str
    before: str
    after: str
    titles_before: tuple[str, ...]
    titles_after: tuple[str, ...]


HARD: dict[str, tuple[str, int, dict[str, Any]]] = {
    "training_weak": (
        "training",
        450,
        {"creator_share": 0.17, "newcomer_creator_share": 0.03, "newcomer_share": 0.25},
    ),
    "unclear_benefit_weak": (
        "unclear_benefit",
        450,
        {"creator_share": 0.14, "newcomer_creator_share": 0.03, "newcomer_share": 0.25},
    ),
    "unclear_benefit_mild": (
        "unclear_benefit",
        600,
        {"creator_share": 0.13, "newcomer_creator_share": 0.08, "newcomer_share": 0.15},
    ),
    "closed_culture_mild": (
        "closed_culture",
        600,
        {"leaders_participation": 0.8, "reply_share": 0.3},
    ),
}
"""Milder forms of the presets where behaviour alone leaves the reason undecided or reads a
neighbour (few creators at every tenure with newcomers far behind: training or unclear benefit;
an unclear benefit whose quiet weeks read as no time). Their members answer as in a mild plant."""


@dataclass(frozen=True)
class _Preset:
    """A sandbox preset (or one of :data:`HARD`) as a labelled organisation."""

    preset: str
    seed: int

    @property
    def name(self) -> str:
        return f"{self.preset}-{self.seed}"

    @property
    def reason(self) -> str | None:
        if self.preset in HARD:
            return HARD[self.preset][0]
        return {"healthy": None, "too_little_training": "training"}.get(self.preset, self.preset)

    @property
    def strength(self) -> str:
        return "mild" if self.preset in HARD else "clear"

    days = 120
    platforms = ("mattermost", "confluence", "sharepoint")

    def build(self) -> Any:
        from e20kit.sandbox import build_org

        if self.preset in HARD:
            _, members, knobs = HARD[self.preset]
            return build_org(self.seed, members=members, **knobs)
        return build_org(self.seed, preset=self.preset)


def _named(findings: Iterable[Any]) -> set[str]:
    from e20kit.diagnose.stated import STATED

    return {
        str(f.reason)
        for f in findings
        if f.reason in STATED and not f.undecided and str(f.severity) != "info"
    }


def _quote(f: Any) -> str:
    """A finding as the before/after table quotes it: title [severity; evidence]."""
    return f"{f.title} [{f.severity.value}; {'+'.join(f.rests_on) or 'usage'}]"


def reading(planted: str | None, findings: Sequence[Any]) -> str:
    """``right``, ``undecided``, ``confused``, ``missed`` (plants); ``clean``, ``flagged``."""
    named = _named(findings)
    if planted is None:
        return "flagged" if named else "clean"
    if named - {planted}:
        return "confused"
    if planted in named:
        return "right"
    return "undecided" if any(f.undecided for f in findings) else "missed"


def _metrics(spec: Any, org: Any, folder: Path) -> Any:
    import hashlib

    from e20kit.analytics import compute_metrics, parse_period
    from e20kit.sandbox.suite import store_org
    from e20kit.store import create_engine

    path = folder / f"{spec.name}-{hashlib.sha256(repr(spec).encode()).hexdigest()[:12]}.sqlite"
    fresh = not path.exists()
    engine = create_engine(f"sqlite:///{path}")
    try:
        if fresh:
            store_org(engine, org, platforms=spec.platforms)
        return compute_metrics(
            engine, parse_period(f"last-{spec.days}d", today=org.end), onboarding=False
        )
    finally:
        engine.dispose()


def evaluate(specs: Iterable[Any], folder: Path) -> list[Case]:
    from e20kit.diagnose import playbook
    from e20kit.diagnose.stated import Stated, combine
    from e20kit.sandbox.answers import survey_answers
    from e20kit.sandbox.suite import STRENGTHS

    out = []
    for spec in specs:
        org = spec.build()
        metrics = _metrics(spec, org, folder)
        findings = playbook(metrics)
        strength = STRENGTHS.get(spec.strength, 0.0)
        answers = survey_answers(org, spec.reason or "healthy", strength=strength, seed=ANSWER_SEED)
        combined = combine(findings, Stated.of_answers(answers), metrics)
        out.append(
            Case(
                name=spec.name,
                planted=spec.reason,
                strength=spec.strength,
                before=reading(spec.reason, findings),
                after=reading(spec.reason, combined),
                titles_before=tuple(_quote(f) for f in findings),
                titles_after=tuple(_quote(f) for f in combined),
            )
        )
    return out


def _of(cases: Sequence[Case], *, before: str, after: str | None = None) -> str:
    """ "n of m": of the cases that read ``before``, how many read ``after`` (all when None)."""
    were = [c for c in cases if c.before == before]
    now = [c for c in were if after is None or c.after == after]
    return f"{len(now)} of {len(were)}"


def _per_reason(cases: Sequence[Case], reason: str) -> dict[str, dict[str, int]]:
    mine = [c for c in cases if (c.planted or "healthy") == reason]
    return {
        "before": dict(Counter(c.before for c in mine)),
        "after": dict(Counter(c.after for c in mine)),
    }


def score(cases: Sequence[Case]) -> dict[str, Any]:
    plants = [c for c in cases if c.planted is not None]
    healthy = [c for c in cases if c.planted is None]
    n_healthy = len(healthy)
    moves = Counter(f"{c.before} -> {c.after}" for c in cases)
    return {
        "organisations": len(cases),
        "plants_named_before": f"{sum(c.before == 'right' for c in plants)} of {len(plants)}",
        "plants_named_after": f"{sum(c.after == 'right' for c in plants)} of {len(plants)}",
        "undecided_decided": _of(plants, before="undecided", after="right"),
        "confused_reread": _of(plants, before="confused", after="right"),
        "missed_named": _of(plants, before="missed", after="right"),
        "correct_flipped": sum(c.before == "right" and c.after != "right" for c in plants),
        "healthy_flagged_before": f"{sum(c.before == 'flagged' for c in healthy)} of {n_healthy}",
        "healthy_flagged_after": f"{sum(c.after == 'flagged' for c in healthy)} of {n_healthy}",
        "moves": dict(sorted(moves.items())),
        "readings": {c.name: f"{c.before} -> {c.after}" for c in cases},
        "per_reason": {
            reason: _per_reason(cases, reason)
            for reason in sorted({c.planted or "healthy" for c in cases})
        },
        "cases": [
            {
                "name": c.name,
                "before": f"{c.before}: {' | '.join(c.titles_before) or '-'}",
                "after": f"{c.after}: {' | '.join(c.titles_after) or '-'}",
            }
            for c in cases
            if c.before != c.after or c.titles_before != c.titles_after
        ],
    }


def _specs(family: str, seed: int) -> list[Any]:
    from e20kit.sandbox import PRESETS
    from e20kit.sandbox.suite import diagnosis_suite

    if family == "presets":
        return [_Preset(preset, seed) for preset in [*PRESETS, *HARD]]
    return diagnosis_suite(seed)


def run() -> dict[str, Any]:
    started = time.perf_counter()
    quality: dict[str, Any] = {}
    cache = os.environ.get("E20KIT_BENCH_CACHE")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(cache) if cache else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for family in ("presets", "suite"):
            quality[family] = {}
            for name, sets in (("tuning", TUNING), ("scored", SCORED)):
                cases = [c for seed in sets[family] for c in evaluate(_specs(family, seed), folder)]
                quality[family][name] = {"seeds": list(sets[family]), **score(cases)}
    quality["seconds"] = round(time.perf_counter() - started, 1)
    return {"stated_quality": quality}

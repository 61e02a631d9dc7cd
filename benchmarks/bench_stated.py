"""``stated``: the diagnosis with behaviour alone against behaviour beside a survey (issue 23).

Each organisation is diagnosed from its usage (the playbook), then its members answer the pulse
survey as :func:`e20kit.sandbox.answers.survey_answers` makes them (in line with the planted
reason, with a response rate well below 100 %, leaders naming other reasons than staff), and
:func:`e20kit.diagnose.stated.combine` reads both. Two families:

- ``presets``: the sandbox presets (:data:`e20kit.sandbox.PRESETS`, 300 members, 120 days);
- ``suite``: the labelled suite of :mod:`e20kit.sandbox.suite` (healthy, mild and clear plants,
  200 to 3,000 members), where behaviour alone leaves some plants undecided or confused.

Seeds: ``tuning`` (looked at while :data:`~e20kit.diagnose.stated.SAID` and the answer model
were set) and ``scored`` (looked at once, after). Per set: how each organisation reads before
and after (``right``: the planted reason named and no other; ``undecided``; ``confused``: a
wrong reason named; ``missed``: nothing named; healthy ``clean`` or ``flagged``), the plants
named before and after, the ones the survey decided or re-read, correct findings the survey
flipped (must be 0) and healthy organisations flagged (must stay 0). ``cases`` quotes the titles
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


@dataclass(frozen=True)
class _Preset:
    """A sandbox preset as a labelled organisation."""

    preset: str
    seed: int

    @property
    def name(self) -> str:
        return f"{self.preset}-{self.seed}"

    @property
    def reason(self) -> str | None:
        return {"healthy": None, "too_little_training": "training"}.get(self.preset, self.preset)

    strength = "clear"
    days = 120
    platforms = ("mattermost", "confluence", "sharepoint")

    def build(self) -> Any:
        from e20kit.sandbox import build_org

        return build_org(self.seed, preset=self.preset)


def _named(findings: Iterable[Any]) -> set[str]:
    from e20kit.diagnose.stated import STATED

    return {
        str(f.reason)
        for f in findings
        if f.reason in STATED and not f.undecided and str(f.severity) != "info"
    }


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
        answers = survey_answers(
            org, spec.reason or "healthy", strength=STRENGTHS[spec.strength]
            if spec.strength in STRENGTHS else 0.0, seed=ANSWER_SEED
        )
        combined = combine(findings, Stated.of_answers(answers), metrics)
        out.append(
            Case(
                name=spec.name,
                planted=spec.reason,
                strength=spec.strength,
                before=reading(spec.reason, findings),
                after=reading(spec.reason, combined),
                titles_before=tuple(f.title for f in findings),
                titles_after=tuple(f.title for f in combined),
            )
        )
    return out


def score(cases: Sequence[Case]) -> dict[str, Any]:
    plants = [c for c in cases if c.planted is not None]
    healthy = [c for c in cases if c.planted is None]
    moves = Counter(f"{c.before} -> {c.after}" for c in cases)
    return {
        "organisations": len(cases),
        "plants_named_before": f"{sum(c.before == 'right' for c in plants)} of {len(plants)}",
        "plants_named_after": f"{sum(c.after == 'right' for c in plants)} of {len(plants)}",
        "undecided_decided": f"{sum(c.before == 'undecided' and c.after == 'right' for c in plants)}"
        f" of {sum(c.before == 'undecided' for c in plants)}",
        "confused_reread": f"{sum(c.before == 'confused' and c.after == 'right' for c in plants)}"
        f" of {sum(c.before == 'confused' for c in plants)}",
        "correct_flipped": sum(c.before == "right" and c.after != "right" for c in plants),
        "healthy_flagged_before": f"{sum(c.before == 'flagged' for c in healthy)} of {len(healthy)}",
        "healthy_flagged_after": f"{sum(c.after == 'flagged' for c in healthy)} of {len(healthy)}",
        "moves": dict(sorted(moves.items())),
        "per_reason": {
            reason: {
                "before": dict(Counter(c.before for c in cases if (c.planted or "healthy") == reason)),
                "after": dict(Counter(c.after for c in cases if (c.planted or "healthy") == reason)),
            }
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
        return [_Preset(preset, seed) for preset in PRESETS]
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

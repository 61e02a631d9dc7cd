"""The diagnosis decides on the store's raw figures: the disclosure layer's perturbation of
published figures never feeds back into a rule (findings still leave through the layer)."""

from __future__ import annotations

from typing import Any

from e20kit import Kit, hookimpl
from e20kit.sandbox import build_org
from e20kit.store import create_engine

from .orgstore import load_org


class Seen:
    """A diagnosis plugin that records the figures the rules are given."""

    def __init__(self) -> None:
        self.metrics: list[Any] = []

    @hookimpl
    def e20kit_diagnose(self, metrics: Any, lang: str) -> list[Any]:
        self.metrics.append(metrics)
        return []


def test_rules_read_raw_figures_whatever_metrics_they_are_given(store_url: str) -> None:
    org = build_org(seed=7, members=120, departments=4)
    engine = create_engine(store_url)
    load_org(engine, org)
    engine.dispose()

    with Kit.from_config(None, env={}, store_url=store_url) as other:
        elsewhere = other.metrics("last-30d", today=org.end)  # published by another layer
    with Kit.from_config(None, env={}, store_url=store_url) as kit:
        seen = Seen()
        kit.plugins.register(seen, "seen")
        published = kit.metrics("last-30d", today=org.end)
        raw = kit._raw_metrics("last-30d", today=org.end)
        assert published.disclosure and published.headline != raw.headline  # perturbed
        given = [published, elsewhere, raw, None]
        findings = [kit.diagnose(metrics=m, today=org.end, period="last-30d") for m in given]

    decided = [m for m in seen.metrics if not m.disclosure]  # (the published run only words)
    assert len(decided) == len(given)
    assert all(m.headline == raw.headline for m in decided)
    assert all(m.onboarding == raw.onboarding for m in decided)
    assert all([f.rule for f in found] == [f.rule for f in findings[0]] for found in findings)

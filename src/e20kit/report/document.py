"""The report as plain data: what the JSON writer emits and every other writer reads.

Its shape is versioned (``SCHEMA_VERSION``) and described by ``schema/report-v1.json`` and
docs/report-schema.md. It holds aggregate figures only: no member key, name or e-mail, and no
figure or size of a suppressed group (``null`` with ``"suppressed": true``; every other writer
shows "<k").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

from .._version import __version__
from ..analytics.model import FunnelStep, Headline, Metrics
from ..disclosure import Disclosure
from ..extensions import ReportSection
from ..findings import Finding
from ..safe_text import clean_text
from .actions import next_steps

Titles = Mapping[tuple[str, str | None], str]
"""Checklist and step titles for people, keyed ``(checklist, None)`` / ``(checklist, step)``."""

SCHEMA_VERSION = 1
SCHEMA_ID = "https://e20kit.invalid/schemas/report-v1.json"


def plain(value: Any) -> Any:
    """Dataclasses, dates, enums and tuples as JSON-ready values (NaN becomes null)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str):
        return clean_text(value)  # platform text: no escape sequences in any report format
    return value


def _headline(headline: Headline) -> dict[str, Any]:
    data: dict[str, Any] = plain(headline)
    return data


def _finding(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = finding.model_dump(mode="json")
    data["evidence"] = list(data["evidence"])
    data["remedies"] = list(data["remedies"])
    data["ruled_out"] = list(data["ruled_out"])
    data["undecided"] = list(data["undecided"])
    data["rests_on"] = list(data["rests_on"])
    return data


def _newcomers(metrics: Metrics) -> dict[str, Any]:
    """Fewer newcomers than k: no count of them at all (the shares are already blank)."""
    data: dict[str, Any] = plain(metrics.newcomers)
    small = metrics.newcomers.newcomers is None
    if small:
        data = {k: None for k in data}
    return {**data, "suppressed": small}


def _funnel_step(step: FunnelStep, k: int, titles: Titles) -> dict[str, Any]:
    data: dict[str, Any] = plain(step)
    data["checklist_title"] = titles.get((step.checklist, None), step.checklist)
    data["step_title"] = titles.get((step.checklist, step.step), step.step)
    small = step.eligible is None or step.eligible < k
    if small:
        for name in ("eligible", "completed", "stalled", "stall_share"):
            data[name] = None
    return {**data, "suppressed": small}


def _section(section: ReportSection) -> dict[str, Any]:
    """A plugin section; ``captions``, ``labels``, ``percent`` and ``values`` only when the plugin
    gave any."""
    named = {
        "captions": dict(section.captions),
        "labels": dict(section.labels),
        "percent": sorted(section.percent),
        "values": {column: dict(shown) for column, shown in section.values.items()},
    }
    return {
        "id": section.id,
        "title": section.title,
        "markdown": section.markdown,
        "tables": {
            name: [plain(dict(row)) for row in rows] for name, rows in section.tables.items()
        },
        **{key: value for key, value in named.items() if value},
    }


def as_of_document(metrics: Metrics) -> dict[str, Any]:
    """The ``as_of`` object: each platform's newest complete day, stale and partial flags."""
    return {
        "stale_after_days": metrics.settings.stale_after_days,
        "partial": metrics.partial,
        "short_history": list(metrics.short_history),
        "platforms": [plain(p) for p in metrics.as_of],
    }


def published(
    metrics: Metrics,
    findings: Sequence[Finding],
    sections: Sequence[ReportSection],
    lang: str,
    disclosure: Disclosure | None,
) -> tuple[Metrics, list[Finding], list[ReportSection], Disclosure]:
    """Everything a report writes, through the disclosure layer (raw metrics get the layer's
    rules with an unkeyed cell key: pass the configured layer, as :class:`~e20kit.Kit` does)."""
    layer = disclosure or Disclosure.unkeyed(metrics.min_group_size)
    metrics = layer.metrics(metrics)
    return (
        metrics,
        layer.findings(findings, metrics),
        [layer.section(s, lang) for s in sections],
        layer,
    )


def build_document(
    metrics: Metrics,
    *,
    findings: Sequence[Finding] = (),
    sections: Sequence[ReportSection] = (),
    lang: str = "en",
    organisation: str = "",
    generated_at: dt.datetime | None = None,
    disclosure: Disclosure | None = None,
    titles: Titles | None = None,
) -> dict[str, Any]:
    """The whole report as JSON-ready data (schema version 1), every figure published through
    the disclosure layer (:func:`published`)."""
    metrics, findings, sections, layer = published(metrics, findings, sections, lang, disclosure)
    return published_document(
        metrics,
        findings,
        sections,
        layer,
        lang=lang,
        organisation=organisation,
        generated_at=generated_at,
        titles=titles,
    )


def published_document(
    metrics: Metrics,
    findings: Sequence[Finding],
    sections: Sequence[ReportSection],
    layer: Disclosure,
    *,
    lang: str = "en",
    organisation: str = "",
    generated_at: dt.datetime | None = None,
    titles: Titles | None = None,
) -> dict[str, Any]:
    """:func:`build_document` of what :func:`published` returned (so a writer that needs the
    published metrics too passes them through the layer once)."""
    generated = generated_at or dt.datetime.now(dt.UTC)
    doc = {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "generator": f"e20kit {__version__}",
        "generated_at": generated.isoformat(timespec="seconds"),
        "organisation": organisation,
        "lang": lang,
        "min_group_size": metrics.min_group_size,
        "disclosure": {
            "method": metrics.disclosure,
            "testing_note": layer.testing_note(lang),
            "hidden_platforms": list(metrics.hidden_platforms),
        },
        "period": metrics.period.as_dict(),
        "as_of": as_of_document(metrics),
        "previous_period": metrics.previous.as_dict(),
        "headline": _headline(metrics.headline),
        "previous_headline": _headline(metrics.previous_headline),
        "trends": plain(metrics.trends),
        "platforms": [{"platform": p.platform, **_headline(p.headline)} for p in metrics.platforms],
        "activity": {
            "daily": plain(metrics.daily),
            "weekly": plain(metrics.weekly),
            "monthly": plain(metrics.monthly),
        },
        "inequality": {
            **plain(dataclasses.replace(metrics.inequality, lorenz=())),
            "lorenz": [{"members": x, "contributions": y} for x, y in metrics.inequality.lorenz],
        },
        "leaders": plain(metrics.leaders),
        "departments": plain(metrics.departments),
        "heatmap": plain(metrics.heatmap),
        "cohorts": [
            {
                "week_start": c.week_start.isoformat(),
                "size": c.size,
                "suppressed": c.suppressed,
                "pooled": c.pooled,
                "complementary": c.complementary,
                "retention": [{"week": w, "share": s} for w, s in c.retention.items()],
            }
            for c in metrics.cohorts
        ],
        "newcomers": _newcomers(metrics),
        "features": plain(metrics.features),
        "containers": plain(metrics.containers),
        "onboarding": [
            _funnel_step(s, metrics.min_group_size, titles or {}) for s in metrics.onboarding
        ],
        "findings": [_finding(f) for f in findings],
        "sections": [_section(s) for s in sections],
    }
    for finding in doc["findings"]:  # tied to the figures above, so built once they are
        finding["next_steps"] = next_steps(finding, doc, lang)
    return doc


__all__ = [
    "SCHEMA_ID",
    "SCHEMA_VERSION",
    "build_document",
    "plain",
    "published",
    "published_document",
]

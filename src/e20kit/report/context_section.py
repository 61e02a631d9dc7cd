"""The report's "Context" section: mail and app use beside participation, never part of it.

Built from the store's context facts through the disclosure layer (sizes hidden under k, counts
within them perturbed), as a section so the report's closed v1 fields stay as they are.
"""

from __future__ import annotations

from ..analytics.context import context_figures
from ..extensions import ReportContext, ReportSection
from .labels import labels


def sections_for(context: ReportContext) -> list[ReportSection]:
    if context.disclosure is None:
        return []
    raw = context_figures(context.connection, context.period)
    if not raw:
        return []
    t = labels(context.lang)
    rows = [
        {
            "platform": c.platform,
            "members": c.members,
            "writers": c.writers,
            "writers_only_there": c.writers_only_there,
        }
        for c in raw
    ]
    table = context.disclosure.table(
        "context",
        rows,
        size="members",
        keep=("platform",),
        counts=("writers", "writers_only_there"),
    )
    return [
        ReportSection(
            id="context",
            title=t["context"],
            markdown=t["context_note"],
            tables={"context": table},
            captions={"context": t["context"]},
            labels={
                "platform": t["platform"],
                "members": t["context_members"],
                "writers": t["context_writers"],
                "writers_only_there": t["context_only"],
            },
        )
    ]


__all__ = ["sections_for"]

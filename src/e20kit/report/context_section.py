"""The report's "Context" section: mail and app use beside participation, never part of it.

Built from the report's published ``Metrics.context`` (the disclosure layer's cells: sizes
hidden under k, counts within them perturbed, alike in the Python API and the report), as a
section so the report's closed v1 fields stay as they are.
"""

from __future__ import annotations

from ..analytics.model import Metrics
from ..extensions import ReportContext, ReportSection
from ..privacy.suppression import COMPLEMENTARY, SUPPRESSED
from .labels import labels


def sections_for(context: ReportContext, metrics: Metrics) -> list[ReportSection]:
    """The section of ``metrics.context`` as published (none for raw figures or without any
    context platform)."""
    if context.disclosure is None or not metrics.disclosure or not metrics.context:
        return []
    t = labels(context.lang)
    table = context.disclosure.release_table(
        {
            "platform": c.platform,
            "members": c.members,
            "writers": c.writers,
            "writers_only_there": c.writers_only_there,
            SUPPRESSED: c.members is None,
            COMPLEMENTARY: False,
        }
        for c in metrics.context
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

"""One period's report as built once (:meth:`e20kit.Kit.prepare_report`).

What the report file and the publishers show comes from one build: the plugin section hooks
and the survey's results are read once per ``report --publish`` (or ``run --report-dir``),
never once per output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .analytics.model import Metrics
    from .extensions import ReportSection
    from .findings import Finding


@dataclass(frozen=True)
class PreparedReport:
    """The figures (through the disclosure layer), the findings and the sections (plugin
    sections and "stated beside observed", not yet released by the layer) of one period in
    one language: pass them to :meth:`~e20kit.Kit.report` and :meth:`~e20kit.Kit.publish_all`
    as ``metrics``, ``findings`` and ``sections``."""

    metrics: Metrics
    findings: list[Finding]
    sections: list[ReportSection]


__all__ = ["PreparedReport"]

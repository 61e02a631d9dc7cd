"""Reports: one self-contained HTML page, versioned JSON, CSV tables and a Markdown summary.

>>> kit.report("html", Path("adoption.html"))            # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from ..analytics.model import Metrics
from ..disclosure import Disclosure
from ..errors import ConfigError
from ..extensions import ReportSection
from ..findings import Finding
from .document import SCHEMA_VERSION, Titles, build_document, published, published_document
from .markdown import render_markdown
from .schema import load_schema
from .tables import write_csv

FORMATS = ("html", "json", "csv", "md")


def write_report(
    format: str,
    out: Path,
    metrics: Metrics,
    *,
    findings: Sequence[Finding] = (),
    sections: Sequence[ReportSection] = (),
    lang: str = "en",
    organisation: str = "",
    disclosure: Disclosure | None = None,
    titles: Titles | None = None,
) -> Path | list[Path]:
    """Write the report in ``format``; CSV writes one file per table into the folder ``out``.

    Every figure passes ``disclosure`` (the configured layer; without one, its rules with an
    unkeyed cell key) before any writer sees it."""
    fmt = "md" if format == "markdown" else format
    if fmt not in FORMATS:
        raise ConfigError(
            f"unknown report format {format!r}; expected one of {', '.join(FORMATS)}",
            key="format",
        )
    metrics, findings, sections, layer = published(metrics, findings, sections, lang, disclosure)
    doc = published_document(
        metrics, findings, sections, layer, lang=lang, organisation=organisation, titles=titles
    )
    if fmt == "csv":
        return write_csv(doc, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "md":
        text = render_markdown(doc)
    else:
        from .html import render_html  # matplotlib: imported only when a page is drawn

        text = render_html(metrics, doc)
    out.write_text(text, encoding="utf-8")
    return out


__all__ = ["FORMATS", "SCHEMA_VERSION", "build_document", "load_schema", "write_report"]

"""Publishing a written report back to a platform people read (``report --publish``): the
records a publisher plugin deals in (resolving a target: :mod:`e20kit.publish_target`).

A plugin registers a :class:`Publisher` through ``e20kit_publishers``. The target names it:
``confluence:SPACEKEY/Page title`` is publisher ``confluence`` with target
``SPACEKEY/Page title``. The publisher borrows the URL and credentials of the configured
connector of its ``connector_type`` (so a site is configured once); with several such
connectors, the target names one instead of the publisher (``wiki:SPACE/Title`` for
``[connectors.wiki]``). A publisher whose target carries all it needs (a Teams Workflows
webhook named by an environment variable) has ``connector_type=None`` and gets a context of
its own name with no settings. Publishing a page is idempotent: the same target is created
once and updated afterwards; a message (``once_per_period``) goes out at most once per report
period, which the core records in its delivery ledger.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .connector import DataSource, PluginContext


@dataclass(frozen=True)
class Chart:
    """One chart of the report as a picture, drawn from the disclosed figures."""

    id: str
    """The chart's id in the HTML report (``activity``, ``heatmap``...)."""
    caption: str
    """The HTML report's caption for it, in the report's language."""
    png: bytes


@dataclass(frozen=True)
class SummaryFigure:
    label: str
    value: str
    """Formatted in the report's language, as the report shows it (``38 %``, ``hidden``)."""
    change: str = ""
    """Against the previous period, formatted (empty while history is short)."""


@dataclass(frozen=True)
class SummaryFinding:
    title: str
    severity: str
    """The severity's label in the report's language."""
    remedy: str = ""
    """The first remedy."""


@dataclass(frozen=True)
class ReportSummary:
    """A glance at the report (a channel card): the same figures and words the report shows,
    in its language; a publisher only lays it out."""

    title: str
    period: str
    figures: tuple[SummaryFigure, ...]
    findings: tuple[SummaryFinding, ...]
    findings_heading: str
    no_findings: str
    more_findings: str
    """"2 more in the full report", or empty."""
    open_report: str
    """The label of a link to the full report."""
    note: str = ""
    """A note every output of this report must carry (e.g. a testing-mode warning)."""


@dataclass(frozen=True)
class PublishRequest:
    """What to publish where; ``document`` is the report as Markdown."""

    target: str
    """The part after ``name:``, in the publisher's own syntax."""
    document: str
    dry_run: bool = False
    report: Mapping[str, Any] | None = None
    """The report as JSON data (schema v1) the Markdown was rendered from, every figure already
    through the disclosure layer: for publishers that lay it out themselves (a card)."""
    charts: tuple[Chart, ...] = ()
    """The report's charts as PNG, for publishers registered with ``charts=True``."""
    summary: ReportSummary | None = None
    """The headline figures and top findings, formatted (see :class:`ReportSummary`)."""
    earlier: tuple[Published, ...] = ()
    """What this run published before (``--publish`` given several times), e.g. the page a
    channel card links to."""
    lang: str = "en"


@dataclass(frozen=True)
class Published:
    """What a publisher did (or, on a dry run, would do)."""

    action: str
    """``created``, ``updated`` or ``unchanged``; on a dry run ``would create``/``would update``;
    a message: ``posted``, ``already posted`` or ``would post``."""
    location: str
    """Where readers find it (a URL or the platform's id), secrets never included."""
    preview: str = ""
    """On a dry run: the body it would write, in the platform's format."""
    url: str = ""
    """The address readers open (a page's web URL), when the platform has one."""


@dataclass(frozen=True)
class Publisher:
    """Registration record a plugin returns from ``e20kit_publishers``."""

    name: str
    """The scheme of ``--publish NAME:TARGET``, unique across plugins."""
    connector_type: str | None
    """Whose ``[connectors.<name>]`` table (type) gives the site URL and credentials; ``None``
    when the target itself says where (no connector needed)."""
    publish: Callable[[PluginContext, PublishRequest], Published]
    description: str = ""
    description_de: str = ""
    """``description`` in German (the inventory's ``--lang de``; English when empty)."""
    data_sources: tuple[DataSource, ...] = ()
    """What it writes where, with which permission (for ``e20kit privacy inventory``)."""
    charts: bool = False
    """Wants the report's charts as PNG in ``request.charts`` (drawing them takes a moment)."""
    target_secret_env: bool = False
    """With ``connector_type=None``: the target is the name of an environment variable holding
    a secret (a webhook URL). The core reads it and hands it over as ``context.settings.value``
    (a ``SecretStr``, masked in every log and error); the value never appears in a message."""
    once_per_period: bool = False
    """A message, not a page: the core sends it at most once per target and report period (a
    rerun answers ``already posted``) through its delivery ledger."""


__all__ = [
    "Chart",
    "PublishRequest",
    "Published",
    "Publisher",
    "ReportSummary",
    "SummaryFigure",
    "SummaryFinding",
]

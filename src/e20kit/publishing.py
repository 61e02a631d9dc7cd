"""Publishing a written report back to a platform people read (``report --publish``): the
records a publisher plugin deals in (resolving a target: :mod:`e20kit.publish_target`).

A plugin registers a :class:`Publisher` through ``e20kit_publishers``. The target names it:
``confluence:SPACEKEY/Page title`` is publisher ``confluence`` with target
``SPACEKEY/Page title``. The publisher borrows the URL and credentials of the configured
connector of its ``connector_type`` (so a site is configured once); with several such
connectors, the target names one instead of the publisher (``wiki:SPACE/Title`` for
``[connectors.wiki]``). Publishing is idempotent: the same target is created once and updated
afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .connector import DataSource, PluginContext


@dataclass(frozen=True)
class PublishRequest:
    """What to publish where; ``document`` is the report as Markdown."""

    target: str
    """The part after ``name:``, in the publisher's own syntax."""
    document: str
    dry_run: bool = False


@dataclass(frozen=True)
class Published:
    """What a publisher did (or, on a dry run, would do)."""

    action: str
    """``created``, ``updated`` or ``unchanged``; on a dry run ``would create``/``would update``."""
    location: str
    """Where readers find it (a URL or the platform's id), secrets never included."""
    preview: str = ""
    """On a dry run: the body it would write, in the platform's format."""


@dataclass(frozen=True)
class Publisher:
    """Registration record a plugin returns from ``e20kit_publishers``."""

    name: str
    """The scheme of ``--publish NAME:TARGET``, unique across plugins."""
    connector_type: str
    """Whose ``[connectors.<name>]`` table (type) gives the site URL and credentials."""
    publish: Callable[[PluginContext, PublishRequest], Published]
    description: str = ""
    description_de: str = ""
    """``description`` in German (the inventory's ``--lang de``; English when empty)."""
    data_sources: tuple[DataSource, ...] = ()
    """What it writes where, with which permission (for ``e20kit privacy inventory``)."""


__all__ = ["PublishRequest", "Published", "Publisher"]

"""Publishing a written report back to a platform people read (``report --publish``).

A plugin registers a :class:`Publisher` through ``e20kit_publishers``. The target names it:
``confluence:SPACEKEY/Page title`` is publisher ``confluence`` with target
``SPACEKEY/Page title``. The publisher borrows the URL and credentials of the configured
connector of its ``connector_type`` (so a site is configured once); with several such
connectors, the target names one instead of the publisher (``wiki:SPACE/Title`` for
``[connectors.wiki]``). Publishing is idempotent: the same target is created once and updated
afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .connector import PluginContext
from .errors import ConfigError

if TYPE_CHECKING:
    from .config import Config
    from .plugins import Plugins


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


def publish(
    config: Config, plugins: Plugins, target: str, document: str, *, dry_run: bool = False
) -> Published:
    """Resolve ``NAME:TARGET`` to a publisher and a connector's settings, and publish."""
    from .instances import plugin_context

    scheme, sep, rest = target.partition(":")
    publishers = plugins.publishers()
    by_type = {p.connector_type: p for p in publishers.values()}
    connectors: Mapping[str, Mapping[str, object]] = config.settings.connectors
    if not sep or not rest.strip():
        raise ConfigError(
            f"--publish wants NAME:TARGET (e.g. confluence:SPACE/Title), not {target!r}"
        )
    if scheme in connectors and str(connectors[scheme].get("type", scheme)) in by_type:
        name = scheme
        publisher = by_type[str(connectors[scheme].get("type", scheme))]
    elif scheme in publishers:
        publisher = publishers[scheme]
        names = [
            n for n, t in connectors.items() if str(t.get("type", n)) == publisher.connector_type
        ]
        if len(names) != 1:
            raise ConfigError(
                f"--publish {scheme}: needs exactly one [connectors.*] table of type "
                f"{publisher.connector_type!r} in {config.where}, found {len(names)}"
                + (
                    f" ({', '.join(names)}): name one instead, e.g. {names[0]}:{rest}"
                    if names
                    else ""
                ),
                file=config.where,
            )
        name = names[0]
    else:
        known = sorted(
            {*publishers, *(n for n, t in connectors.items() if str(t.get("type", n)) in by_type)}
        )
        raise ConfigError(
            f"--publish {scheme}: no installed publisher or connector of that name; "
            f"known: {', '.join(known) or 'none'}"
        )
    ctype = plugins.connector_types()[publisher.connector_type]
    settings = config.plugin_settings("connectors", name, ctype.settings)
    context = plugin_context(config, "connectors", name, settings)
    return publisher.publish(context, PublishRequest(rest.strip(), document, dry_run))


__all__ = ["PublishRequest", "Published", "Publisher", "publish"]

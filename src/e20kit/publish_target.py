"""Resolving ``report --publish NAME:TARGET`` to a publisher and the connector lending it
the site URL and credentials (see :mod:`e20kit.publishing`)."""

from __future__ import annotations

from collections.abc import Mapping

from .config import Config
from .errors import ConfigError
from .instances import plugin_context
from .plugins import Plugins
from .publishing import Published, PublishRequest


def publish(
    config: Config, plugins: Plugins, target: str, document: str, *, dry_run: bool = False
) -> Published:
    """Resolve ``NAME:TARGET`` to a publisher and a connector's settings, and publish."""
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


__all__ = ["publish"]

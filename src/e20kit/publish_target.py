"""Resolving ``report --publish NAME:TARGET`` to a publisher and the connector lending it
the site URL and credentials (see :mod:`e20kit.publishing`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr

from .config import Config, looks_like_secret
from .errors import ConfigError
from .extensions import EmptyParams
from .instances import plugin_context
from .plugins import Plugins
from .publishing import Published, Publisher, PublishRequest


class TargetSecret(BaseModel):
    """The settings a ``target_secret_env`` publisher gets: the secret its target names (a
    ``SecretStr``, so every session of the context masks it in logs and errors)."""

    model_config = ConfigDict(frozen=True)

    env: str
    """The environment variable's name (as given in the target)."""
    value: SecretStr


@dataclass(frozen=True)
class Resolved:
    """A target resolved: who publishes, with which context, and the publisher's own target."""

    publisher: Publisher
    context: Any
    """The :class:`~e20kit.PluginContext` the publisher is called with."""
    target: str

    def publish(self, request: PublishRequest) -> Published:
        return self.publisher.publish(self.context, replace(request, target=self.target))


def resolve(config: Config, plugins: Plugins, target: str) -> Resolved:
    """``NAME:TARGET`` -> the publisher, the context of the connector lending it the site (or,
    for a publisher needing none, a context of its own name) and ``TARGET``."""
    scheme, sep, rest = target.partition(":")
    publishers = plugins.publishers()
    by_type = {p.connector_type: p for p in publishers.values() if p.connector_type is not None}
    connectors: Mapping[str, Mapping[str, object]] = config.settings.connectors
    if not sep or not rest.strip():
        raise ConfigError(
            f"--publish wants NAME:TARGET (e.g. confluence:SPACE/Title), not {target!r}"
        )
    rest = rest.strip()
    if scheme in connectors and str(connectors[scheme].get("type", scheme)) in by_type:
        name = scheme
        publisher = by_type[str(connectors[scheme].get("type", scheme))]
    elif scheme in publishers:
        publisher = publishers[scheme]
        if publisher.connector_type is None:
            settings: BaseModel = EmptyParams()
            if publisher.target_secret_env:
                settings = _target_secret(config, publisher.name, rest)
            context = plugin_context(config, "publishers", publisher.name, settings)
            return Resolved(publisher, context, rest)
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
    assert publisher.connector_type is not None  # by_type holds connector publishers only
    ctype = plugins.connector_types()[publisher.connector_type]
    settings = config.plugin_settings("connectors", name, ctype.settings)
    return Resolved(publisher, plugin_context(config, "connectors", name, settings), rest)


def _target_secret(config: Config, name: str, variable: str) -> TargetSecret:
    """The value of the environment variable the target names; the value itself is never put
    in a message (a URL pasted where the name belongs is refused without echoing it)."""
    if looks_like_secret(variable):
        raise ConfigError(
            f"--publish {name}: give the NAME of the environment variable that holds the "
            f"secret (e.g. {name}:E20KIT_TEAMS_WEBHOOK), not the secret itself; nothing was "
            "published"
        )
    value = config.env.get(variable)
    if not value:
        raise ConfigError(
            f"--publish {name}:{variable}: the environment variable {variable} is not set",
            key=variable,
        )
    return TargetSecret(env=variable, value=SecretStr(value))


__all__ = ["Resolved", "TargetSecret", "resolve"]

"""Building configured plugin instances (notifiers) the way the core builds connectors.

A ``[notifiers.<name>]`` table names its ``type`` (default: the table's name); the core validates
the table against the type's settings model, resolves ``*_env`` secrets and hands the factory a
:class:`~e20kit.connector.PluginContext` with the shared HTTP session factory. A notifier that is
not configured at all but whose name is a known type (``log``) is built with default settings.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, SecretBytes, SecretStr

from .clock import OrgClock
from .config import Config
from .connector import PluginContext, S
from .errors import ConfigError
from .http import HttpSession, RatePolicy, make_session
from .notifier import Notifier, NotifierType
from .plugins import Plugins


def secret_values(settings: BaseModel) -> tuple[str, ...]:
    """Every ``SecretStr`` value in ``settings``, nested models and collections included."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, SecretStr | SecretBytes):
            secret = value.get_secret_value()
            text = secret.decode(errors="replace") if isinstance(secret, bytes) else secret
            if text and text not in found:
                found.append(text)
        elif isinstance(value, BaseModel):
            for item in vars(value).values():
                walk(item)
        elif isinstance(value, Mapping):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple | set | frozenset):
            for item in value:
                walk(item)

    walk(settings)
    return tuple(found)


def plugin_context(
    config: Config, section: str, name: str, settings: S, *, clock: OrgClock | None = None
) -> PluginContext[S]:
    """The context for instance ``name`` of ``section`` with its validated ``settings``.

    Every secret of the settings is registered here, once: each session the factory asks for
    masks them, so plugins never pass their configured tokens as ``secrets=`` again. ``clock``
    is the kit's organisation clock (default: one on ``[organisation] timezone``).
    """
    resolved = secret_values(settings)
    http = config.settings.http

    def factory(
        *, secrets: Sequence[str] = (), rate_policy: RatePolicy | None = None, **options: Any
    ) -> HttpSession:
        # The plugin's own secrets add to the resolved settings' secrets, never replace them.
        secrets = (*resolved, *secrets)
        return make_session(
            name, settings=http, secrets=secrets, rate_policy=rate_policy, **options
        )

    return PluginContext(
        name=name,
        settings=settings,
        http=factory,
        logger=logging.getLogger(f"e20kit.{name}"),
        clock=clock or OrgClock(config.settings.organisation.timezone),
    )


def notifier_type(config: Config, plugins: Plugins, name: str, *, key: str) -> NotifierType:
    """The type of notifier ``name``; ``key`` is the config key that named it (for errors)."""
    configured = config.settings.notifiers
    types = plugins.notifier_types()
    type_name = str(configured.get(name, {}).get("type", name))
    ntype = types.get(type_name)
    if ntype is None:
        where = f"notifiers.{name}.type" if name in configured else key
        raise ConfigError(
            f"config error in {config.where}: {where} = {type_name!r}: no installed plugin "
            f"provides this notifier; known types: {', '.join(sorted(types)) or 'none'}; "
            f"configured notifiers: {', '.join(sorted(configured)) or 'none'}",
            file=config.where,
            key=where,
        )
    return ntype


def make_notifier(
    config: Config,
    plugins: Plugins,
    name: str,
    *,
    key: str = "",
    clock: OrgClock | None = None,
) -> Notifier:
    """Validate ``[notifiers.<name>]`` and build the notifier (raises ConfigError)."""
    ntype = notifier_type(config, plugins, name, key=key or f"notifiers.{name}")
    settings = config.plugin_settings("notifiers", name, ntype.settings)
    return ntype.factory(plugin_context(config, "notifiers", name, settings, clock=clock))


__all__ = ["make_notifier", "notifier_type", "plugin_context", "secret_values"]

"""Building and running one connector or notifier the way the core does, without a store.

The settings go through the same validation and ``*_env`` secret resolution as a config file's
table, the factory receives the core's :class:`~e20kit.PluginContext` with the real HTTP session
factory (retries, pacing, redaction), so a plugin's unit test exercises the production path.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..clock import OrgClock
from ..config import Config, Settings, validate_section
from ..connector import ActivityItem, Capability, Connector, ConnectorType, PluginContext, S
from ..instances import plugin_context
from ..models import Activity, Checkpoint, Person, Replace, Window
from ..notifier import Notifier, NotifierType
from .kits import FAST_HTTP, merge_tables

CONFIG_WHERE = "<e20kit.testing>"


Sleep = Callable[[float], None]


def build_context(
    model: type[S],
    settings: Mapping[str, Any],
    *,
    env: Mapping[str, str] = {},
    name: str = "test",
    section: str = "connectors",
    http: Mapping[str, Any] = {},
    sleep: Sleep | None = None,
    clock: OrgClock | None = None,
) -> PluginContext[S]:
    """The :class:`~e20kit.PluginContext` the core builds for ``[<section>.<name>]`` = ``settings``.

    For plugin code that takes a context without being a factory (a report publisher, a helper
    shared by connector and notifier). Validation, secrets, ``http``, ``sleep`` and ``clock`` as
    in :func:`build_connector`.
    """
    raw: dict[str, Any] = {"http": merge_tables(FAST_HTTP, http), section: {name: dict(settings)}}
    if clock is not None:
        raw["organisation"] = {"timezone": clock.timezone}
    validated = validate_section(Settings, raw, where=CONFIG_WHERE)
    config = Config(validated, path=None, env=dict(env))
    model_settings = config.plugin_settings(section, name, model)
    context = plugin_context(config, section, name, model_settings, clock=clock)
    if sleep is None:
        return context
    make: Callable[..., Any] = context.http  # make_session's keywords, ``sleep`` among them
    return dataclasses.replace(context, http=functools.partial(make, sleep=sleep))


def build_connector(
    ctype: ConnectorType[S],
    settings: Mapping[str, Any],
    *,
    env: Mapping[str, str] = {},
    name: str = "test",
    http: Mapping[str, Any] = {},
    sleep: Sleep | None = None,
    clock: OrgClock | None = None,
) -> Connector:
    """The connector ``ctype.factory`` builds for the ``[connectors.<name>]`` table ``settings``.

    Secrets are given as in a config file (``token_env = "VAR"``) and read from ``env``; a bad
    table raises the same :class:`~e20kit.ConfigError` the CLI shows. ``http`` overrides keys of
    the ``[http]`` table (default :data:`~e20kit.testing.FAST_HTTP`). ``sleep`` replaces
    ``time.sleep`` for every pause the sessions make (backoff, ``Retry-After``, pacing): pass
    ``pauses.append`` to record them instead of waiting. ``clock`` is the organisation clock
    the context carries (default: UTC, as an unset ``[organisation] timezone``); pass
    ``OrgClock("Europe/Berlin")`` to test which day a connector puts a late-evening fact on.
    """
    context = build_context(
        ctype.settings, settings, env=env, name=name, http=http, sleep=sleep, clock=clock
    )
    return ctype.factory(context)


def build_notifier(
    ntype: NotifierType[S],
    settings: Mapping[str, Any],
    *,
    env: Mapping[str, str] = {},
    name: str = "test",
    http: Mapping[str, Any] = {},
    sleep: Sleep | None = None,
    clock: OrgClock | None = None,
) -> Notifier:
    """The notifier ``ntype.factory`` builds for the ``[notifiers.<name>]`` table ``settings``."""
    context = build_context(
        ntype.settings,
        settings,
        env=env,
        name=name,
        section="notifiers",
        http=http,
        sleep=sleep,
        clock=clock,
    )
    return ntype.factory(context)


@dataclass
class ConnectorOutput:
    """Everything one run of a connector yielded, in stream order per kind."""

    people: list[Person] = field(default_factory=list)
    facts: list[Activity] = field(default_factory=list)
    replaces: list[Replace] = field(default_factory=list)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    items: list[ActivityItem] = field(default_factory=list)
    """Everything ``activity()`` yielded, in its order (a ``Replace`` must precede its facts)."""

    @property
    def bookmarks(self) -> dict[str, str]:
        """Stream -> last checkpoint value: what the core would store and hand the next run."""
        return {c.stream: c.value for c in self.checkpoints}

    def totals(self, *by: str) -> dict[tuple[Any, ...], int]:
        """Sum of ``count`` grouped by the named :class:`~e20kit.Activity` fields.

        ``output.totals("action", "feature")`` -> ``{(Action.POST, Feature.CHAT): 12, ...}``.
        """
        out: dict[tuple[Any, ...], int] = {}
        for fact in self.facts:
            key = tuple(getattr(fact, name) for name in by or ("platform", "action"))
            out[key] = out.get(key, 0) + fact.count
        return out


def run_connector(
    ctype: ConnectorType[S],
    settings: Mapping[str, Any],
    *,
    window: Window,
    bookmarks: Mapping[str, str] = {},
    env: Mapping[str, str] = {},
    name: str = "test",
    http: Mapping[str, Any] = {},
    sleep: Sleep | None = None,
    clock: OrgClock | None = None,
) -> ConnectorOutput:
    """Build the connector as :func:`build_connector` does, read it once, close it.

    People are read first (when the connector declares ``people``), then ``activity(window,
    bookmarks)``, as a collect run does. Pass ``output.bookmarks`` of one run as ``bookmarks``
    of the next to test incremental collection. Errors propagate unchanged.
    """
    connector = build_connector(
        ctype, settings, env=env, name=name, http=http, sleep=sleep, clock=clock
    )
    output = ConnectorOutput()
    try:
        if Capability.PEOPLE in getattr(connector, "capabilities", {Capability.PEOPLE}):
            output.people.extend(connector.people())
        for item in connector.activity(window, dict(bookmarks)):
            output.items.append(item)
            if isinstance(item, Activity):
                output.facts.append(item)
            elif isinstance(item, Replace):
                output.replaces.append(item)
            elif isinstance(item, Checkpoint):
                output.checkpoints.append(item)
            else:
                raise TypeError(
                    f"connector {name!r} yielded {type(item).__name__} from activity(); "
                    "expected Activity, Replace or Checkpoint"
                )
    finally:
        connector.close()
    return output


__all__ = [
    "ConnectorOutput",
    "build_connector",
    "build_context",
    "build_notifier",
    "run_connector",
]

"""What a connector is, seen from a plugin author's side.

A connector reads one platform. The core validates its settings, resolves its secrets, builds its
HTTP session and owns its bookmarks; the connector only turns platform responses into
:class:`~e20kit.models.Person` and :class:`~e20kit.models.Activity` records.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, runtime_checkable

from pydantic import BaseModel
from typing_extensions import TypeVar

from .clock import OrgClock
from .http.policy import RatePolicy
from .http.session import HttpSession
from .models import Activity, Checkpoint, Person, Replace, Window

ActivityItem = Activity | Checkpoint | Replace
"""What ``Connector.activity`` may yield."""

S = TypeVar("S", bound=BaseModel, default=Any)
"""The settings model of one connector or notifier type.

Its default (``Any``) lets code that handles every type say just ``ConnectorType``."""


class Capability:
    """Names a connector may declare in ``capabilities`` so the core and reports know its limits."""

    PEOPLE = "people"
    """Yields a directory of people."""
    ACTIVITY = "activity"
    """Yields daily activity facts."""
    READS = "reads"
    """Knows who read or viewed (not just who wrote)."""
    VIEW_COUNTS = "view_counts"
    """Counts views per container and day without naming readers: anonymous facts
    (``Activity(person_id=None)``) that enter the feature and container totals only."""
    INCREMENTAL = "incremental"
    """Uses bookmarks to fetch only what changed."""
    MANAGERS = "managers"
    """Knows the manager relation (so leaders can be told apart)."""
    SELF_BACKFILL = "self_backfill"
    """Reads the days a wider window adds by itself (bookmarks per day, or a source read
    whole): the core runs no separate backfill pass for it (see :mod:`e20kit.collect`)."""


@runtime_checkable
class Connector(Protocol):
    """The protocol every connector instance implements."""

    capabilities: frozenset[str]

    def people(self) -> Iterator[Person]:
        """Stream the platform's directory."""
        ...

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[ActivityItem]:
        """Stream activity facts for ``window``, starting from the stored ``bookmarks``.

        ``bookmarks`` maps stream names to the value of the last :class:`Checkpoint` the core
        committed for this connector; it is empty on a first run.
        """
        ...

    def close(self) -> None:
        """Release sessions and files."""
        ...


@runtime_checkable
class NameResolver(Protocol):
    """Optional connector method: display names of accounts, read live from the platform.

    Used only by ``e20kit champions list --names`` when ``[privacy] allow_name_lookup`` is on;
    the names are shown, never stored, and every lookup is audited. Unknown ids are left out.
    """

    def display_names(self, person_ids: Collection[str]) -> Mapping[str, str]: ...


@dataclass(frozen=True)
class DataSource:
    """One thing a connector reads or a notifier writes, for the data inventory
    (``e20kit privacy inventory``): declare them on the registration record."""

    endpoint: str
    """E.g. ``GET /api/v4/users`` or ``people.csv``."""
    scope: str
    """The permission or account it needs, e.g. ``a system-admin token (read users)``."""
    data: str
    """What it yields or sends, in words a works council reads."""
    scope_de: str = ""
    """``scope`` in German (the inventory's ``--lang de``; English when empty)."""
    data_de: str = ""
    """``data`` in German."""


class SessionFactory(Protocol):
    """Builds the core's HTTP session; see :func:`e20kit.http.make_session`."""

    def __call__(
        self,
        *,
        base_url: str | None = None,
        secrets: tuple[str, ...] = (),
        rate_limit_per_s: float | None = None,
        max_concurrency: int | None = None,
        allowed_methods: Collection[str] = ...,
        rate_policy: RatePolicy | None = None,
    ) -> HttpSession: ...


@dataclass(frozen=True)
class PluginContext(Generic[S]):
    """Everything the core hands a connector or notifier factory.

    Generic over the settings model, so a factory declared as
    ``def __init__(self, context: PluginContext[MySettings])`` reads ``context.settings`` typed,
    with no ``isinstance`` check. Every ``SecretStr`` in the settings is already registered with
    the HTTP layer's redaction: sessions from :attr:`http` mask it without being told.
    """

    name: str
    """The instance name (its table in ``[connectors]`` or ``[notifiers]``)."""
    settings: S
    """The validated settings model instance, secrets already resolved."""
    http: SessionFactory
    """Call it to get a configured :class:`~e20kit.http.HttpSession` (retries, pacing,
    redaction)."""
    logger: logging.Logger
    options: Mapping[str, Any] = field(default_factory=dict)
    """Extra run options from the caller (for example ``{"today": date}`` in tests)."""
    clock: OrgClock = field(default_factory=OrgClock)
    """The organisation's clock (``[organisation] timezone``): put facts on the day
    ``clock.today(moment)`` says, and start a window's day at ``clock.start_of(day)``, so a
    connector's days are the days the window, the cycle and the reports mean."""


ConnectorContext = PluginContext
"""The name older plugins use for :class:`PluginContext`."""


@dataclass(frozen=True)
class ConnectorType(Generic[S]):
    """Registration record a plugin returns from ``e20kit_connectors``."""

    name: str
    """Type name used in config (``type = "mattermost"``), unique across plugins."""
    settings: type[S]
    """Pydantic model of the connector's config table; ``SecretStr`` fields come from env."""
    factory: Callable[[PluginContext[S]], Connector]
    """Builds a connector from validated settings (a class taking the context will do)."""
    description: str = ""
    description_de: str = ""
    """``description`` in German (the inventory's ``--lang de``; English when empty)."""
    capabilities: frozenset[str] = frozenset({Capability.PEOPLE, Capability.ACTIVITY})
    data_sources: tuple[DataSource, ...] = ()
    """What the connector reads (endpoint, permission scope, data), for the data inventory."""


__all__ = [
    "ActivityItem",
    "Capability",
    "Connector",
    "ConnectorContext",
    "ConnectorType",
    "DataSource",
    "NameResolver",
    "PluginContext",
    "SessionFactory",
]

"""Small registration records for onboarding checks, champion signals and report sections."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa
from pydantic import BaseModel

from .models import AttributeValue, Window
from .vocab import Action, Feature

if TYPE_CHECKING:
    from .analytics.period import Period
    from .config import Settings


class CheckContext(Protocol):
    """What a check may look at for one member; the onboarding engine provides it."""

    @property
    def member_key(self) -> str: ...

    @property
    def joined_on(self) -> dt.date | None: ...

    def attributes(self, platform: str) -> Mapping[str, AttributeValue]:
        """The member's stored ``Person.attributes`` on ``platform`` (empty when unknown)."""
        ...

    def count(
        self,
        *,
        platform: str | None = None,
        actions: Collection[Action] | None = None,
        feature: Feature | None = None,
        since: dt.date | None = None,
        container: str | None = None,
    ) -> int:
        """Sum of the member's stored activity counts matching the filters (``container``:
        one space, channel or site id; ``""`` the facts stored without one)."""
        ...

    def days(
        self,
        *,
        platform: str | None = None,
        actions: Collection[Action] | None = None,
        feature: Feature | None = None,
        since: dt.date | None = None,
        container: str | None = None,
    ) -> int:
        """On how many different days the member has a positive count matching the filters."""
        ...


class EmptyParams(BaseModel):
    """Parameters of a check that takes none."""

    model_config = {"extra": "forbid", "frozen": True}


@dataclass(frozen=True)
class Check:
    """An onboarding step check, registered through ``e20kit_checks``."""

    id: str
    """Dotted id used in checklists, e.g. ``mattermost.profile_picture``."""
    evaluate: Callable[[CheckContext, Any], bool]
    """Called with the member's context and the validated ``params`` instance."""
    params: type[BaseModel] = EmptyParams
    description: str = ""


class SignalContext(Protocol):
    """What a champion signal may look at."""

    @property
    def engine(self) -> sa.Engine: ...

    @property
    def window(self) -> Window: ...

    @property
    def member_keys(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class ChampionSignal:
    """An extra scoring signal for champions, registered through ``e20kit_champion_signals``."""

    name: str
    compute: Callable[[SignalContext], Mapping[str, float]]
    """Returns member key -> value in 0..1; missing members count as 0."""
    weight: float = 1.0
    description: str = ""


@dataclass(frozen=True)
class ReportSection:
    """An extra section in every report format, returned by ``e20kit_report_sections``."""

    id: str
    title: str
    markdown: str
    """The section's text; rendered into HTML and Markdown reports."""
    tables: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)
    """Named tables; JSON carries them as lists of objects, CSV writes one file each."""
    captions: Mapping[str, str] = field(default_factory=dict)
    """Human titles of the tables by name, in the report's language (HTML and Markdown)."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Human column headers by column key; keys without one are shown as they are."""
    percent: frozenset[str] = frozenset()
    """Column keys holding shares from 0 to 1, which HTML and Markdown print as percentages
    (``0.5`` reads ``50 %``); JSON and CSV keep the share."""
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """How HTML and Markdown show a column's values, by column key and value (``{"state":
    {"active": "aktiv"}}``): text in the report's language while JSON and CSV keep the ids."""


class SectionPublisher(Protocol):
    """What a report section may call on the disclosure layer (implemented by
    :class:`e20kit.disclosure.Disclosure`; declared here so that extensions need not import it)."""

    @property
    def k(self) -> int: ...

    def count(self, cell: str, value: int | None) -> int | None: ...

    def subcount(
        self, cell: str, value: int | None, *, within: int | None = None
    ) -> int | None: ...

    def show(self, value: int | None) -> str: ...

    def table(
        self,
        name: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        size: str,
        keep: Sequence[str] = (),
        counts: Sequence[str] = (),
        totals: Sequence[str] = (),
        drop_hidden: bool = False,
        hidden: Collection[str] = (),
    ) -> list[dict[str, Any]]: ...

    def text(
        self,
        name: str,
        template: str,
        *,
        labels: Mapping[str, object] | None = None,
        **counts: int | None,
    ) -> str: ...

    def release_text(self, text: str) -> str: ...

    def release_table(self, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class ReportContext:
    """What an ``e20kit_report_sections`` hook may read, and nothing more.

    ``connection`` is open for the duration of the hook call only and rolled back afterwards,
    so a section reads the store but can never change it.
    """

    connection: sa.Connection
    period: Period
    """The report's period (``start``, ``end``, ``label``)."""
    settings: Settings
    """The validated config (``settings.champions``, ``settings.privacy.min_group_size``...)."""
    lang: str
    """``"en"`` or ``"de"``."""
    disclosure: SectionPublisher | None = None
    """The disclosure layer (:class:`e20kit.disclosure.Disclosure`): build every figure of a
    section with its ``table``, ``text``, ``count`` and ``subcount`` (docs/privacy.md,
    "Disclosure control"); tables and text with figures that did not pass through it are
    withheld from the report. ``None`` only where a caller builds a context by hand."""


@dataclass(frozen=True)
class StepCompleted:
    """Event: a member completed an onboarding step (fired once per member and step)."""

    member_key: str
    checklist: str
    step: str
    completed_at: dt.datetime


@dataclass(frozen=True)
class ChampionNominated:
    """Event: a member was nominated as champion candidate (fired once per nomination)."""

    member_key: str
    department: str | None
    score: float


@dataclass(frozen=True)
class SandboxRun:
    """What a started sandbox tells the demo: config tables and env pointing at the fake."""

    connector: Mapping[str, Any] | None = None
    """The ``[connectors.<name>]`` table for the plugin's connector, aimed at the fake."""
    env: Mapping[str, str] = field(default_factory=dict)
    """Environment variables the tables name (for example the fake's token)."""
    notifier: Mapping[str, Any] | None = None
    """A ``[notifiers.<name>]`` table when the plugin can deliver messages through the fake."""
    publish: tuple[str, ...] = ()
    """``report --publish`` targets the fake serves (``sharepoint:SITE/Title``,
    ``teams:ENV``), published to by the demo; their secrets are in ``env``."""
    survey_source: Mapping[str, Any] | None = None
    """A ``[survey_sources.<name>]`` table when the plugin serves surveys from the fake."""


@dataclass(frozen=True)
class Sandbox:
    """A loopback fake of a platform, registered through ``e20kit_sandboxes``."""

    name: str
    start: Callable[[Any, contextlib.ExitStack], SandboxRun]
    """Called with the synthetic :class:`~e20kit.sandbox.Org` and an exit stack that stops the
    fake when the demo or test ends."""
    description: str = ""


__all__ = [
    "ChampionNominated",
    "ChampionSignal",
    "Check",
    "CheckContext",
    "EmptyParams",
    "ReportContext",
    "ReportSection",
    "Sandbox",
    "SandboxRun",
    "SectionPublisher",
    "SignalContext",
    "StepCompleted",
]

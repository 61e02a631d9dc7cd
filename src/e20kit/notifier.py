"""Delivery channels for messages to people (nudges, invitations, digests).

A notifier sends one :class:`Message` and can say whether a message with a given idempotency key
already went out; the core's ledger (:mod:`e20kit.delivery`) uses both to deliver at most once,
even when a run crashes between sending and recording.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, Protocol, runtime_checkable

from .connector import DataSource, PluginContext, S


@dataclass(frozen=True)
class Recipient:
    """Whom to message: the member and the addresses the core knows for them."""

    member_key: str
    platform_ids: Mapping[str, str] = field(default_factory=dict)
    """Platform name -> that platform's person id (e.g. ``{"mattermost": "u1x..."}``)."""
    email: str | None = None
    locale: str = "en"


@dataclass(frozen=True)
class Message:
    """One message to one person; ``key`` makes it idempotent."""

    key: str
    recipient: Recipient
    subject: str
    body: str
    """Markdown text; channels that cannot render it send it as plain text."""
    kind: str = "message"
    """What the message is for, e.g. ``onboarding.nudge`` or ``champions.invite``."""


@runtime_checkable
class Notifier(Protocol):
    """The protocol every notifier instance implements."""

    def send(self, message: Message) -> None:
        """Deliver ``message``; raise :class:`~e20kit.errors.NotifierError` on failure."""
        ...

    def was_sent(self, message: Message) -> bool | None:
        """Tell whether a message with ``message.key`` already reached the recipient.

        Return ``None`` when the channel cannot tell; the ledger then errs on the side of not
        sending twice.
        """
        ...


@dataclass(frozen=True)
class NotifierType(Generic[S]):
    """Registration record a plugin returns from ``e20kit_notifiers``."""

    name: str
    settings: type[S]
    """Pydantic model of the notifier's config table; ``SecretStr`` fields come from env."""
    factory: Callable[[PluginContext[S]], Notifier]
    """Builds a notifier from validated settings (a class taking the context will do)."""
    description: str = ""
    description_de: str = ""
    """``description`` in German (the inventory's ``--lang de``; English when empty)."""
    data_sources: tuple[DataSource, ...] = ()
    """What the notifier sends, to whom and with which permission, for the data inventory."""


__all__ = ["Message", "Notifier", "NotifierType", "Recipient"]

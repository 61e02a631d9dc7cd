"""Mail through Graph ``sendMail`` from a configured mailbox, at most once per message key.

``send`` posts ``/users/{mailbox}/sendMail`` with the message's idempotency key in a
single-value extended property and ``saveToSentItems`` on. ``was_sent`` finds a message carrying
that key in the mailbox's Sent Items with one filtered request, so the core's ledger can deliver
at most once even after a crash between sending and recording. Only ``202 Accepted`` with an
empty body counts as sent; any other success answer is :class:`~e20kit.DeliveryUnconfirmed`
(``unknown`` in the ledger, checked in Sent Items before a resend), and a Sent Items answer that
is not a list of messages means "cannot tell", never "sent". The mail is framed in the
recipient's language where a frame template exists (``templates/mail.<lang>.txt``), else in
English.
"""

from __future__ import annotations

import threading
from importlib import resources
from string import Template

from e20kit import (
    ConnectorError,
    DataSource,
    DeliveryUnconfirmed,
    Message,
    NotifierError,
    NotifierType,
    PluginContext,
)

from .client import graph_client
from .settings import GraphMailSettings

KEY_PROPERTY = "String {6d3c1f9e-4a2b-4f0d-8c7e-2b9a5e1d3f60} Name e20kitKey"
"""The extended property holding the key (a property set GUID of our own, a named property)."""
DEFAULT_LANGUAGE = "en"
ACCEPTED = 202
"""sendMail's documented success: ``202 Accepted`` with an empty body (graph-reports.md §6)."""


def frame(language: str) -> Template:
    """The mail frame for ``language`` (``de-DE`` -> ``de``), English when there is none."""
    folder = resources.files("e20kit_sharepoint") / "templates"
    for lang in (language.replace("_", "-").split("-")[0].lower(), DEFAULT_LANGUAGE):
        candidate = folder / f"mail.{lang}.txt"
        if candidate.is_file():
            return Template(candidate.read_text(encoding="utf-8"))
    raise AssertionError("the English mail frame is missing from the package")  # pragma: no cover


def _quoted(value: str) -> str:
    """An OData string literal (single quotes doubled)."""
    return "'" + value.replace("'", "''") + "'"


class GraphMailNotifier:
    def __init__(self, context: PluginContext[GraphMailSettings]) -> None:
        self.name = context.name
        self.settings = context.settings
        self.client = graph_client(context.name, self.settings, context.http)
        self._sent: set[str] = set()
        self._lock = threading.Lock()

    def _address(self, message: Message) -> str:
        recipient = message.recipient
        address = recipient.email or recipient.platform_ids.get(self.settings.platform)
        if not address or "@" not in address:
            raise NotifierError(
                f"[{self.name}] member {recipient.member_key} has no e-mail address; cannot "
                f"send message {message.key}",
                notifier=self.name,
                key=message.key,
            )
        return address

    def render(self, message: Message) -> str:
        return frame(message.recipient.locale).substitute(
            body=message.body, sender=self.settings.mailbox
        )

    def send(self, message: Message) -> None:
        """Send the mail unless one with its key is already in Sent Items."""
        address = self._address(message)
        with self._lock:
            if message.key in self._sent:
                return
        if self.was_sent(message) is True:  # None (cannot tell): a first attempt goes out
            return
        body = {
            "message": {
                "subject": message.subject,
                "body": {"contentType": "Text", "content": self.render(message)},
                "toRecipients": [{"emailAddress": {"address": address}}],
                "singleValueExtendedProperties": [{"id": KEY_PROPERTY, "value": message.key}],
            },
            "saveToSentItems": True,
        }
        try:
            answer = self.client.post(f"/users/{self.settings.mailbox}/sendMail", body)
        except ConnectorError as err:
            raise NotifierError(
                f"[{self.name}] could not send message {message.key}: {err}",
                notifier=self.name,
                key=message.key,
            ) from None
        if answer.status_code != ACCEPTED or answer.content.strip():
            size = len(answer.content)
            raise DeliveryUnconfirmed(
                f"[{self.name}] sendMail answered HTTP {answer.status_code} with {size} bytes, "
                f"not 202 Accepted with an empty body: message {message.key} may or may not "
                "have gone out; the next run looks for it in Sent Items before sending again",
                notifier=self.name,
                key=message.key,
            )
        with self._lock:
            self._sent.add(message.key)

    def was_sent(self, message: Message) -> bool | None:
        query = {
            "$filter": (
                f"singleValueExtendedProperties/any(ep: ep/id eq {_quoted(KEY_PROPERTY)} "
                f"and ep/value eq {_quoted(message.key)})"
            ),
            "$select": "id",
            "$top": "1",
        }
        path = f"/users/{self.settings.mailbox}/mailFolders/SentItems/messages"
        try:
            data = self.client.get_json(path, query)
        except ConnectorError as err:
            raise NotifierError(
                f"[{self.name}] could not tell whether message {message.key} was sent: {err}",
                notifier=self.name,
                key=message.key,
            ) from None
        found = data.get("value") if isinstance(data, dict) else None
        if not isinstance(found, list) or not all(
            isinstance(item, dict) and isinstance(item.get("id"), str) for item in found
        ):
            return None  # not a message collection: the mailbox cannot tell
        return bool(found)


SHAREPOINT_NOTIFIER = NotifierType(
    name="sharepoint",
    settings=GraphMailSettings,
    factory=GraphMailNotifier,
    description="E-mail through Microsoft Graph sendMail from one mailbox, at most once per key.",
    description_de=(
        "E-Mail über Microsoft Graph (sendMail) aus einem Postfach, jede Nachricht höchstens "
        "einmal."
    ),
    data_sources=(
        DataSource(
            "POST /users/{mailbox}/sendMail",
            "application permission Mail.Send (limit it to the one mailbox)",
            "an e-mail to the member (nudge, invitation, digest) from the configured mailbox",
            "Anwendungsberechtigung Mail.Send (auf das eine Postfach beschränken)",
            "eine E-Mail an die Person (Erinnerung, Einladung, Übersicht) aus dem Postfach",
        ),
        DataSource(
            "GET /users/{mailbox}/mailFolders/sentitems/messages",
            "application permission Mail.Read",
            "the mailbox's own sent items, to tell whether a message already went out",
            "Anwendungsberechtigung Mail.Read",
            "die gesendeten Elemente des Postfachs, um doppelte Nachrichten zu vermeiden",
        ),
    ),
)

__all__ = ["KEY_PROPERTY", "SHAREPOINT_NOTIFIER", "GraphMailNotifier", "frame"]

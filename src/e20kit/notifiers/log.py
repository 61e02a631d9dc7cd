"""The built-in ``log`` notifier: writes what would be sent, so the engine works with no platform.

With ``path`` set it appends one JSON line per message and answers ``was_sent`` from that file,
which makes it a real at-most-once channel for tests and dry environments.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from e20kit import DataSource, Message, NotifierType, PluginContext

log = logging.getLogger("e20kit.notify.log")


class LogNotifierSettings(BaseModel):
    """``[notifiers.<name>]`` with ``type = "log"``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Path | None = None
    """JSON-lines file receiving every message; without it messages only go to the log."""


class LogNotifier:
    def __init__(self, context: PluginContext[LogNotifierSettings]) -> None:
        path = context.settings.path
        self.path = path.expanduser() if path else None
        self._sent: set[str] = set()
        self._lock = threading.Lock()

    def send(self, message: Message) -> None:
        record = {
            "key": message.key,
            "kind": message.kind,
            "member": message.recipient.member_key,
            "locale": message.recipient.locale,
            "subject": message.subject,
            "body": message.body,
        }
        with self._lock:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            self._sent.add(message.key)
        log.info("message %s to %s: %s", message.key, message.recipient.member_key, message.subject)

    def was_sent(self, message: Message) -> bool | None:
        if message.key in self._sent:
            return True
        if self.path is None:
            return None
        if not self.path.exists():
            return False
        with self.path.open(encoding="utf-8") as fh:
            return any(json.loads(line).get("key") == message.key for line in fh if line.strip())

    def sent_messages(self) -> list[dict[str, str]]:
        """Everything the file holds (for tests and the demo)."""
        if self.path is None or not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]


LOG_NOTIFIER = NotifierType(
    name="log",
    settings=LogNotifierSettings,
    factory=LogNotifier,
    description="Writes messages to the log (and optionally a JSON-lines file) instead of sending.",
    description_de=(
        "Schreibt Nachrichten ins Log (und wahlweise in eine JSON-Lines-Datei), statt sie zu "
        "senden."
    ),
    data_sources=(
        DataSource(
            "the log and the optional JSON-lines file",
            "write access to the file",
            "message text, recipient's member key and platform account id; nobody is messaged",
            "Schreibzugriff auf die Datei",
            "Nachrichtentext, Mitgliedsschlüssel und Plattform-Konto-ID des Empfängers; "
            "niemand wird benachrichtigt",
        ),
    ),
)

__all__ = ["LOG_NOTIFIER", "LogNotifier", "LogNotifierSettings"]

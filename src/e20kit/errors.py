"""The one exception hierarchy of e20kit.

Everything e20kit raises on purpose derives from :class:`E20KitError`, so automation scripts can
catch one type. Context travels as keyword arguments and is kept on the instance, so a caller can
react to ``err.connector`` or ``err.key`` without parsing the message.
"""

from __future__ import annotations

from typing import Any


class E20KitError(Exception):
    """Root of every error e20kit raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str, **context: Any) -> None:
        super().__init__(message)
        self.message = message
        self.context = context
        for name, value in context.items():
            setattr(self, name, value)

    def __str__(self) -> str:
        return self.message


class ConfigError(E20KitError):
    """The configuration file or environment is invalid; nothing was written."""

    exit_code = 2


class PluginError(E20KitError):
    """A plugin failed to load or registered something invalid."""

    exit_code = 3


class StoreError(E20KitError):
    """The store could not be opened, migrated or written."""

    exit_code = 4


class LockError(E20KitError):
    """Another run holds the lock on the same store."""

    exit_code = 75  # EX_TEMPFAIL: cron may simply try again later.


class NotifierError(E20KitError):
    """A notifier could not deliver or could not tell whether it delivered."""

    exit_code = 5


class NotifierAuthError(NotifierError):
    """The channel rejected the notifier's credentials: the delivery run stops at once.

    Raised by a notifier's ``send`` or ``was_sent``; :func:`e20kit.delivery.deliver` then marks
    nothing as sent and tells its caller to try no further recipient in this run.
    """


class DeliveryUnconfirmed(NotifierError):
    """The channel answered the send with something other than its documented success (a 200
    with an HTML page, a body of the wrong shape): the message may or may not have gone out.

    :func:`e20kit.delivery.deliver` records it as ``unknown``: never marked sent, and the next
    run asks ``was_sent`` before sending it again (as after a crash between sending and
    recording).
    """


class ConnectorError(E20KitError):
    """A connector failed talking to its platform.

    ``connector`` names the connector and ``endpoint`` is the URL or path with secrets removed.
    """

    exit_code = 6

    def __init__(
        self,
        message: str,
        *,
        connector: str,
        endpoint: str | None = None,
        status: int | None = None,
        **context: Any,
    ) -> None:
        where = f"{connector}"
        if endpoint:
            where += f" {endpoint}"
        full = f"[{where}] {message}"
        if status is not None:
            full += f" (HTTP {status})"
        super().__init__(full, connector=connector, endpoint=endpoint, status=status, **context)


class ConnectorAuthError(ConnectorError):
    """The platform rejected the credentials (HTTP 401/403): fix the token, do not retry."""


class ConnectorRetriableError(ConnectorError):
    """A transient failure (throttling, 5xx, network) that outlived the retries; rerun later."""


class ConnectorRateLimitError(ConnectorRetriableError):
    """The server asked for a wait longer than ``[http] backoff_max_s`` (``header`` names where:
    ``Retry-After``, ``X-RateLimit-Reset``); the run stops instead of stalling with the lock."""


class ConnectorFatalError(ConnectorError):
    """The platform answered something the connector cannot work with (malformed response)."""


class ConnectorPayloadError(ConnectorFatalError):
    """A response had the wrong shape (a missing field, a wrong type, a repeated cursor).

    ``field`` is the dotted path of the first offending field when one is known.
    """


class ConnectorDeadlineError(ConnectorRetriableError):
    """One request attempt took longer than ``[http] deadline_s`` (connect, headers and body)."""


class ConnectorResponseTooLargeError(ConnectorFatalError):
    """A response body grew past ``[http] max_response_mb`` once decompressed; reading stopped."""


class PublishError(ConnectorError):
    """Publishing the report failed: ``connector`` reads ``publish <name>`` and the message
    names the endpoint (secrets removed); ``publisher`` holds the publisher's name."""


class SkippableRecordError(ConnectorError):
    """One record was unusable; the connector skipped it and went on."""


class SurveyError(E20KitError):
    """A survey source failed or answered something unusable; nothing was stored.

    ``source`` names the survey source (plugin type or instance) and ``call`` what was asked of
    it (e.g. ``responses`` or the tool's API method).
    """

    exit_code = 9

    def __init__(self, message: str, *, source: str, call: str | None = None, **context: Any):
        where = source if not call else f"{source} {call}"
        super().__init__(f"[{where}] {message}", source=source, call=call, **context)


class SurveyImportError(SurveyError):
    """A survey export could not be imported; nothing of it was stored.

    ``file``, ``line`` (1 = the header) and ``column`` (its header, or its 1-based number) say
    where the first problem is.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str,
        line: int | None = None,
        column: str | None = None,
        **context: Any,
    ) -> None:
        where = file
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(
            f"{where}: {message}",
            source="csv",
            call="import",
            file=file,
            line=line,
            column=column,
            **context,
        )


__all__ = [
    "ConfigError",
    "ConnectorAuthError",
    "ConnectorDeadlineError",
    "ConnectorError",
    "ConnectorFatalError",
    "ConnectorPayloadError",
    "ConnectorRateLimitError",
    "ConnectorResponseTooLargeError",
    "ConnectorRetriableError",
    "DeliveryUnconfirmed",
    "E20KitError",
    "LockError",
    "NotifierAuthError",
    "NotifierError",
    "PluginError",
    "PublishError",
    "SkippableRecordError",
    "StoreError",
    "SurveyError",
    "SurveyImportError",
]

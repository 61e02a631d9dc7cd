"""Shared HTTP layer for every connector and notifier; see docs/http.md.

:func:`make_session` builds a ``requests.Session`` with timeouts, a deadline per attempt, a cap on
the decompressed body, urllib3 retries honouring ``Retry-After``, client-side pacing and the
plugin's :class:`RatePolicy`, bounded concurrency and redacted logging. :func:`raise_for_status`
and :func:`json_or_error` turn responses into ConnectorErrors; :func:`parse_payload` checks their
shape (:func:`describe_validation_error` words a pydantic error the same way for a plugin that
validates itself); the ``*_pages`` helpers page through listings.
"""

from __future__ import annotations

from ..errors import (
    ConnectorDeadlineError,
    ConnectorPayloadError,
    ConnectorResponseTooLargeError,
)
from .mapping import RETRIABLE_STATUSES, error_from_exception, json_or_error, raise_for_status
from .pacing import ServerPacer, TokenBucket
from .paging import (
    DEFAULT_MAX_PAGES,
    Page,
    body_cursor_pages,
    link_header_pages,
    next_link_pages,
    offset_pages,
    page_number_pages,
)
from .payload import describe_validation_error, parse_payload
from .policy import RateAdvice, RatePolicy
from .redaction import MASK, describe_endpoint, redact
from .session import (
    DEFAULT_ALLOWED_METHODS,
    RETRY_STATUSES,
    USER_AGENT,
    HttpSession,
    PacedRetry,
    make_session,
)
from .settings import HttpSettings
from .waits import announce_wait, wait_listener

__all__ = [
    "DEFAULT_ALLOWED_METHODS",
    "DEFAULT_MAX_PAGES",
    "MASK",
    "RETRIABLE_STATUSES",
    "RETRY_STATUSES",
    "USER_AGENT",
    "ConnectorDeadlineError",
    "ConnectorPayloadError",
    "ConnectorResponseTooLargeError",
    "HttpSession",
    "HttpSettings",
    "PacedRetry",
    "Page",
    "RateAdvice",
    "RatePolicy",
    "ServerPacer",
    "TokenBucket",
    "announce_wait",
    "body_cursor_pages",
    "describe_endpoint",
    "describe_validation_error",
    "error_from_exception",
    "json_or_error",
    "link_header_pages",
    "make_session",
    "next_link_pages",
    "offset_pages",
    "page_number_pages",
    "parse_payload",
    "raise_for_status",
    "redact",
    "wait_listener",
]

"""Turning HTTP outcomes into e20kit's ConnectorError family.

Connectors must never see a raw ``requests`` exception or guess what a status code means: the core
decides from the error class whether to stop (auth), rerun later (retriable) or report a bug in the
connector or platform (fatal). Every message is redacted before the exception is built.
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import requests

from ..errors import (
    ConnectorAuthError,
    ConnectorDeadlineError,
    ConnectorError,
    ConnectorFatalError,
    ConnectorRateLimitError,
    ConnectorResponseTooLargeError,
    ConnectorRetriableError,
)
from .bounds import DeadlineExceeded, ResponseTooLarge
from .pacing import too_long
from .redaction import describe_endpoint, redact

SNIPPET_CHARS = 200
RETRIABLE_STATUSES = frozenset({408, 425, 429})
"""4xx statuses that are transient; every 5xx is too."""
_ERROR_FIELDS = ("message", "id", "request_id", "status_code", "code", "error_description")

_FATAL_EXCEPTIONS: tuple[type[Exception], ...] = (
    requests.exceptions.SSLError,
    requests.exceptions.InvalidURL,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
    requests.exceptions.InvalidHeader,
    requests.exceptions.URLRequired,
    requests.exceptions.TooManyRedirects,
)


def _context(
    response: requests.Response, connector: str | None, secrets: Iterable[str]
) -> tuple[str, list[str]]:
    """Connector name and secrets, defaulting to those of the session that made ``response``."""
    adapter = getattr(response, "connection", None)
    name = connector or getattr(adapter, "e20kit_connector", None) or "http"
    found = [*secrets, *getattr(adapter, "e20kit_secrets", ())]
    return str(name), found


def _endpoint(response: requests.Response, secrets: Iterable[str]) -> str:
    url = response.url or (response.request.url if response.request is not None else "") or ""
    return describe_endpoint(str(url), secrets)


def _snippet(response: requests.Response, secrets: Iterable[str]) -> str:
    try:
        raw = response.content[: SNIPPET_CHARS * 4]
    except requests.RequestException:
        return "<body unreadable>"
    if not raw:
        return "<empty body>"
    text = " ".join(raw.decode(response.encoding or "utf-8", "replace").split())
    text = redact(text, secrets)
    return repr(text[:SNIPPET_CHARS] + ("..." if len(text) > SNIPPET_CHARS else ""))


def _error_fields(data: Any, secrets: Iterable[str]) -> list[str]:
    """``key='value'`` pairs from a Mattermost/Confluence/Graph style JSON error body."""
    if not isinstance(data, dict):
        return []
    out: list[str] = []
    for key in _ERROR_FIELDS:
        value = data.get(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            shown = redact(str(value), secrets)[:SNIPPET_CHARS]
            out.append(f"{key}={shown!r}")
    nested = data.get("error")
    if isinstance(nested, dict):
        out.extend(_error_fields(nested, secrets))
    elif isinstance(nested, str):
        out.append(f"error={redact(nested, secrets)[:SNIPPET_CHARS]!r}")
    return out


def _detail(response: requests.Response, secrets: Iterable[str]) -> str:
    try:
        fields = _error_fields(json.loads(response.content), secrets)
    except (ValueError, requests.RequestException):
        fields = []
    return "; ".join(fields) if fields else f"body: {_snippet(response, secrets)}"


def raise_for_status(
    response: requests.Response,
    *,
    connector: str | None = None,
    secrets: Iterable[str] = (),
) -> requests.Response:
    """Raise the ConnectorError matching an HTTP error status; return ``response`` otherwise.

    401/403 -> ConnectorAuthError; 408/425/429/5xx (already retried) -> ConnectorRetriableError;
    any other 4xx -> ConnectorFatalError. ``connector`` and ``secrets`` default to those of the
    :func:`make_session` session that produced the response.
    """
    status = response.status_code
    if status < 400:
        return response
    name, found = _context(response, connector, secrets)
    endpoint = _endpoint(response, found)
    detail = redact(_detail(response, found), found)
    error: type[ConnectorError]
    wait = retry_after_seconds(response.headers.get("Retry-After") or "", time.time())
    retry = getattr(getattr(response, "connection", None), "max_retries", None)
    limit = getattr(retry, "backoff_max", None)
    if wait is not None and isinstance(limit, int | float) and too_long(wait, limit):
        raise ConnectorRateLimitError(
            f"rate limit: Retry-After asks for a {wait:.0f} s wait, longer than [http] "
            f"backoff_max_s = {limit:g}; rerun later (or raise backoff_max_s): {detail}",
            connector=name,
            endpoint=endpoint,
            status=status,
            header="Retry-After",
            wait_s=wait,
        )
    if status in (401, 403):
        error, what = ConnectorAuthError, "credentials rejected"
    elif status in RETRIABLE_STATUSES or status >= 500:
        error, what = ConnectorRetriableError, "still failing after retries"
    else:
        error, what = ConnectorFatalError, "request rejected"
    raise error(f"{what}: {detail}", connector=name, endpoint=endpoint, status=status)


def retry_after_seconds(value: str, now: float) -> float | None:
    """Seconds a ``Retry-After`` value asks for (delta seconds or an HTTP date), else None."""
    text = value.strip()
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        return float(text)
    parsed = email.utils.parsedate_tz(text) if text else None
    return None if parsed is None else email.utils.mktime_tz(parsed) - now


def json_or_error(
    response: requests.Response,
    *,
    connector: str | None = None,
    secrets: Iterable[str] = (),
) -> Any:
    """The decoded JSON body, after :func:`raise_for_status`; a non-JSON body is fatal.

    A 204 No Content gives ``None``.
    """
    raise_for_status(response, connector=connector, secrets=secrets)
    if response.status_code == 204:
        return None
    name, found = _context(response, connector, secrets)
    try:
        return json.loads(response.content)
    except (ValueError, requests.RequestException):
        kind = response.headers.get("Content-Type") or "no Content-Type"
        raise ConnectorFatalError(
            f"malformed response: expected JSON, got {redact(kind, found)}: "
            f"{_snippet(response, found)}",
            connector=name,
            endpoint=_endpoint(response, found),
            status=response.status_code,
        ) from None


def error_from_exception(
    exc: requests.RequestException, *, connector: str, url: str, secrets: Iterable[str]
) -> ConnectorError:
    """The ConnectorError for a transport failure (connection, timeout, retries exhausted).

    The original exception is not chained by callers: its text may hold the full URL.
    """
    found = list(secrets)
    request_url = getattr(exc.request, "url", None) or url
    endpoint = describe_endpoint(str(request_url), found)
    reason = redact(" ".join(str(exc).split()), found)[:300]
    kind = type(exc).__name__
    if isinstance(exc, requests.exceptions.SSLError):
        return ConnectorFatalError(
            f"TLS failure ({kind}): {reason}; check [http] verify_tls and the CA bundle",
            connector=connector,
            endpoint=endpoint,
        )
    if isinstance(exc, ResponseTooLarge):
        return ConnectorResponseTooLargeError(
            f"{reason}; raise [http] max_response_mb if this answer is legitimate",
            connector=connector,
            endpoint=endpoint,
            read_bytes=exc.read_bytes,
            limit=exc.limit,
        )
    if isinstance(exc, DeadlineExceeded):
        return ConnectorDeadlineError(
            f"{reason}: the server sends too slowly (or never finishes); rerun later",
            connector=connector,
            endpoint=endpoint,
        )
    if isinstance(exc, _FATAL_EXCEPTIONS):
        return ConnectorFatalError(f"{kind}: {reason}", connector=connector, endpoint=endpoint)
    if isinstance(exc, requests.exceptions.Timeout):
        what = "timed out"
    elif isinstance(exc, requests.exceptions.RetryError):
        what = "retries exhausted"
    elif isinstance(exc, requests.exceptions.ConnectionError):
        cause = connection_failure(exc)
        if cause is not None:
            return ConnectorRetriableError(
                f"cannot reach {_host_port(request_url)}: {cause}; check the configured url "
                "and that the server is up",
                connector=connector,
                endpoint=endpoint,
            )
        what = "connection failed"
    else:
        what = "transport error"
    return ConnectorRetriableError(
        f"{what} ({kind}): {reason}", connector=connector, endpoint=endpoint
    )


_CONNECTION_CAUSES = (
    ("connection refused", "connection refused (nothing listens on that port)"),
    ("name or service not known", "host name not found"),
    ("nodename nor servname", "host name not found"),
    ("failed to resolve", "host name not found"),
    ("temporary failure in name resolution", "host name could not be resolved (DNS)"),
    ("network is unreachable", "network unreachable"),
    ("no route to host", "no route to host"),
    ("connection reset", "the connection was reset"),
    ("remotedisconnected", "the server closed the connection without answering"),
    ("connection aborted", "the connection was aborted"),
)


def connection_failure(exc: BaseException) -> str | None:
    """The cause of a failed connection in a few words, instead of urllib3's nested
    ``Max retries exceeded with url ... (Caused by NewConnectionError(...))``."""
    text = " ".join(str(exc).split()).lower()
    for needle, cause in _CONNECTION_CAUSES:
        if needle in text:
            return cause
    return None


def _host_port(url: str) -> str:
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return "the server"
    return f"{parts.hostname}:{port}"


__all__ = [
    "RETRIABLE_STATUSES",
    "error_from_exception",
    "json_or_error",
    "raise_for_status",
]

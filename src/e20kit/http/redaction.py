"""Keeping secrets out of log lines and error messages.

Connectors hand their tokens to :func:`~e20kit.http.make_session` as ``secrets``; everything the
HTTP layer prints goes through :func:`redact` first. Patterns catch the usual places a credential
hides even when nobody registered it (``Bearer`` values, ``access_token=`` and friends).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

MASK = "***"

SENSITIVE_PARAMS = (
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "token",
    "sig",
    "signature",
    "password",
    "api_key",
    "apikey",
)
"""Query, form and JSON keys whose values are always masked."""

_PARAM_NAMES = "|".join(SENSITIVE_PARAMS)
_PARAM_RE = re.compile(rf"(?i)(?<![\w-])({_PARAM_NAMES})=([^&\s#\"'<>]*)")
_JSON_RE = re.compile(rf'(?i)"({_PARAM_NAMES})"(\s*:\s*)"(?:[^"\\]|\\.)*"')
_BEARER_RE = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*")
_USERINFO_RE = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]*@")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Mask every known secret (also URL-encoded) and every credential-looking value in ``text``."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            text = text.replace(form, MASK)
    text = _BEARER_RE.sub(rf"\1 {MASK}", text)
    text = _PARAM_RE.sub(rf"\1={MASK}", text)
    text = _JSON_RE.sub(rf'"\1"\2"{MASK}"', text)
    return _USERINFO_RE.sub(r"\1", text)


def describe_endpoint(url: str, secrets: Iterable[str] = ()) -> str:
    """The URL as it may appear in logs and errors: no userinfo, no fragment, no secret values."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        if parts.port is not None:
            host += f":{parts.port}"
        cleaned = urlunsplit((parts.scheme, host, parts.path, parts.query, ""))
    except ValueError:
        cleaned = url.split("#", 1)[0]
    return redact(cleaned, secrets)


class _RegisteredSecrets:
    """Secrets of every live session, so the urllib3 log filter can mask them too."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: set[str] = set()

    def add(self, secrets: Iterable[str]) -> None:
        with self._lock:
            self._values.update(s for s in secrets if s)

    def snapshot(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._values)


REGISTERED = _RegisteredSecrets()


class RedactingFilter(logging.Filter):
    """Rewrites records of third-party loggers (urllib3 logs full request lines) before output.

    urllib3's one WARNING per retry ("Retrying (Retry(total=...)) after connection broken...")
    becomes a DEBUG line: the session counts retries and the collect summary prints one line per
    connector instead of one warning per attempt.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the logging module's problem, not ours
            return True
        if record.levelno == logging.WARNING and message.startswith("Retrying ("):
            if not logging.getLogger(record.name).isEnabledFor(logging.DEBUG):
                return False
            record.levelno, record.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
        record.msg = redact(message, REGISTERED.snapshot())
        record.args = None
        return True


_THIRD_PARTY_LOGGERS = (
    "urllib3.connectionpool",
    "urllib3.connection",
    "urllib3.poolmanager",
    "urllib3.util.retry",
)
_install_lock = threading.Lock()


def install_log_filter() -> None:
    """Attach :class:`RedactingFilter` to the urllib3 loggers once per process."""
    with _install_lock:
        for name in _THIRD_PARTY_LOGGERS:
            logger = logging.getLogger(name)
            if not any(isinstance(f, RedactingFilter) for f in logger.filters):
                logger.addFilter(RedactingFilter())


__all__ = ["MASK", "SENSITIVE_PARAMS", "describe_endpoint", "install_log_filter", "redact"]

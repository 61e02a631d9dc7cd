"""Keeping secrets out of log lines and error messages.

Connectors hand their tokens to :func:`~e20kit.http.make_session` as ``secrets``; everything the
HTTP layer prints goes through :func:`redact` first. Patterns catch the usual places a credential
hides even when nobody registered it (``Bearer`` values, ``access_token=`` and friends).
"""

from __future__ import annotations

import base64
import functools
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
    "authorization",
    "client_assertion",
)
"""Query, form and JSON keys whose values are always masked."""

_PARAM_NAMES = "|".join(SENSITIVE_PARAMS)
_PARAM_RE = re.compile(rf"(?i)(?<![\w-])({_PARAM_NAMES})=([^&\s#\"'<>]*)")
_JSON_RE = re.compile(rf'(?i)"({_PARAM_NAMES})"(\s*:\s*)"(?:[^"\\]|\\.)*"')
_REPR_RE = re.compile(rf"(?i)'({_PARAM_NAMES})'(\s*:\s*)'(?:[^'\\]|\\.)*'")
"""The same keys in a Python ``repr`` of a dict (msal logs its responses that way)."""
_BEARER_RE = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*")
_BASIC_RE = re.compile(r"(?i)\b(basic|negotiate)\s+(?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{8,}=*")
"""Base64 credentials (``Basic ZTIw...``); a digit, ``+``, ``/`` or ``=`` tells them from words."""
_HEADER_RE = re.compile(
    r"(?i)\b(authorization|proxy-authorization|cookie|x-api-key)(\s*:\s*)"
    r"(?!(?:bearer|basic|negotiate)\s)[^\s'\",;]+"
)
"""A header's bare value; ``Bearer``/``Basic`` values are masked by their own patterns."""
MIN_ENCODED_CHARS = 8
"""Shortest fragment of a secret's base64 form that is masked (shorter ones match by chance)."""
_USERINFO_RE = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]*@")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Mask every known secret (also URL-encoded) and every credential-looking value in ``text``."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        for form in _forms(secret):
            text = text.replace(form, MASK)
    text = _HEADER_RE.sub(rf"\1\2{MASK}", text)
    text = _BEARER_RE.sub(rf"\1 {MASK}", text)
    text = _BASIC_RE.sub(rf"\1 {MASK}", text)
    text = _PARAM_RE.sub(rf"\1={MASK}", text)
    text = _JSON_RE.sub(rf'"\1"\2"{MASK}"', text)
    text = _REPR_RE.sub(rf"'\1'\2'{MASK}'", text)
    return _USERINFO_RE.sub(r"\1", text)


@functools.lru_cache(maxsize=256)
def _forms(secret: str) -> tuple[str, ...]:
    """``secret`` as it may appear in text: raw, URL-encoded, and inside any base64 string.

    A server that echoes ``Authorization: Basic base64(email:token)`` shows the token only in
    base64, shifted by the length of what precedes it; each of the three shifts has a fixed
    run of characters that encodes the token alone, and that run is masked wherever it occurs.
    """
    forms = {secret, quote(secret, safe=""), quote_plus(secret)}
    raw = secret.encode()
    for shift in range(3):
        for alphabet in (base64.b64encode, base64.urlsafe_b64encode):
            encoded = alphabet(b"\0" * shift + raw).decode().rstrip("=")
            # characters made only of the secret's bits: not the prefix's, not the padding's
            fragment = encoded[(4 * shift + 2) // 3 : 4 * (shift + len(raw)) // 3]
            if len(fragment) >= MIN_ENCODED_CHARS:
                forms.add(fragment)
    return tuple(sorted(forms, key=len, reverse=True))


def credential_parts(header: str) -> tuple[str, ...]:
    """The secret values inside an ``Authorization`` header: the credential after the scheme
    and, for ``Basic``, the password part of the decoded ``user:password``."""
    scheme, _, credential = header.strip().partition(" ")
    credential = credential.strip() or scheme
    found = [credential]
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credential, validate=True).decode()
        except ValueError:
            decoded = ""
        password = decoded.partition(":")[2]
        if len(password) >= 4:
            found.append(password)
    return tuple(found)


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
    connector instead of one warning per attempt. msal's records become DEBUG lines too: it logs
    a malformed token response whole (tokens, the client secret) with a traceback, and the
    plugin raises one typed error for the same cause. Tracebacks of third-party records are
    dropped; their text may quote a secret and they are not the user's business.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the logging module's problem, not ours
            return True
        demote = record.name.startswith(_DEMOTED) or (
            record.levelno == logging.WARNING and message.startswith("Retrying (")
        )
        if demote and record.levelno > logging.DEBUG:
            if not logging.getLogger(record.name).isEnabledFor(logging.DEBUG):
                return False
            record.levelno, record.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
        if not record.name.startswith("e20kit"):
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        record.msg = redact(message, REGISTERED.snapshot())
        record.args = None
        return True


_DEMOTED = ("msal",)
"""Loggers whose records are only shown with -vv (as DEBUG)."""
_THIRD_PARTY_LOGGERS = (
    "urllib3.connectionpool",
    "urllib3.connection",
    "urllib3.poolmanager",
    "urllib3.util.retry",
    "msal.application",
    "msal.authority",
    "msal.token_cache",
    "msal.telemetry",
    "msal.throttled_http_client",
    "msal.oauth2cli.oauth2",
    "msal.oauth2cli.oidc",
    "msal.oauth2cli.assertion",
)
_install_lock = threading.Lock()


def install_log_filter() -> None:
    """Attach :class:`RedactingFilter` to the urllib3 and msal loggers once per process (the
    CLI's log handler carries one too, for every other logger)."""
    with _install_lock:
        for name in _THIRD_PARTY_LOGGERS:
            logger = logging.getLogger(name)
            if not any(isinstance(f, RedactingFilter) for f in logger.filters):
                logger.addFilter(RedactingFilter())


__all__ = [
    "MASK",
    "SENSITIVE_PARAMS",
    "RedactingFilter",
    "credential_parts",
    "describe_endpoint",
    "install_log_filter",
    "redact",
]

"""``ServiceUrl``: the one rule for every platform URL a plugin's settings accept.

A token sent over plain HTTP can be read by anyone on the path, so ``http://`` is allowed only
for a loopback host (the sandboxes' fakes on 127.0.0.1); everything else must be ``https://``
with a host name that could resolve. Checking this when the config is read turns a typo into a
config error naming the key instead of a failure at three in the morning.
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse
from typing import Annotated

from pydantic import AfterValidator

_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address, IPv6 without brackets) is this machine."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.rstrip(".").split(".")
    return bool(labels) and all(_LABEL.match(label) for label in labels)


def check_service_url(value: str) -> str:
    """``value`` without surrounding blanks and trailing slashes, or ``ValueError`` saying why."""
    url = value.strip().rstrip("/")
    if any(ch.isspace() for ch in url):
        raise ValueError("must not contain spaces")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError("must start with https:// (or http:// for a loopback fake)")
    host = parts.hostname or ""
    if not host or not _valid_host(host):
        raise ValueError(f"has no valid host name: {url!r}")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number in range
    except ValueError:
        raise ValueError(f"has an invalid port: {url!r}") from None
    if parts.username or parts.password:
        raise ValueError("must not carry credentials; give them as *_env settings")
    if parts.query or parts.fragment:
        raise ValueError("must not carry a query or fragment")
    if parts.scheme == "http" and not is_loopback(host):
        raise ValueError(
            "must use https:// (plain http:// is allowed only for a loopback host such as "
            "127.0.0.1, because the token would travel unencrypted)"
        )
    return url


ServiceUrl = Annotated[str, AfterValidator(check_service_url)]
"""A settings field type for a platform's base URL (see the module docstring for the rule)."""

__all__ = ["LOOPBACK_NAMES", "ServiceUrl", "check_service_url", "is_loopback"]

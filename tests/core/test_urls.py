"""The one URL rule for platform settings: https with a real host, http only on loopback."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from e20kit import ServiceUrl


class _Settings(BaseModel):
    url: ServiceUrl


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("https://chat.example.org/", "https://chat.example.org"),
        ("  https://wiki.example.org/confluence  ", "https://wiki.example.org/confluence"),
        ("https://SITE.atlassian.net/wiki", "https://SITE.atlassian.net/wiki"),
        ("https://graph.microsoft.com:443/v1.0", "https://graph.microsoft.com:443/v1.0"),
        ("http://127.0.0.1:8065", "http://127.0.0.1:8065"),
        ("http://localhost:9000/wiki", "http://localhost:9000/wiki"),
        ("http://[::1]:8080", "http://[::1]:8080"),
        ("https://bücher.example", "https://bücher.example"),
    ],
)
def test_accepted_urls_are_normalised(given: str, stored: str) -> None:
    assert _Settings(url=given).url == stored


@pytest.mark.parametrize(
    ("given", "why"),
    [
        ("http://chat.example.org", "allowed only for a loopback host"),
        ("http://10.0.0.5", "allowed only for a loopback host"),
        ("https://chat example.org", "must not contain spaces"),
        ("ftp://chat.example.org", "must start with https://"),
        ("chat.example.org", "must start with https://"),
        ("https://", "no valid host"),
        ("https://-bad-.example.org", "no valid host"),
        ("https://host.example.org:99999", "invalid port"),
        ("https://user:pw@host.example.org", "must not carry credentials"),
        ("https://host.example.org/?token=x", "must not carry a query"),
    ],
)
def test_rejected_urls_say_why(given: str, why: str) -> None:
    with pytest.raises(ValidationError, match=why):
        _Settings(url=given)

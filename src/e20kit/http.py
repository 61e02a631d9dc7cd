"""Shared HTTP session factory for connectors and notifiers (being written; see docs/http.md)."""

from __future__ import annotations

from collections.abc import Sequence

import requests

from .config import HttpSettings


def make_session(
    connector: str,
    *,
    settings: HttpSettings | None = None,
    base_url: str | None = None,
    secrets: Sequence[str] = (),
    rate_limit_per_s: float | None = None,
    max_concurrency: int | None = None,
) -> requests.Session:
    raise NotImplementedError

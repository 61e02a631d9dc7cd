"""How a plugin teaches the core its vendor's rate-limit headers.

The core knows only ``Retry-After`` and the configured client-side rate. Everything else a vendor
sends (``X-Ratelimit-Remaining``, a fill rate, a "near limit" flag) means something different on
every platform, so the plugin supplies a :class:`RatePolicy` that reads one response's headers and
answers with a :class:`RateAdvice`; the session applies it to all of its threads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class RateAdvice:
    """What a :class:`RatePolicy` asks of the session after one response."""

    pause_s: float | None = None
    """Every request of this session waits this long first; a pause longer than
    ``backoff_max_s`` stops the session with :class:`~e20kit.errors.ConnectorRateLimitError`
    at its next request instead of stalling it."""
    rate_per_s: float | None = None
    """Pace no faster than this from now on (the stricter of this and the configured rate wins)."""
    source: str | None = field(default=None, compare=False)
    """The header the pause comes from (``X-RateLimit-Reset``): named in the error when the
    pause is longer than ``backoff_max_s``."""


@runtime_checkable
class RatePolicy(Protocol):
    """Reads a vendor's rate-limit headers; one instance per session, called from any thread."""

    def advise(self, headers: Mapping[str, str], *, now: float) -> RateAdvice | None:
        """Read one response's vendor rate-limit headers; ``now`` is wall-clock epoch seconds."""
        ...


__all__ = ["RateAdvice", "RatePolicy"]

"""Mattermost's rate-limit headers, read for the core's session as a :class:`~e20kit.RatePolicy`.

Mattermost sends on every response ``X-Ratelimit-Limit`` (requests per second the token may
make), ``X-Ratelimit-Remaining`` (requests left in the current window) and ``X-Ratelimit-Reset``
(seconds until the window resets; some proxies send a Unix time instead). The session paces at
the advertised rate, and when the window is (nearly) used up every thread waits for the reset, so
the server never has to answer 429.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from e20kit import RateAdvice

EPOCH_THRESHOLD = 1_000_000_000.0
"""An ``X-Ratelimit-Reset`` above this is a Unix timestamp, below it a number of seconds."""


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class MattermostRatePolicy:
    """``reserve`` is how many requests may still be left when the session pauses until the
    reset: it covers the requests already in flight (``max_concurrency - 1``; the default suits
    the default ``[http] max_concurrency = 4``)."""

    reserve: int = 3

    def advise(self, headers: Mapping[str, str], *, now: float) -> RateAdvice | None:
        rate = _number(headers.get("X-Ratelimit-Limit"))
        remaining = _number(headers.get("X-Ratelimit-Remaining"))
        reset = _number(headers.get("X-Ratelimit-Reset"))
        pause: float | None = None
        if remaining is not None and reset is not None and remaining <= self.reserve:
            pause = max(reset - now if reset > EPOCH_THRESHOLD else reset, 0.0)
        per_s = rate if rate is not None and rate > 0 else None
        if pause is None and per_s is None:
            return None
        return RateAdvice(pause_s=pause, rate_per_s=per_s, source="X-Ratelimit-Reset")


__all__ = ["EPOCH_THRESHOLD", "MattermostRatePolicy"]

"""Confluence's rate-limit headers, read for the core's session as a :class:`~e20kit.RatePolicy`.

**Cloud** (points-based quotas) answers a throttled request with 429, ``Retry-After`` (the core
honours it) and ``X-RateLimit-Reset``, an ISO 8601 timestamp of when the quota refills; before
that it flags responses with ``X-RateLimit-NearLimit: true``. The policy pauses every thread
until the reset, and for ``near_limit_pause_s`` whenever the site says it is near the limit (the
flag carries no figure to pace at, and Cloud quotas refill within the hour).

**Data Center** limits each user with a token bucket and says so on every response:
``X-RateLimit-Limit`` is the bucket's *capacity* (not a rate), ``X-RateLimit-Remaining`` the
tokens left, ``X-RateLimit-FillRate`` the tokens added every ``X-RateLimit-Interval-Seconds``.
The policy paces at the fill rate and, when the bucket is (nearly) empty, waits for the next
token, so the site never has to answer 429.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from e20kit import RateAdvice


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _instant(value: str | None) -> float | None:
    """Epoch seconds of an ISO 8601 timestamp (``2026-12-01T10:00:00.000Z``), else None."""
    if not value:
        return None
    try:
        at = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).timestamp()


@dataclass(frozen=True)
class CloudRatePolicy:
    near_limit_pause_s: float = 1.0
    """How long every request waits after a response carrying ``X-RateLimit-NearLimit: true``."""

    def advise(self, headers: Mapping[str, str], *, now: float) -> RateAdvice | None:
        reset = _instant(headers.get("X-RateLimit-Reset"))
        pause = max(reset - now, 0.0) if reset is not None else 0.0
        if str(headers.get("X-RateLimit-NearLimit", "")).strip().lower() == "true":
            pause = max(pause, self.near_limit_pause_s)
        return RateAdvice(pause_s=pause, source="X-RateLimit-Reset") if pause > 0 else None


@dataclass(frozen=True)
class DataCenterRatePolicy:
    reserve: float = 0.0
    """Tokens that may still be left when the session waits for the next one (requests in
    flight; the connector reads one request at a time)."""

    def advise(self, headers: Mapping[str, str], *, now: float) -> RateAdvice | None:
        fill = _number(headers.get("X-RateLimit-FillRate"))
        interval = _number(headers.get("X-RateLimit-Interval-Seconds")) or 1.0
        remaining = _number(headers.get("X-RateLimit-Remaining"))
        if fill is None or fill <= 0 or interval <= 0:
            return None
        rate = fill / interval
        pause = None
        if remaining is not None and remaining < 1.0 + self.reserve:
            pause = (1.0 + self.reserve - remaining) / rate
        return RateAdvice(pause_s=pause, rate_per_s=rate, source="X-RateLimit-FillRate")


def rate_policy(cloud: bool) -> CloudRatePolicy | DataCenterRatePolicy:
    return CloudRatePolicy() if cloud else DataCenterRatePolicy()


__all__ = ["CloudRatePolicy", "DataCenterRatePolicy", "rate_policy"]

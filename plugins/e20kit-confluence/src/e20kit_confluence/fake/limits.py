"""Each deployment's rate limiting, with the headers it sends.

Cloud (points-based quotas, simplified to requests per second): ``X-RateLimit-NearLimit: true``
once under a fifth of the quota is left; a 429 carries ``Retry-After`` (seconds) and
``X-RateLimit-Reset`` (an ISO 8601 timestamp). Data Center (token bucket per user): every
response carries ``X-RateLimit-Limit`` (bucket capacity), ``-Remaining``, ``-FillRate`` (tokens
added per interval) and ``-Interval-Seconds``; a 429 carries ``Retry-After``.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections.abc import Callable


class Bucket:
    def __init__(
        self, capacity: float, per_s: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.capacity = capacity
        self.per_s = per_s
        self.tokens = capacity
        self._clock = clock
        self.last = clock()
        self.lock = threading.Lock()

    def take(self) -> tuple[bool, float, float]:
        """(allowed, tokens left, seconds until one token is back)."""
        with self.lock:
            now = self._clock()
            self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.per_s)
            self.last = now
            allowed = self.tokens >= 1.0
            if allowed:
                self.tokens -= 1.0
            wait = max(0.0, (1.0 - self.tokens) / self.per_s)
            return allowed, self.tokens, wait


class CloudLimit:
    """Requests per second with a burst of one second's worth."""

    def __init__(self, per_s: float) -> None:
        self.per_s = per_s
        self.bucket = Bucket(max(per_s, 1.0), per_s)

    def check(self) -> tuple[bool, dict[str, str]]:
        allowed, left, wait = self.bucket.take()
        headers: dict[str, str] = {}
        if left < self.bucket.capacity / 5:
            headers["X-RateLimit-NearLimit"] = "true"
        if not allowed:
            reset = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=wait)
            headers["Retry-After"] = str(max(1, math.ceil(wait)))
            headers["X-RateLimit-Reset"] = reset.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        return allowed, headers


class DataCenterLimit:
    """Capacity ``capacity``, ``fill_rate`` tokens every ``interval_s`` seconds."""

    def __init__(self, capacity: int, fill_rate: int, interval_s: int = 1) -> None:
        self.capacity, self.fill_rate, self.interval_s = capacity, fill_rate, interval_s
        self.bucket = Bucket(capacity, fill_rate / interval_s)

    @property
    def per_s(self) -> float:
        return self.fill_rate / self.interval_s

    def check(self) -> tuple[bool, dict[str, str]]:
        allowed, left, wait = self.bucket.take()
        headers = {
            "X-RateLimit-Limit": str(self.capacity),
            "X-RateLimit-Remaining": str(int(left)),
            "X-RateLimit-FillRate": str(self.fill_rate),
            "X-RateLimit-Interval-Seconds": str(self.interval_s),
        }
        if not allowed:
            headers["Retry-After"] = str(max(1, math.ceil(wait)))
        return allowed, headers


__all__ = ["Bucket", "CloudLimit", "DataCenterLimit"]

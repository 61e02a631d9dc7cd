"""Client-side pacing: a token bucket, and obeying the server's ``X-Ratelimit-*`` headers.

Both take their clock and sleep function as arguments so tests can drive them with a fake clock
instead of waiting (and never assert wall-clock time).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

Clock = Callable[[], float]
Sleep = Callable[[float], None]

EPOCH_THRESHOLD = 1_000_000_000.0
"""An ``X-Ratelimit-Reset`` above this is a Unix timestamp, below it a number of seconds."""


class TokenBucket:
    """At most ``rate`` requests per second with bursts of ``burst``; safe across threads.

    Each caller reserves its slot under the lock and sleeps outside it, so concurrent callers are
    spaced ``1 / rate`` apart without serialising on the lock while they wait.
    """

    def __init__(
        self,
        rate: float,
        *,
        burst: float = 1.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = burst
        self._last = clock()

    def acquire(self) -> float:
        """Take one token, sleeping until it is available; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
            self._last = now
            self._tokens -= 1.0
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
        if wait > 0:
            self._sleep(wait)
        return wait


class ServerPacer:
    """Pauses before the next request when the server says its quota is (nearly) used up.

    Mattermost sends ``X-Ratelimit-Remaining`` and ``X-Ratelimit-Reset`` (seconds until the window
    resets) on every response. When Remaining drops to ``reserve`` or below, every thread of the
    session waits until the reset, so the server never has to answer 429. ``reserve`` should cover
    the requests that may already be in flight (``max_concurrency - 1``).
    """

    def __init__(
        self,
        *,
        reserve: int = 0,
        max_wait_s: float = 60.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        wall_clock: Clock = time.time,
    ) -> None:
        self.reserve = reserve
        self.max_wait_s = max_wait_s
        self._clock = clock
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self._resume_at = float("-inf")

    def observe(self, headers: Mapping[str, str]) -> float | None:
        """Read the rate-limit headers of a response; returns the pause scheduled, if any."""
        remaining_raw = headers.get("X-Ratelimit-Remaining")
        reset_raw = headers.get("X-Ratelimit-Reset")
        if remaining_raw is None or reset_raw is None:
            return None
        try:
            remaining = float(remaining_raw)
            reset = float(reset_raw)
        except ValueError:
            return None
        if remaining > self.reserve:
            return None
        seconds = reset - self._wall_clock() if reset > EPOCH_THRESHOLD else reset
        seconds = min(max(seconds, 0.0), self.max_wait_s)
        with self._lock:
            self._resume_at = max(self._resume_at, self._clock() + seconds)
        return seconds

    def wait(self) -> float:
        """Sleep until a scheduled pause is over; returns the seconds waited."""
        with self._lock:
            delay = self._resume_at - self._clock()
        if delay > 0:
            self._sleep(delay)
            return delay
        return 0.0


__all__ = ["EPOCH_THRESHOLD", "Clock", "ServerPacer", "Sleep", "TokenBucket"]

"""Client-side pacing: a token bucket, and session-wide pauses a rate policy asks for.

Both take their clock and sleep function as arguments so tests can drive them with a fake clock
instead of waiting (and never assert wall-clock time).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

Clock = Callable[[], float]
Sleep = Callable[[float], None]


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
    """Holds back every thread of a session until a pause a :class:`RatePolicy` asked for is over.

    The pause starts when the advice is read, so requests already in flight are not delayed; the
    next request of any thread waits. Pauses are capped at ``max_wait_s`` and never shortened by a
    later, shorter one.
    """

    def __init__(
        self,
        *,
        max_wait_s: float = 60.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.max_wait_s = max_wait_s
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._resume_at = float("-inf")

    def pause(self, seconds: float) -> float:
        """Schedule a pause of ``seconds`` (capped); returns the pause scheduled."""
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


__all__ = ["Clock", "ServerPacer", "Sleep", "TokenBucket"]

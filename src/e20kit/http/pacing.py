"""Client-side pacing: a token bucket, and session-wide pauses a rate policy asks for.

Both take their clock and sleep function as arguments so tests can drive them with a fake clock
instead of waiting (and never assert wall-clock time).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from .waits import announce_wait

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


SHORT_WAIT_S = 30.0
"""A server's wait up to this long is capped at ``backoff_max_s`` and waited, never refused
(a test's tiny ``backoff_max_s`` must not turn ``Retry-After: 1`` into an error)."""


def too_long(seconds: float, limit: float) -> bool:
    """Whether a wait a server asks for is refused rather than waited (capped)."""
    return seconds > max(limit, SHORT_WAIT_S)


class WaitTooLong(Exception):
    """A server asked for a wait longer than ``backoff_max_s``; the session turns it into
    :class:`~e20kit.errors.ConnectorRateLimitError` naming the header and the endpoint."""

    def __init__(self, source: str, seconds: float, limit: float) -> None:
        super().__init__(f"{source} asks for a {seconds:.0f} s wait")
        self.source = source
        self.seconds = seconds
        self.limit = limit


class ServerPacer:
    """Holds back every thread of a session until a pause a :class:`RatePolicy` asked for is over.

    The pause starts when the advice is read, so requests already in flight are not delayed; the
    next request of any thread waits. Pauses are never shortened by a later, shorter one. A pause
    longer than ``max_wait_s`` is not waited at all: the next request raises :class:`WaitTooLong`
    (the answer that asked for it is still delivered, so nothing read is lost).
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
        self._refused: WaitTooLong | None = None
        self.reason = "rate limit"
        """What an announced wait says it waits for (the session sets its connector name)."""

    def pause(self, seconds: float, *, source: str | None = None) -> float:
        """Schedule a pause of ``seconds``; returns the pause scheduled (0 when it is longer
        than ``max_wait_s``: then the next :meth:`wait` raises :class:`WaitTooLong`)."""
        seconds = max(seconds, 0.0)
        if too_long(seconds, self.max_wait_s):
            with self._lock:
                self._refused = WaitTooLong(source or "a rate policy", seconds, self.max_wait_s)
            return 0.0
        seconds = min(seconds, self.max_wait_s)
        with self._lock:
            self._resume_at = max(self._resume_at, self._clock() + seconds)
        return seconds

    def wait(self) -> float:
        """Sleep until a scheduled pause is over; returns the seconds waited."""
        with self._lock:
            refused, self._refused = self._refused, None
            delay = self._resume_at - self._clock()
        if refused is not None:
            raise refused
        if delay > 0:
            announce_wait(f"{self.reason}: the server asked for a pause", delay)
            self._sleep(delay)
            return delay
        return 0.0


__all__ = [
    "SHORT_WAIT_S",
    "Clock",
    "ServerPacer",
    "Sleep",
    "TokenBucket",
    "WaitTooLong",
    "too_long",
]

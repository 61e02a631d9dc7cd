"""Deterministic fault injection for the loopback server.

Connectors must survive rate limits, server errors, resets, slow and cut-off answers. The plan
decides which requests fail from its seed and the request sequence, so a failing test replays
the same faults. Two rules keep retries meaningful: a request that directly follows a faulted one
is never faulted, and a request identical to one that was just faulted (same method, path, query
and body) always passes on its next attempt, even when other clients interleave.
"""

from __future__ import annotations

import hashlib
import random
import threading
from dataclasses import dataclass

__all__ = ["FAULT_KINDS", "FaultPlan"]

FAULT_KINDS: frozenset[str] = frozenset({"429", "5xx", "reset", "slow", "truncated"})
"""``429``: Too Many Requests with Retry-After; ``5xx``: 503; ``reset``: connection closed with a
TCP reset and no answer; ``slow``: the normal answer after ``slow_s``; ``truncated``: the normal
status and headers but only half the body, then the connection closes."""


@dataclass
class FaultPlan:
    """Which share of requests fail and how; assign a new plan to ``server.faults`` to switch.

    ``rate`` is the chance for each request before the no-repeat rules, so the share observed is
    a little lower (at ``rate=1.0`` every other request fails). ``latency_s`` delays every request,
    faulted or not. ``paths`` limits faults to paths with one of these prefixes (empty: all).
    """

    rate: float = 0.0
    kinds: tuple[str, ...] = ("429", "5xx", "reset")
    retry_after_s: float = 1.0
    latency_s: float = 0.0
    seed: int = 0
    slow_s: float = 0.5
    paths: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - FAULT_KINDS
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; known: {sorted(FAULT_KINDS)}")
        if not self.kinds and self.rate > 0:
            raise ValueError("a fault rate needs at least one fault kind")
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate must be within 0..1, got {self.rate}")
        if min(self.retry_after_s, self.latency_s, self.slow_s) < 0:
            raise ValueError("fault delays must not be negative")


class FaultDecider:
    """Draws faults for one plan; thread-safe, one decision per request in arrival order."""

    def __init__(self, plan: FaultPlan | None) -> None:
        self.plan = plan
        self._rng = random.Random(plan.seed if plan else 0)
        self._lock = threading.Lock()
        self._previous_faulted = False
        self._faulted: set[bytes] = set()

    def decide(self, method: str, path: str, query: str, body: bytes) -> str | None:
        """The fault kind for this request, or ``None`` to answer it normally."""
        plan = self.plan
        if plan is None or plan.rate <= 0.0:
            return None
        key = hashlib.blake2b(
            b"\0".join((method.encode(), path.encode(), query.encode(), body)), digest_size=16
        ).digest()
        with self._lock:
            # Draw twice for every request so the sequence depends only on the request count.
            draw, pick = self._rng.random(), self._rng.random()
            eligible = not plan.paths or path.startswith(plan.paths)
            if self._previous_faulted or key in self._faulted or not eligible or draw >= plan.rate:
                self._previous_faulted = False
                self._faulted.discard(key)
                return None
            self._previous_faulted = True
            self._faulted.add(key)
            return plan.kinds[int(pick * len(plan.kinds))]

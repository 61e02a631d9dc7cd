"""Planning report requests within Microsoft's quota, and what a run remembers of them.

Each usage-report function allows ``budget`` CSV requests per ``window_s`` per app and tenant
(14 per 10 minutes), counted per function. The scheduler keeps a sliding window of the times
each function was asked, persisted in the report's bookmark so a run that follows a cut-short
one right away still respects what the server counted. It always picks the report that may be
asked soonest (round-robin while all are free), so requests of different functions interleave
and the run waits only when every report with work left is out of budget.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from e20kit import announce_wait

from .reports import Report

log = logging.getLogger("e20kit.sharepoint")

Clock = Callable[[], float]
Sleep = Callable[[float], None]

KEEP_DAYS = 31
"""Done days older than this before the run's last day are forgotten (Graph has none)."""


@dataclass
class ReportState:
    """What the bookmark of one report holds (JSON): its as-of day, done days, recent requests."""

    as_of: dt.date | None = None
    done: set[dt.date] = field(default_factory=set)
    sent: list[float] = field(default_factory=list)
    """Wall-clock times of the requests in the current quota window."""
    etags: dict[dt.date, str] = field(default_factory=dict)
    """The ETag of each day read, so a re-read unchanged day answers 304 Not Modified."""

    @classmethod
    def load(cls, value: str | None) -> ReportState:
        if not value:
            return cls()
        try:
            data = json.loads(value)
            as_of = data.get("as_of")
            return cls(
                as_of=dt.date.fromisoformat(as_of) if as_of else None,
                done={dt.date.fromisoformat(d) for d in data.get("done", [])},
                sent=[float(t) for t in data.get("sent", [])],
                etags={dt.date.fromisoformat(d): str(t) for d, t in data.get("etags", {}).items()},
            )
        except (ValueError, TypeError, AttributeError):
            log.warning("unreadable sharepoint bookmark %r: starting that report afresh", value)
            return cls()

    def dump(self, today: dt.date) -> str:
        keep = today - dt.timedelta(days=KEEP_DAYS)
        data = {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "done": sorted(d.isoformat() for d in self.done if d >= keep),
            "sent": [round(t, 3) for t in self.sent],
            "etags": {d.isoformat(): t for d, t in sorted(self.etags.items()) if d >= keep},
        }
        return json.dumps(data, separators=(",", ":"))

    def pending(self, days: Iterable[dt.date], reread_days: int) -> list[dt.date]:
        """Days to ask for, oldest first: never done, or so recent that Microsoft may still
        be filling them in (within ``reread_days`` of the as-of day, or after it)."""
        fresh = self.as_of - dt.timedelta(days=reread_days) if self.as_of else None
        return sorted(d for d in days if d not in self.done or (fresh is not None and d > fresh))


class SlidingQuota:
    """At most ``budget`` requests in any ``window_s`` seconds (times in ``sent``)."""

    def __init__(self, budget: int, window_s: float, sent: list[float], clock: Clock) -> None:
        self.budget = budget
        self.window_s = window_s
        self.sent = sent
        self.clock = clock
        # The server starts counting when it receives a request; we record the time its answer
        # arrived (later), and wait a hair longer than the window on top.
        self.margin_s = min(2.0, window_s * 0.02)

    def _prune(self, now: float) -> None:
        horizon = now - self.window_s - self.margin_s
        self.sent[:] = sorted(t for t in self.sent if t > horizon)

    def ready_at(self) -> float:
        now = self.clock()
        self._prune(now)
        if len(self.sent) < self.budget:
            return now
        return self.sent[-self.budget] + self.window_s + self.margin_s

    def record(self, requests: int = 1) -> None:
        self.sent.extend([self.clock()] * requests)

    def throttled(self) -> None:
        """The server said the window is full (a 429 after retries): someone else uses part of
        the quota. Keep to what got through in this window from now on, and wait a window."""
        now = self.clock()
        self._prune(now)
        self.budget = max(1, min(self.budget, len(self.sent)))
        self.sent.extend([now] * self.budget)


class Scheduler:
    """Hands out (report, day) pairs within every report's quota, waiting when it must."""

    def __init__(
        self,
        plan: Sequence[tuple[Report, Sequence[dt.date], SlidingQuota]],
        *,
        sleep: Sleep = time.sleep,
        clock: Clock = time.time,
    ) -> None:
        self.queues = {r: deque(days) for r, days, _ in plan}
        self.quotas = {r: q for r, _, q in plan}
        self.order = [r for r, _, _ in plan]
        self.sleep = sleep
        self.clock = clock
        self.waited_s = 0.0
        self.turn = 0

    @property
    def backlog(self) -> int:
        return sum(len(q) for q in self.queues.values())

    def again(self, report: Report, day: dt.date) -> None:
        """Ask for ``day`` of ``report`` again, first (after a 429 the quota waits first)."""
        self.queues[report].appendleft(day)

    def drop(self, report: Report) -> None:
        """Nothing more of this report in this run (its newest days are not there yet)."""
        self.queues[report].clear()

    def next(self) -> tuple[Report, dt.date] | None:
        waiting = [r for r in self.order if self.queues[r]]
        if not waiting:
            return None
        # rotate the tie-break so free reports take turns
        start = self.turn % len(waiting)
        rotated = waiting[start:] + waiting[:start]
        report = min(rotated, key=lambda r: self.quotas[r].ready_at())
        self.turn += 1
        delay = self.quotas[report].ready_at() - self.clock()
        if delay > 0:
            # a first collect waits about ten minutes per window: say so, with an estimate
            announce_wait(
                f"{report.label}: Microsoft 365 quota window full "
                f"({self.backlog} report requests left)",
                delay,
            )
            self.waited_s += delay
            self.sleep(delay)
        return report, self.queues[report].popleft()


__all__ = ["KEEP_DAYS", "ReportState", "Scheduler", "SlidingQuota"]

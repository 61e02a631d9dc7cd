"""What the connector benchmarks against loopback fakes measure, in one place."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from typing import Any

from e20kit import Kit
from e20kit.sandbox import LoopbackServer


def sync_figures(
    server: LoopbackServer, kit: Kit, minimum: dict[str, int], *, today: dt.date
) -> dict[str, Any]:
    """One collect: requests made against the minimum the page limits imply, and its time."""
    server.reset_log()
    start = time.perf_counter()
    result = kit.collect(today=today)
    seconds = time.perf_counter() - start
    made = len(server.requests)
    low = sum(minimum.values())
    return {
        "ok": result.ok,
        "requests": made,
        "minimum_requests": low,
        "ratio": round(made / low, 3),
        "minimum_breakdown": minimum,
        "facts_written": result.facts_written,
        "seconds": round(seconds, 2),
    }


def rate_figures(
    server: LoopbackServer, kit: Kit, limit: float, *, today: dt.date
) -> dict[str, Any]:
    """One collect against a rate-limited fake: the achieved rate and the 429s received."""
    start = time.perf_counter()
    result = kit.collect(today=today)
    seconds = time.perf_counter() - start
    statuses = Counter(r.status for r in server.requests)
    made = len(server.requests)
    achieved = made / seconds
    return {
        "ok": result.ok,
        "requests": made,
        "seconds": round(seconds, 2),
        "achieved_rps": round(achieved, 2),
        "limit_rps": limit,
        "ratio": round(achieved / limit, 3),
        "received_429": statuses[429],
    }


__all__ = ["rate_figures", "sync_figures"]

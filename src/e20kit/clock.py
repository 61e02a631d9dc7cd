"""The organisation's clock: the one notion of "now", "today" and "a day" in e20kit.

``[organisation] timezone`` decides where a day begins and ends: the collection window, the
cycle, quiet hours and reports all ask this clock, so a run at 23:30 UTC in Berlin (00:30 the
next day there) collects, nudges and reports the same day. Instants are kept in UTC (as stored);
only calendar days are taken in the organisation's zone.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import overload


@overload
def utc(moment: dt.datetime) -> dt.datetime: ...
@overload
def utc(moment: dt.datetime | None) -> dt.datetime | None: ...
def utc(moment: dt.datetime | None) -> dt.datetime | None:
    """``moment`` as an aware UTC datetime (a naive one is taken as UTC already: stored
    timestamps are UTC, and SQLite hands them back naive); ``None`` stays ``None``."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _wall_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class OrgClock:
    """The organisation's time zone plus a source of "now" (the wall clock unless given)."""

    timezone: str = "UTC"
    """IANA name, as validated by the config (``organisation.timezone``)."""
    source: Callable[[], dt.datetime] = field(default=_wall_clock, compare=False, repr=False)
    zone: zoneinfo.ZoneInfo = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "zone", zoneinfo.ZoneInfo(self.timezone))

    def now(self, at: dt.datetime | None = None) -> dt.datetime:
        """``at`` (when given) or the current instant, aware and in UTC."""
        return utc(at if at is not None else self.source())

    def local(self, at: dt.datetime | None = None) -> dt.datetime:
        """The instant on the organisation's wall clock (for quiet hours and weekends)."""
        return self.now(at).astimezone(self.zone)

    def today(self, at: dt.datetime | None = None) -> dt.date:
        """The organisation's calendar day at ``at`` (default: now)."""
        return self.local(at).date()

    def start_of(self, day: dt.date) -> dt.datetime:
        """The first instant of ``day`` in the organisation's zone, in UTC."""
        return dt.datetime.combine(day, dt.time(), self.zone).astimezone(dt.UTC)

    def fixed(self, at: dt.datetime) -> OrgClock:
        """The same zone with "now" pinned to ``at`` (for back-dated runs and tests)."""
        pinned = utc(at)
        return OrgClock(self.timezone, source=lambda: pinned)


__all__ = ["OrgClock", "utc"]

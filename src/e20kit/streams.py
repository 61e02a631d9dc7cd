"""Streams: the parts a connector reads, and what is missing when an optional part is not there.

A connector declares each part it reads as a :class:`Stream`, required or optional, and reads it
inside ``connector.streams.reading(stream)``. An optional stream whose endpoint is forbidden
(403) or absent (404) becomes a :class:`Gap`: a warning in the collect summary naming the
endpoint and what is missing because of it, while everything read is stored. Any other failure,
and any failure of a required stream, propagates; the core keeps what was stored before it and
calls the run *partial*.

A single *record* a connector could not use for a reason that may pass (a 403, 404 or 5xx on its
detail, a malformed record, an unreadable report day) is reported with :meth:`Streams.skip`,
which names it (stream, record id, endpoint, field; never a value) and says whether the stream's
bookmark must stay before it: the core remembers each skipped record across runs, the next run
reads it again, and only after ``[collect] retry_skipped_runs`` runs is it given up and named in a
warning. A record dated after the collection window's end is flagged with :meth:`Streams.ahead`;
it never moves a bookmark past the window.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace

from .errors import ConnectorError

log = logging.getLogger(__name__)

UNAVAILABLE_STATUSES = frozenset({403, 404})
"""HTTP statuses that mean "this server does not let us read that part" rather than "broken"."""


@dataclass(frozen=True)
class Stream:
    """One part of what a connector reads (a listing, a report, an activity stream)."""

    name: str
    """Short id shown in messages, e.g. ``channel_members``."""
    required: bool = True
    """A required stream that fails fails the connector run (what was stored stays)."""
    provides: str = ""
    """What is missing without it, e.g. ``channel memberships (onboarding check ...)``."""


@dataclass(frozen=True)
class Gap:
    """An optional stream the run could not read."""

    stream: str
    endpoint: str | None
    missing: str
    reason: str

    def __str__(self) -> str:
        where = f" ({self.endpoint})" if self.endpoint else ""
        lacking = f"; missing: {self.missing}" if self.missing else ""
        return f"optional stream {self.stream}{where} unavailable: {self.reason}{lacking}"


@dataclass(frozen=True)
class Skipped:
    """One record a run could not use; named, never quoted."""

    stream: str
    record: str
    """The record's id (a content id, a report day, a row's line), never a personal value."""
    reason: str
    """Why, e.g. ``HTTP 404`` or ``malformed: no version.when``."""
    endpoint: str | None = None
    field: str | None = None
    attempts: int = 1
    """Runs that skipped it so far, this one included."""

    @property
    def key(self) -> str:
        return f"{self.stream}\x1f{self.record}"

    def __str__(self) -> str:
        where = f" ({self.endpoint})" if self.endpoint else ""
        field = f", field {self.field}" if self.field else ""
        return f"{self.stream}: record {self.record} skipped{where}: {self.reason}{field}"


DEFAULT_RETRY_RUNS = 5
"""Runs a skipped record holds its bookmark back (``[collect] retry_skipped_runs``)."""


class Streams:
    """What one connector run could and could not read; the core reads ``connector.streams``."""

    def __init__(self, connector: str) -> None:
        self.connector = connector
        self.gaps: list[Gap] = []
        self.failed: str | None = None
        """The name of the required stream whose failure ended the run, if one did."""
        self.skipped: list[Skipped] = []
        """Records skipped in this run (see :meth:`skip`)."""
        self.ahead: list[tuple[str, str, dt.datetime]] = []
        """Records dated after the window's end: (stream, record id, their time)."""
        self.earlier: dict[str, int] = {}
        """Skipped records of earlier runs -> runs that skipped them (set by the core)."""
        self.retry_runs = DEFAULT_RETRY_RUNS
        self.reach: tuple[dt.date, str] | None = None
        """The first day the platform can give and why (see :meth:`reaches_back_to`)."""
        self.horizon: dt.datetime | None = None
        """The latest instant a bookmark may say was read: the real clock plus the skew (set by
        the core; ``None`` outside a collect). Combine it with the window's end: :meth:`cap`."""

    def resume(
        self, earlier: Mapping[str, int], retry_runs: int, horizon: dt.datetime | None = None
    ) -> None:
        """The core hands over what earlier runs skipped, how often a record is retried, and
        the real clock's horizon."""
        self.earlier = dict(earlier)
        self.retry_runs = retry_runs
        self.horizon = horizon

    def cap(self, window_end: dt.datetime) -> dt.datetime:
        """The latest instant a bookmark may reach: the window's end (its first instant after
        the window), or the real clock's horizon when that is earlier."""
        if self.horizon is not None and self.horizon < window_end:
            return self.horizon
        return window_end

    def skip(
        self,
        stream: str,
        record: str,
        reason: str,
        *,
        endpoint: str | None = None,
        field: str | None = None,
    ) -> bool:
        """Report one record the run could not use; True while the stream's bookmark must stay
        before it (the next run reads it again), False once it was retried
        ``retry_skipped_runs`` times and is given up."""
        entry = Skipped(stream, str(record), reason, endpoint, field)
        attempts = self.earlier.get(entry.key, 0) + 1
        entry = replace(entry, attempts=attempts)
        self.skipped.append(entry)
        held = attempts <= self.retry_runs
        log.info("%s: %s (%s)", self.connector, entry, "retried next run" if held else "given up")
        return held

    def reaches_back_to(self, day: dt.date, why: str) -> None:
        """Say where the platform's reach ends (its data starts no earlier than ``day``): a
        window that reaches further back is then explained, not just found empty."""
        self.reach = (day, why)

    def dated_ahead(self, stream: str, record: str, when: dt.datetime) -> None:
        """Flag a record dated after the collection window's end (a clock far ahead)."""
        self.ahead.append((stream, str(record), when))

    @property
    def pending(self) -> list[Skipped]:
        """Skipped records the next run reads again."""
        return [s for s in self.skipped if s.attempts <= self.retry_runs]

    @property
    def given_up(self) -> list[Skipped]:
        """Skipped records retried ``retry_skipped_runs`` times: lost unless fixed at the
        source."""
        return [s for s in self.skipped if s.attempts > self.retry_runs]

    @contextmanager
    def reading(self, stream: Stream) -> Iterator[None]:
        """Read ``stream`` inside this block; an optional stream's 403/404 becomes a gap."""
        try:
            yield
        except ConnectorError as err:
            if stream.required or err.context.get("status") not in UNAVAILABLE_STATUSES:
                self.failed = self.failed or stream.name
                raise
            gap = Gap(
                stream=stream.name,
                endpoint=err.context.get("endpoint"),
                missing=stream.provides,
                reason=f"HTTP {err.context.get('status')}",
            )
            self.gaps.append(gap)
            log.info("%s: %s", self.connector, gap)

    def unavailable(self, stream: Stream, reason: str, *, endpoint: str | None = None) -> None:
        """Record an optional stream the connector chose not to read (no permission, say)."""
        self.gaps.append(Gap(stream.name, endpoint, stream.provides, reason))


__all__ = ["DEFAULT_RETRY_RUNS", "UNAVAILABLE_STATUSES", "Gap", "Skipped", "Stream", "Streams"]

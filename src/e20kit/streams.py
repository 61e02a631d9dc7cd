"""Streams: the parts a connector reads, and what is missing when an optional part is not there.

A connector declares each part it reads as a :class:`Stream`, required or optional, and reads it
inside ``connector.streams.reading(stream)``. An optional stream whose endpoint is forbidden
(403) or absent (404) becomes a :class:`Gap`: a warning in the collect summary naming the
endpoint and what is missing because of it, while everything read is stored. Any other failure,
and any failure of a required stream, propagates; the core keeps what was stored before it and
calls the run *partial*.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

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


class Streams:
    """What one connector run could and could not read; the core reads ``connector.streams``."""

    def __init__(self, connector: str) -> None:
        self.connector = connector
        self.gaps: list[Gap] = []
        self.failed: str | None = None
        """The name of the required stream whose failure ended the run, if one did."""

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


__all__ = ["UNAVAILABLE_STATUSES", "Gap", "Stream", "Streams"]

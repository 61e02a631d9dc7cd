"""Periods: the span of days a report covers, and the previous span of equal length for trends."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..errors import ConfigError

_LAST = re.compile(r"^last-(\d{1,4})d$")
_MONTH = re.compile(r"^month:(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

PRESETS = ("last-7d", "last-30d", "last-90d")


@dataclass(frozen=True)
class Period:
    """Days ``start`` (inclusive) to ``end`` (exclusive), with a label for reports."""

    start: dt.date
    end: dt.date
    label: str

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"period {self.label!r}: end {self.end} must be after {self.start}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def previous(self) -> Period:
        """The span of equal length just before this one."""
        start = self.start - dt.timedelta(days=self.days)
        return Period(start, self.start, f"previous {self.label}")

    def as_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
        }


def parse_period(spec: str | Period | None, *, today: dt.date, default: str = "last-30d") -> Period:
    """A :class:`Period` from ``last-<N>d``, ``month:YYYY-MM`` or ``YYYY-MM-DD..YYYY-MM-DD``.

    ``last-<N>d`` means the N complete days before ``today`` (today's facts are still coming in).
    """
    if isinstance(spec, Period):
        return spec
    text = (spec or default).strip()
    if match := _LAST.match(text):
        days = int(match.group(1))
        if days < 1:
            raise _bad(text)
        return Period(today - dt.timedelta(days=days), today, text)
    if match := _MONTH.match(text):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise _bad(text)
        last = calendar.monthrange(year, month)[1]
        start = dt.date(year, month, 1)
        return Period(start, start + dt.timedelta(days=last), text)
    if match := _RANGE.match(text):
        try:
            start, end = _dates(match)
            return Period(start, end, text)
        except ValueError as err:
            raise _bad(text) from err
    raise _bad(text)


def _bad(text: str) -> ConfigError:
    return ConfigError(
        f"unknown period {text!r}: expected last-<N>d (e.g. last-30d), month:YYYY-MM or "
        "YYYY-MM-DD..YYYY-MM-DD (end exclusive)",
        key="period",
    )


def _dates(match: re.Match[str]) -> tuple[dt.date, dt.date]:
    """The two dates of ``YYYY-MM-DD..YYYY-MM-DD``; ValueError for a date that does not exist."""
    start, end = (dt.date.fromisoformat(match.group(i)) for i in (1, 2))
    return start, end


def parse_days(spec: str) -> Period:
    """The days of one entry of a list of days: ``YYYY-MM-DD`` or a range written like a period,
    ``YYYY-MM-DD..YYYY-MM-DD`` (end exclusive). ValueError (for a settings validator) when
    malformed or when the end is not after the start."""
    text = spec.strip()
    match = _RANGE.match(text)
    if not (match or _DAY.match(text)):
        raise ValueError(f"{text!r}: expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD (end exclusive)")
    try:
        if match is None:
            day = dt.date.fromisoformat(text)
            return Period(day, day + dt.timedelta(days=1), text)
        start, end = _dates(match)
    except ValueError as err:
        raise ValueError(f"{text!r}: no such date") from err
    if end <= start:
        raise ValueError(f"{text!r}: the end (exclusive) must be after the start")
    return Period(start, end, text)


__all__ = ["PRESETS", "Period", "parse_days", "parse_period"]

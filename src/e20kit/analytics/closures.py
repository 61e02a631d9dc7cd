"""Days the organisation is closed: its own closures (``analytics.closed_days``) and the public
holidays of its country (``analytics.holidays``). Neither benchmark generator has holidays, but
every real organisation does: a week between Christmas and New Year is quiet because nobody is
at work, not because people have no time for the tools."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Protocol

from .period import parse_days


class Closures(Protocol):
    """The two settings naming closed days (:class:`~.settings.AnalyticsSettings` has both;
    a protocol, so that the settings can validate with this module without a cycle)."""

    @property
    def closed_days(self) -> tuple[str, ...]: ...

    @property
    def holidays(self) -> str | None: ...


def public_holidays(code: str, *, years: Iterable[int]) -> Collection[dt.date]:
    """The public holidays of ``code`` (``"DE"`` or ``"DE-BY"``: ISO country, optional
    subdivision) in ``years``; ValueError naming what the ``holidays`` package does not know."""
    import holidays  # ~90 ms: only where the setting is used

    country, _, subdivision = code.strip().partition("-")
    try:
        return holidays.country_holidays(country, subdiv=subdivision or None, years=years)
    except NotImplementedError as err:
        raise ValueError(
            f"{code!r}: no public holidays known ({err}); expected a country code with an "
            "optional subdivision, e.g. DE, DE-BY, AT, CH-ZH"
        ) from err


def closed_dates(settings: Closures, start: dt.date, end: dt.date) -> frozenset[dt.date]:
    """The days from ``start`` (inclusive) to ``end`` (exclusive) the organisation is closed,
    from both settings; empty when neither is given."""
    if end <= start:
        return frozenset()
    closed: set[dt.date] = set()
    for entry in settings.closed_days:
        days = parse_days(entry)
        first, stop = max(days.start, start), min(days.end, end)
        closed.update(first + dt.timedelta(days=d) for d in range((stop - first).days))
    if settings.holidays is not None:
        years = range(start.year, (end - dt.timedelta(days=1)).year + 1)
        closed.update(
            day for day in public_holidays(settings.holidays, years=years) if start <= day < end
        )
    return frozenset(closed)


__all__ = ["Closures", "closed_dates", "public_holidays"]

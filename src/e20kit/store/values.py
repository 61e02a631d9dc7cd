"""Values as the drivers hand them back: PostgreSQL returns dates, SQLite the ISO text that
SQLAlchemy wrote (in raw rows, which skip SQLAlchemy's conversion)."""

from __future__ import annotations

import datetime as dt


def stored_date(value: object) -> dt.date:
    """A stored day as a date, whether the driver gave a date or ISO text."""
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


__all__ = ["stored_date"]

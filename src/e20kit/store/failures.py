"""What a failing database says to the operator: one line with the cause, never SQL or values.

SQLAlchemy's own message quotes the statement and its bound parameters (member keys, names);
the operator needs the cause and what to do, so :func:`store_error` keeps the driver's first
line and names the cases an operator can fix (a read-only store, a full disk).
"""

from __future__ import annotations

import sqlalchemy as sa

from ..errors import StoreError

_CAUSES = (
    (
        ("readonly", "read-only", "read only"),
        "read-only",
        "the store is read-only; give the e20kit user write access to the database (and, for "
        "SQLite, to its folder), then rerun",
    ),
    (
        ("disk is full", "no space left", "disk full", "could not extend file"),
        "disk full",
        "the disk holding the store is full; free space and rerun (what was stored before "
        "stays; the interrupted batch was rolled back)",
    ),
    (
        ("database is locked",),
        "locked",
        "the store stayed locked by another process for longer than the busy timeout; rerun",
    ),
)


def _first_line(err: sa.exc.DBAPIError | sa.exc.SQLAlchemyError) -> str:
    orig = getattr(err, "orig", None)
    text = str(orig) if orig is not None else str(err).split("\n[SQL", 1)[0]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:200] if lines else type(orig or err).__name__


def store_error(err: sa.exc.SQLAlchemyError) -> StoreError:
    """The :class:`StoreError` (exit 4) for a database failure, without SQL or bound values."""
    detail = _first_line(err)
    lowered = detail.lower()
    for needles, cause, advice in _CAUSES:
        if any(n in lowered for n in needles):
            return StoreError(f"store error ({cause}): {advice} [{detail}]", cause=cause)
    kind = type(getattr(err, "orig", None) or err).__name__
    return StoreError(f"store error: {kind}: {detail}", cause="database")


__all__ = ["store_error"]

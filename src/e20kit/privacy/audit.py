"""The audit trail: who produced which report, export or subject request, and when.

One row per report written, subject request (export, forget), name resolution and change of the
``[privacy]`` settings (noticed on the next command that audits: the settings' fingerprint is
compared with the last one recorded). Kept by ``[privacy] audit_retention_days`` only.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..store import schema
from .needles import identifier_pattern

SETTINGS_CHANGED = "privacy_settings"


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    os_user: str
    action: str
    period: str | None
    format: str | None
    target: str | None
    detail: dict[str, Any] | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(timespec="seconds"),
            "os_user": self.os_user,
            "action": self.action,
            "period": self.period,
            "format": self.format,
            "target": self.target,
            "detail": self.detail,
        }


def os_user() -> str:
    """The operating-system user running e20kit (``unknown`` when the system cannot tell)."""
    try:
        return getpass.getuser()[:100]
    except (KeyError, OSError):
        return "unknown"


def record(
    conn: sa.Connection,
    action: str,
    *,
    period: str | None = None,
    format: str | None = None,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Append one row (in the caller's transaction)."""
    conn.execute(
        schema.audit_log.insert().values(
            at=now or dt.datetime.now(dt.UTC),
            os_user=os_user(),
            action=action,
            period=period,
            format=format,
            target=None if target is None else target[:1000],
            detail=detail,
        )
    )


def note_settings(conn: sa.Connection, settings: dict[str, Any]) -> bool:
    """Record the ``[privacy]`` settings when they differ from the last ones recorded."""
    log = schema.audit_log
    last = conn.execute(
        sa.select(log.c.detail)
        .where(log.c.action == SETTINGS_CHANGED)
        .order_by(log.c.id.desc())
        .limit(1)
    ).scalar()
    if last is not None and json.dumps(last, sort_keys=True) == json.dumps(
        settings, sort_keys=True
    ):
        return False
    record(conn, SETTINGS_CHANGED, detail=settings)
    return True


def entries(conn: sa.Connection, *, limit: int | None = None) -> list[AuditEntry]:
    """The trail, oldest first (the newest ``limit`` when given)."""
    log = schema.audit_log
    stmt = sa.select(log).order_by(log.c.id.desc())
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = list(conn.execute(stmt))
    out = []
    for row in reversed(rows):
        at = row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC)
        out.append(
            AuditEntry(at, row.os_user, row.action, row.period, row.format, row.target, row.detail)
        )
    return out


def purge(conn: sa.Connection, days: int, *, today: dt.date) -> int:
    """Delete rows older than ``days`` (0: none); the audit trail's own retention."""
    if not days:
        return 0
    cutoff = dt.datetime.combine(today - dt.timedelta(days=days), dt.time(), tzinfo=dt.UTC)
    log = schema.audit_log
    return int(conn.execute(log.delete().where(log.c.at < cutoff)).rowcount or 0)


ERASED = "[erased]"
"""What replaces an erased person's identifier in the trail's free text."""


def _redacted(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, dict):
        return {_redacted(k, pattern): _redacted(v, pattern) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(v, pattern) for v in value]
    return value


def redact(conn: sa.Connection, needles: Iterable[str]) -> int:
    """Replace an erased person's identifiers (e-mail, account ids, member keys, personal space
    names) in the free text of every row (period, target, detail) by ``[erased]``, in the
    caller's transaction; returns how many rows changed. The row itself stays: that an export
    or erasure happened is kept, not whom it named."""
    pattern = identifier_pattern(needles)
    if pattern is None:
        return 0
    log = schema.audit_log
    changed = 0
    for row in conn.execute(sa.select(log.c.id, log.c.period, log.c.target, log.c.detail)):
        new = {
            "period": _redacted(row.period, pattern),
            "target": _redacted(row.target, pattern),
            "detail": _redacted(row.detail, pattern),
        }
        if new != {"period": row.period, "target": row.target, "detail": row.detail}:
            conn.execute(log.update().where(log.c.id == row.id).values(**new))
            changed += 1
    return changed


__all__ = [
    "ERASED",
    "SETTINGS_CHANGED",
    "AuditEntry",
    "entries",
    "note_settings",
    "os_user",
    "purge",
    "record",
    "redact",
]

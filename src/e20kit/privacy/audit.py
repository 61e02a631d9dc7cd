"""The audit trail: who saw or produced what about whom, when, why and where it went.

One row per report, publication, export, erasure, name look-up, individual view and change of the
``[privacy]`` settings (noticed on the next command that audits). The trail is append-only and
hash-chained: each row stores the SHA-256 of its own canonical content (``content_hash``), the
``row_hash`` of the row before it (``prev_hash``) and its own ``row_hash`` =
SHA-256(``prev_hash`` + ``content_hash``). :func:`verify` walks the chain and reports an edited
row (content no longer matches), a deleted or re-ordered row (a link that does not match) and a
shortened head when the caller gives the head hash it noted earlier.

Nothing shortens the trail but :func:`prune` (``e20kit privacy audit prune``): it removes rows
older than a date no later than :data:`FLOOR_DAYS` ago and appends a checkpoint row that records
the hash of the last row it removed, so the rest still verifies. :func:`redact` replaces a
forgotten person's free text in earlier rows and appends a redaction row that documents the new
content hashes, which :func:`verify` accepts.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..clock import utc
from ..errors import ConfigError
from ..store import schema

SETTINGS_CHANGED = "privacy_settings"
PRUNED = "audit_pruned"
REDACTED = "audit_redacted"
GENESIS = "0" * 64
"""``prev_hash`` of the first row ever written."""
FLOOR_DAYS = 730
"""``prune`` never removes rows younger than this many days (two years), whatever it is told."""
REDACTION = "[erased]"
"""What :func:`redact` puts where a forgotten person's text was."""

CONTENT_COLUMNS = (
    "at",
    "os_user",
    "requester",
    "reason",
    "action",
    "period",
    "period_start",
    "period_end",
    "format",
    "target",
    "subject",
    "detail",
)
"""The columns a row's ``content_hash`` covers (every column but the id and the hashes)."""

_PG_LOCK = 0x20A0D17  # one advisory lock id: appends are serialised, the chain never forks


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    os_user: str
    action: str
    period: str | None
    format: str | None
    target: str | None
    detail: dict[str, Any] | None
    requester: str | None = None
    reason: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    subject: str | None = None
    row_hash: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(timespec="seconds"),
            "os_user": self.os_user,
            "requester": self.requester,
            "reason": self.reason,
            "action": self.action,
            "period": self.period,
            "period_start": _iso(self.period_start),
            "period_end": _iso(self.period_end),
            "format": self.format,
            "target": self.target,
            "subject": self.subject,
            "detail": self.detail,
            "row_hash": self.row_hash,
        }


def os_user() -> str:
    """The operating-system user running e20kit (``unknown`` when the system cannot tell)."""
    try:
        return getpass.getuser()[:100]
    except (KeyError, OSError):
        return "unknown"


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def canonical(content: dict[str, Any]) -> str:
    """The text a row's content hash is taken of: fixed keys, sorted, UTC seconds, ISO dates."""
    values = {}
    for name in CONTENT_COLUMNS:
        value = content.get(name)
        if isinstance(value, dt.datetime):
            value = utc(value).replace(microsecond=0).isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        values[name] = value
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(content).encode()).hexdigest()


def link_hash(prev_hash: str, content: str) -> str:
    """A row's ``row_hash``: its content hash chained to the row before."""
    return hashlib.sha256(f"{prev_hash}:{content}".encode()).hexdigest()


def _serialise(conn: sa.Connection) -> None:
    """Hold the trail for this transaction (PostgreSQL; SQLite's writer lock does it there)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:i)"), {"i": _PG_LOCK})


def _head(conn: sa.Connection) -> str:
    log = schema.audit_log
    last = conn.execute(sa.select(log.c.row_hash).order_by(log.c.id.desc()).limit(1)).scalar()
    return str(last) if last else GENESIS


def _clip(text: str | None, size: int) -> str | None:
    return None if text is None else text[:size]


def record(
    conn: sa.Connection,
    action: str,
    *,
    period: str | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    format: str | None = None,
    target: str | None = None,
    requester: str | None = None,
    reason: str | None = None,
    subject: str | None = None,
    detail: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> str:
    """Append one row, chained to the last (in the caller's transaction); returns its hash.

    ``subject`` is a pseudonym of whom an individual look-up was about (see
    :meth:`e20kit.privacy.service.PrivacyService.audit_subject`), never a key or an address.
    """
    _serialise(conn)
    # A SQLite write transaction starts with the first write: take it before reading the head.
    if conn.dialect.name == "sqlite":
        conn.execute(sa.text("UPDATE audit_log SET id = id WHERE 0"))
    content = {
        "at": utc(now or dt.datetime.now(dt.UTC)).replace(microsecond=0),
        "os_user": os_user(),
        "requester": _clip(requester, 200),
        "reason": _clip(reason, 1000),
        "action": action,
        "period": period,
        "period_start": period_start,
        "period_end": period_end,
        "format": format,
        "target": _clip(target, 1000),
        "subject": subject,
        "detail": json.loads(json.dumps(detail)) if detail is not None else None,
    }
    prev = _head(conn)
    digest = content_hash(content)
    row_hash = link_hash(prev, digest)
    conn.execute(
        schema.audit_log.insert().values(
            **content, content_hash=digest, prev_hash=prev, row_hash=row_hash
        )
    )
    return row_hash


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


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=utc(row.at),
        os_user=row.os_user,
        action=row.action,
        period=row.period,
        format=row.format,
        target=row.target,
        detail=row.detail,
        requester=row.requester,
        reason=row.reason,
        period_start=row.period_start,
        period_end=row.period_end,
        subject=row.subject,
        row_hash=row.row_hash or "",
    )


def entries(
    conn: sa.Connection, *, limit: int | None = None, subject: str | None = None
) -> list[AuditEntry]:
    """The trail, oldest first (the newest ``limit`` when given; only about ``subject``)."""
    log = schema.audit_log
    stmt = sa.select(log).order_by(log.c.id.desc())
    if subject is not None:
        stmt = stmt.where(log.c.subject == subject)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [_entry(row) for row in reversed(list(conn.execute(stmt)))]


# -- verification ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One place where the chain does not hold."""

    row_id: int
    kind: str
    """``edited`` (content changed), ``broken link`` (a row before it deleted or rows
    re-ordered), ``bad hash`` (its own row hash altered), ``head`` (rows after the head noted)."""

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row_id, "kind": self.kind}


@dataclass(frozen=True)
class Verification:
    rows: int
    head: str
    """The newest row's hash: note it elsewhere and pass it as ``expect_head`` later, so that
    removing the newest rows is detected too."""
    redacted: int
    """Rows whose content changed by a documented redaction (accepted)."""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "head": self.head,
            "redacted": self.redacted,
            "problems": [p.as_dict() for p in self.problems],
        }


def _rows(conn: sa.Connection) -> Iterator[Any]:
    log = schema.audit_log
    yield from conn.execute(sa.select(log).order_by(log.c.id))


def _documented(conn: sa.Connection) -> tuple[dict[int, str], set[str]]:
    """Row id -> content hash after its latest redaction; hashes that pruning checkpoints
    recorded as the last row they removed."""
    log = schema.audit_log
    redactions: dict[int, str] = {}
    checkpoints: set[str] = set()
    stmt = (
        sa.select(log.c.action, log.c.detail)
        .where(log.c.action.in_((REDACTED, PRUNED)))
        .order_by(log.c.id)
    )
    for action, detail in conn.execute(stmt):
        detail = detail or {}
        if action == REDACTED:
            for row_id, digest in (detail.get("rows") or {}).items():
                redactions[int(row_id)] = str(digest)
        elif detail.get("last_row_hash"):
            checkpoints.add(str(detail["last_row_hash"]))
    return redactions, checkpoints


def verify(conn: sa.Connection, *, expect_head: str | None = None) -> Verification:
    """Walk the chain oldest first; every row whose content, link or hash does not hold is a
    problem. A documented redaction (:func:`redact`) and a pruning checkpoint (:func:`prune`)
    are accepted. ``expect_head``: a head hash noted earlier that must still be in the chain."""
    redactions, checkpoints = _documented(conn)
    problems: list[Problem] = []
    prev: str | None = None
    seen_heads: set[str] = set()
    count = redacted = 0
    for row in _rows(conn):
        count += 1
        content = {name: getattr(row, name) for name in CONTENT_COLUMNS}
        digest = content_hash(content)
        if digest != row.content_hash:
            if redactions.get(row.id) == digest:
                redacted += 1
            else:
                problems.append(Problem(row.id, "edited"))
        first_link_ok = row.prev_hash == GENESIS or row.prev_hash in checkpoints
        if (prev is None and not first_link_ok) or (prev is not None and row.prev_hash != prev):
            problems.append(Problem(row.id, "broken link"))
        if row.row_hash != link_hash(row.prev_hash or "", row.content_hash or ""):
            problems.append(Problem(row.id, "bad hash"))
        prev = row.row_hash
        seen_heads.add(row.row_hash)
    if expect_head and expect_head not in seen_heads and expect_head != GENESIS:
        problems.append(Problem(0, "head"))
    return Verification(count, prev or GENESIS, redacted, problems)


# -- shortening and redacting, both documented in the chain ---------------------------------------


def prune(
    conn: sa.Connection,
    before: dt.date,
    *,
    requester: str | None,
    reason: str | None,
    now: dt.datetime | None = None,
) -> int:
    """Remove rows older than ``before`` and append a checkpoint row (in one transaction).

    Refuses a date less than :data:`FLOOR_DAYS` before the wall clock (not a ``--today`` that
    could lie), so the newest two years always stay.
    """
    now = utc(now or dt.datetime.now(dt.UTC))
    floor = (now - dt.timedelta(days=FLOOR_DAYS)).date()
    if before > floor:
        raise ConfigError(
            f"privacy audit prune --before {before.isoformat()}: the audit trail keeps at least "
            f"{FLOOR_DAYS} days; the latest date allowed today is {floor.isoformat()}",
            key="before",
        )
    _serialise(conn)
    log = schema.audit_log
    cutoff = dt.datetime.combine(before, dt.time(), tzinfo=dt.UTC)
    last = conn.execute(
        sa.select(log.c.id, log.c.row_hash)
        .where(log.c.at < cutoff)
        .order_by(log.c.id.desc())
        .limit(1)
    ).first()
    removed = 0
    if last is not None:
        removed = int(conn.execute(log.delete().where(log.c.id <= last.id)).rowcount or 0)
    record(
        conn,
        PRUNED,
        requester=requester,
        reason=reason,
        detail={
            "before": before.isoformat(),
            "rows": removed,
            "last_row_id": None if last is None else last.id,
            "last_row_hash": None if last is None else last.row_hash,
        },
        now=now,
    )
    return removed


def _scrub(value: Any, texts: Collection[str]) -> Any:
    if isinstance(value, str):
        lowered = value.lower()
        for text in texts:
            start = lowered.find(text)
            while start >= 0:
                value = value[:start] + REDACTION + value[start + len(text) :]
                lowered = value.lower()
                start = lowered.find(text, start + len(REDACTION))
        return value
    if isinstance(value, dict):
        return {_scrub(k, texts): _scrub(v, texts) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, texts) for v in value]
    return value


def redact(
    conn: sa.Connection,
    *,
    texts: Collection[str] = (),
    subjects: Collection[str] = (),
    reason: str = "erasure request",
    requester: str | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Remove a forgotten person from the earlier rows without breaking verification.

    For the erasure (``privacy forget``), in its transaction:

    * ``texts``: every free text that names the person (an e-mail address, a file name such as
      ``dsar/s3@example.org.json``, a personal space key such as ``~s3``); each occurrence,
      matched case-insensitively, in ``target``, ``reason``, ``requester``, ``period`` and every
      string (keys too) of ``detail`` becomes ``[erased]``;
    * ``subjects``: the person's audit pseudonyms (``PrivacyService.audit_subject(key)`` of each
      member key); the ``subject`` column of rows about them, and the pseudonym in a name
      look-up's ``detail["subjects"]``, become ``[erased]``.

    The rows keep their ``content_hash`` and links as written; one row ``audit_redacted``
    is appended whose detail maps each changed row id to its new content hash (and names no
    text). :func:`verify` accepts a row whose content matches that documented hash. Returns the
    number of rows changed (0 appends nothing).
    """
    gone = set(subjects)
    wanted = [t.lower() for t in (*texts, *gone) if t]
    if not wanted and not gone:
        return 0
    _serialise(conn)
    log = schema.audit_log
    changed: dict[str, str] = {}
    text_columns = ("target", "reason", "requester", "period")
    for row in list(_rows(conn)):
        content = {name: getattr(row, name) for name in CONTENT_COLUMNS}
        new = dict(content)
        for name in text_columns:
            new[name] = _scrub(content[name], wanted)
        new["detail"] = _scrub(content["detail"], wanted)
        if content["subject"] in gone:
            new["subject"] = REDACTION
        if new == content:
            continue
        updates = {name: new[name] for name in (*text_columns, "detail", "subject")}
        conn.execute(log.update().where(log.c.id == row.id).values(**updates))
        changed[str(row.id)] = content_hash(new)
    if changed:
        record(
            conn,
            REDACTED,
            requester=requester,
            reason=reason,
            detail={"rows": changed},
            now=now,
        )
    return len(changed)


def chain_existing(conn: sa.Connection) -> None:
    """Give rows written before the chain existed their hashes, oldest first (a migration)."""
    log = schema.audit_log
    prev = GENESIS
    for row in list(_rows(conn)):
        content = {name: getattr(row, name) for name in CONTENT_COLUMNS}
        digest = content_hash(content)
        row_hash = link_hash(prev, digest)
        conn.execute(
            log.update()
            .where(log.c.id == row.id)
            .values(content_hash=digest, prev_hash=prev, row_hash=row_hash)
        )
        prev = row_hash


__all__ = [
    "FLOOR_DAYS",
    "GENESIS",
    "PRUNED",
    "REDACTED",
    "REDACTION",
    "SETTINGS_CHANGED",
    "AuditEntry",
    "Problem",
    "Verification",
    "canonical",
    "chain_existing",
    "entries",
    "note_settings",
    "os_user",
    "prune",
    "record",
    "redact",
    "verify",
]

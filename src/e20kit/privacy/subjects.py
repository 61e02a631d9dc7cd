"""Data-subject requests: everything stored under one person's key, exported or erased.

A person is found by e-mail address (keyed through the same HMAC as at collection) or by a
platform account id. Erasure deletes, in one transaction, their facts, accounts, member row,
onboarding progress and marks, opt-outs, roster entry and history, buddy pairs and ledger
entries, clears references to them in other people's rows (manager), lets the rollups follow
(:func:`e20kit.store.rollup.refresh`), and leaves a tombstone (:meth:`Pseudonymiser.tombstone`)
so that collection never brings the person back: no member, no messages, no nomination.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..errors import ConfigError
from ..report.document import plain
from ..store import rollup, schema
from .pseudonyms import Pseudonymiser

S = schema

KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "members": ("member_key",),
    "identities": ("member_key",),
    "facts": ("member_key",),
    "activity_pairs": ("member_key",),
    "ledger": ("member_key",),
    "opt_outs": ("member_key",),
    "onboarding_progress": ("member_key",),
    "onboarding_marks": ("member_key",),
    "champion_roster": ("member_key",),
    "champion_history": ("member_key",),
    "champion_buddies": ("newcomer_key", "champion_key"),
    "experiment_assignments": ("member_key",),
}
"""Per table, the columns that hold the person's member key (``members.manager_key`` of other
people is cleared, not exported: those rows are theirs)."""

PAIR_TABLES = ("activity_spans", "contribution_days")
"""Rollup tables keyed by a member's pair number (:data:`schema.activity_pairs`)."""

NO_SUBJECT_ROWS: dict[str, str] = {
    "schema_version": "the store's schema version",
    "span_packs": "activity_spans and contribution_days packed per span; rewritten from them",
    "activity_containers": "numbers of spaces, channels and sites",
    "day_totals": "counts summed over every member",
    "rollup_dirty": "days awaiting a rollup refresh",
    "rollup_state": "the rollups' bookkeeping",
    "bookmarks": "where each connector's collection continues",
    "runs": "command runs with counts",
    "forgotten": "tombstones: keyed hashes of erased members' keys, not the keys",
    "audit_log": "who produced which report or request (OS user, never a member)",
    "experiments": "each experiment's fixed question",
    "interventions": "remedies rolled out per department",
}
"""Tables that hold no row of a person (every other table is in KEY_COLUMNS or PAIR_TABLES)."""


@dataclass(frozen=True)
class Subject:
    """Whom a request is about: their member keys and platform accounts."""

    member_keys: tuple[str, ...]
    accounts: tuple[tuple[str, str], ...] = ()
    """(source, person_id) of every stored account under those keys."""


@dataclass(frozen=True)
class SubjectExport:
    """Every stored row under the person's key, table by table (JSON-ready)."""

    subject: Subject
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items()}

    def as_dict(self) -> dict[str, Any]:
        return {"member_keys": list(self.subject.member_keys), "tables": self.tables}


@dataclass(frozen=True)
class ForgetResult:
    subject: Subject
    deleted: dict[str, int]
    """Rows per table deleted (a dry run: that would be deleted)."""
    cleared: dict[str, int]
    """Rows of other people in which a reference to the person was cleared."""
    dry_run: bool
    tombstoned: bool

    @property
    def total(self) -> int:
        return sum(self.deleted.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "member_keys": len(self.subject.member_keys),
            "dry_run": self.dry_run,
            "deleted": self.deleted,
            "cleared": self.cleared,
            "total": self.total,
            "tombstoned": self.tombstoned,
        }


def find_subject(
    conn: sa.Connection,
    pseudonymiser: Pseudonymiser,
    *,
    email: str | None = None,
    account: str | None = None,
    platform: str | None = None,
) -> Subject:
    """The keys of a person by e-mail or by account id (optionally on one platform)."""
    ident = S.identities
    keys: set[str] = set()
    if email:
        keys.add(pseudonymiser.member_key(email=email, platform="", person_id=""))
    if account:
        where = [ident.c.person_id == account]
        if platform:
            where.append(sa.or_(ident.c.platform == platform, ident.c.source == platform))
            keys.add(pseudonymiser.member_key(email=None, platform=platform, person_id=account))
        keys |= set(conn.execute(sa.select(ident.c.member_key).where(*where)).scalars())
    if not email and not account:
        raise ConfigError("a subject request needs --email or --account", key="email")
    accounts = conn.execute(
        sa.select(ident.c.source, ident.c.person_id).where(ident.c.member_key.in_(sorted(keys)))
    ).all()
    return Subject(tuple(sorted(keys)), tuple(sorted((str(s), str(p)) for s, p in accounts)))


def _table(name: str) -> sa.Table:
    return S.metadata.tables[name]


def _pairs(conn: sa.Connection, keys: Sequence[str]) -> list[int]:
    pairs = S.activity_pairs
    stmt = sa.select(pairs.c.id).where(pairs.c.member_key.in_(keys))
    return [int(p) for p in conn.execute(stmt).scalars()]


def subject_rows(conn: sa.Connection, subject: Subject) -> dict[str, sa.Select[Any]]:
    """Per table, the select of the person's rows (what export returns, forget deletes)."""
    keys = list(subject.member_keys)
    selects: dict[str, sa.Select[Any]] = {}
    for name, columns in KEY_COLUMNS.items():
        table = _table(name)
        selects[name] = sa.select(table).where(sa.or_(*(table.c[c].in_(keys) for c in columns)))
    pairs = _pairs(conn, keys)
    for name in PAIR_TABLES:
        table = _table(name)
        selects[name] = sa.select(table).where(table.c.pair.in_(pairs))
    return selects


def export(conn: sa.Connection, subject: Subject) -> SubjectExport:
    tables = {
        name: [plain(dict(row._mapping)) for row in conn.execute(stmt)]
        for name, stmt in subject_rows(conn, subject).items()
    }
    return SubjectExport(subject, {n: rows for n, rows in tables.items()})


def _count(conn: sa.Connection, stmt: sa.Select[Any]) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(stmt.subquery())).scalar_one())


def forget(
    conn: sa.Connection,
    subject: Subject,
    pseudonymiser: Pseudonymiser,
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> ForgetResult:
    """Erase the person in the caller's transaction (a dry run only counts)."""
    keys = list(subject.member_keys)
    selects = subject_rows(conn, subject)
    members, ident = S.members, S.identities
    # references in other people's rows: their manager is the person
    manager_of = sa.and_(members.c.manager_key.in_(keys), members.c.member_key.not_in(keys))
    boss = [
        sa.and_(ident.c.source == source, ident.c.manager_id == person)
        for source, person in subject.accounts
    ]
    boss_of = sa.and_(sa.or_(*boss), ident.c.member_key.not_in(keys)) if boss else sa.false()
    cleared = {
        "members.manager_key": _count(conn, sa.select(members.c.member_key).where(manager_of)),
        "identities.manager_id": _count(conn, sa.select(ident.c.person_id).where(boss_of)),
    }
    deleted = {name: _count(conn, stmt) for name, stmt in selects.items()}
    if dry_run:
        return ForgetResult(subject, deleted, cleared, True, False)
    conn.execute(members.update().where(manager_of).values(manager_key=None))
    conn.execute(ident.update().where(boss_of).values(manager_id=None))
    members_table = members.c.member_key.in_(keys)
    for name, columns in KEY_COLUMNS.items():
        if name in ("activity_pairs", "members"):  # the rollups follow; members last
            continue
        table = _table(name)
        conn.execute(table.delete().where(sa.or_(*(table.c[c].in_(keys) for c in columns))))
    conn.execute(members.delete().where(members_table))
    rollup.refresh(conn)
    tombstones = S.forgotten
    stamp = now or dt.datetime.now(dt.UTC)
    for key in keys:
        tombstone = pseudonymiser.tombstone(key)
        known = conn.execute(
            sa.select(tombstones.c.tombstone).where(tombstones.c.tombstone == tombstone)
        ).first()
        if known is None:
            conn.execute(tombstones.insert().values(tombstone=tombstone, forgotten_at=stamp))
    return ForgetResult(subject, deleted, cleared, False, bool(keys))


def forgotten(conn: sa.Connection) -> set[str]:
    """Every tombstone (for collection to skip)."""
    return set(conn.execute(sa.select(S.forgotten.c.tombstone)).scalars())


__all__ = [
    "KEY_COLUMNS",
    "NO_SUBJECT_ROWS",
    "PAIR_TABLES",
    "ForgetResult",
    "Subject",
    "SubjectExport",
    "export",
    "find_subject",
    "forget",
    "forgotten",
    "subject_rows",
]

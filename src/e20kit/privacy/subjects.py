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
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import ConfigError
from ..models import normalise_email
from ..report.document import plain
from ..store import rollup, schema
from ..store.chunks import chunks
from ..vocab import CONTRIBUTION_ACTIONS
from . import tombstones
from .pseudonyms import Pseudonymiser

if TYPE_CHECKING:
    from ..store.scrub import ScrubResult
    from .files import FileSweep

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
    "member_history": ("member_key",),
    "survey_invitations": ("member_key",),
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
    "disclosure_key": "the disclosure layer's random key",
    "rollup_dirty": "days awaiting a rollup refresh",
    "rollup_state": "the rollups' bookkeeping",
    "bookmarks": "where each connector's collection continues",
    "runs": "command runs with counts",
    "forgotten": "older tombstones: an HMAC of an erased member's key only",
    "secret_check": "a fingerprint of the pseudonym secret (an HMAC under it, not the secret)",
    "tombstones": "tombstones: keyed marks of erased people's identifiers, not the identifiers",
    "audit_log": "who produced which report or request (OS user, never a member)",
    "experiments": "each experiment's fixed question",
    "interventions": "remedies rolled out per department",
    "survey_waves": "each survey wave's source and dates",
    "survey_responses": "anonymous survey answers: no person column, response ids as keyed hashes",
}
"""Tables that hold no row of a person (every other table is in KEY_COLUMNS or PAIR_TABLES)."""


@dataclass(frozen=True)
class Subject:
    """Whom a request is about: their member keys, platform accounts and e-mail addresses."""

    member_keys: tuple[str, ...]
    accounts: tuple[tuple[str, str], ...] = ()
    """(source, person_id) of every stored account under those keys."""
    platform_accounts: tuple[tuple[str, str], ...] = ()
    """(platform, person_id) of those accounts, and of the account asked for."""
    emails: tuple[str, ...] = ()
    """The address asked for and any the store holds for the accounts (normalised)."""

    def needles(self) -> set[str]:
        """Every identifier of the person as text (for scanning and redacting free text)."""
        return {
            *self.member_keys,
            *(p for _, p in self.accounts),
            *(p for _, p in self.platform_accounts),
            *self.emails,
        }


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
    containers: dict[str, int] = field(default_factory=dict)
    """Personal spaces erased with every fact in them (anyone's): container -> facts."""
    tombstones: int = 0
    """Identifiers newly covered by a tombstone."""
    audit_redacted: int = 0
    """Audit rows whose free text named the person."""
    files: FileSweep | None = None
    """Files e20kit wrote: rewritten without the person, or to delete by hand."""
    database: ScrubResult | None = None
    """The database step that made the deleted rows unreadable in the files (None: deferred)."""

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
            "personal_containers": self.containers,
            "tombstones": self.tombstones,
            "audit_redacted": self.audit_redacted,
            "files": None if self.files is None else self.files.as_dict(),
            "database_step": None if self.database is None else self.database.as_dict(),
        }


def redactable(subject: Subject) -> set[str]:
    """The identifiers to replace wherever they occur in the audit trail's free text: addresses,
    member keys and account ids long enough not to be part of unrelated text (``s3`` would be
    found in ``s30`` and in hashes; an address or a personal space holding it is still found)."""
    accounts = {p for _, p in subject.platform_accounts if len(p) >= 8}
    return {*subject.emails, *subject.member_keys, *accounts}


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
    asked: set[tuple[str, str]] = set()
    if email:
        keys.add(pseudonymiser.member_key(email=email, platform="", person_id=""))
    if account:
        where = [ident.c.person_id == account]
        if platform:
            where.append(sa.or_(ident.c.platform == platform, ident.c.source == platform))
            keys.add(pseudonymiser.member_key(email=None, platform=platform, person_id=account))
            asked.add((platform, account))
        keys |= set(conn.execute(sa.select(ident.c.member_key).where(*where)).scalars())
    if not email and not account:
        raise ConfigError("a subject request needs --email or --account", key="email")
    rows = conn.execute(
        sa.select(ident.c.source, ident.c.platform, ident.c.person_id, ident.c.email).where(
            ident.c.member_key.in_(sorted(keys))
        )
    ).all()
    emails = {normalise_email(e) for e in [email, *(r.email for r in rows)] if e}
    return Subject(
        tuple(sorted(keys)),
        tuple(sorted((str(r.source), str(r.person_id)) for r in rows)),
        tuple(sorted(asked | {(str(r.platform), str(r.person_id)) for r in rows})),
        tuple(sorted(emails)),
    )


def personal_containers(
    conn: sa.Connection, subject: Subject, extra: Sequence[str] = ()
) -> list[str]:
    """The person's personal spaces among the facts' containers: ``~name`` where name is the
    local part of one of their addresses or one of their account ids (Confluence Data Center
    names a personal space ``~username``), every ``~`` container only they contributed to
    (Cloud's ``~`` + account id), and any named in ``extra``."""
    facts = S.facts
    names = {e.split("@", 1)[0] for e in subject.emails}
    for _, person_id in subject.platform_accounts:
        names |= {person_id, person_id.replace("-", "")[:24]}
    wanted = {f"~{n}".lower() for n in names if n} | {c.lower() for c in extra}
    personal = conn.execute(
        sa.select(facts.c.container).distinct().where(facts.c.container.like("~%"))
    ).scalars()
    found = {c for c in personal if c.lower() in wanted}
    keys = list(subject.member_keys)
    if keys:
        contributed = sa.and_(facts.c.action.in_(sorted(CONTRIBUTION_ACTIONS)), facts.c.count > 0)
        mine = set(
            conn.execute(
                sa.select(facts.c.container)
                .distinct()
                .where(facts.c.container.like("~%"), facts.c.member_key.in_(keys), contributed)
            ).scalars()
        )
        others = set(
            conn.execute(
                sa.select(facts.c.container)
                .distinct()
                .where(
                    facts.c.container.in_(sorted(mine)),
                    facts.c.member_key.not_in([*keys, S.ANONYMOUS_KEY]),
                    contributed,
                )
            ).scalars()
        )
        found |= mine - others
    found |= {c for c in extra if c}
    return sorted(found)


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
    containers: Sequence[str] = (),
) -> ForgetResult:
    """Erase the person in the caller's transaction (a dry run only counts).

    Their rows go, their personal spaces go with everything in them (anonymous views and
    colleagues' comments there name them), references in other people's rows are cleared, the
    rollups follow (containers only they produced included), the audit trail's free text loses
    their identifiers (the service does that, :func:`e20kit.privacy.audit.redact`), and every
    identifier they had gets a tombstone."""
    keys = list(subject.member_keys)
    selects = subject_rows(conn, subject)
    members, ident, facts = S.members, S.identities, S.facts
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
    spaces = personal_containers(conn, subject, containers)
    in_spaces = {
        c: _count(conn, sa.select(facts.c.day).where(facts.c.container == c)) for c in spaces
    }
    if dry_run:
        return ForgetResult(subject, deleted, cleared, True, False, in_spaces)
    conn.execute(members.update().where(manager_of).values(manager_key=None))
    conn.execute(ident.update().where(boss_of).values(manager_id=None))
    for name, columns in KEY_COLUMNS.items():
        if name in ("activity_pairs", "members"):  # the rollups follow; members last
            continue
        table = _table(name)
        conn.execute(table.delete().where(sa.or_(*(table.c[c].in_(keys) for c in columns))))
    for chunk in chunks(spaces, 500):
        conn.execute(facts.delete().where(facts.c.container.in_(chunk)))
    conn.execute(members.delete().where(members.c.member_key.in_(keys)))
    rollup.refresh(conn)
    stamp = now or dt.datetime.now(dt.UTC)
    marked = tombstones.add(
        conn,
        pseudonymiser,
        tombstones.identifiers(keys, subject.platform_accounts, subject.emails),
        now=stamp,
    )
    return ForgetResult(subject, deleted, cleared, False, bool(keys), in_spaces, marked)


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
    "personal_containers",
    "redactable",
    "subject_rows",
]

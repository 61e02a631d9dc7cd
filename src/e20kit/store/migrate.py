"""Forward-only schema migrations, applied automatically when a store is opened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa

from . import changes, history, rollup, schema

Migration = Callable[[sa.Connection], None]


def _initial(conn: sa.Connection) -> None:
    schema.metadata.create_all(conn, checkfirst=True)


def _rollups(conn: sa.Connection) -> None:
    """The analytics' rollups (:mod:`.rollup`): tables and triggers; every day already holding
    facts is marked for the first refresh."""
    for table in rollup.TABLES:
        table.create(conn, checkfirst=True)
    changes.install_triggers(conn)
    conn.execute(
        schema.rollup_dirty.insert().from_select(["day"], sa.select(schema.facts.c.day).distinct())
    )


def _privacy(conn: sa.Connection) -> None:
    """Tombstones of erased people and the audit trail (:mod:`e20kit.privacy`)."""
    for table in (schema.forgotten, schema.audit_log):
        table.create(conn, checkfirst=True)


def _experiments(conn: sa.Connection) -> None:
    """Experiments, their assignments and the intervention log (:mod:`e20kit.effects`)."""
    for table in (schema.experiments, schema.experiment_assignments, schema.interventions):
        table.create(conn, checkfirst=True)


def _disclosure(conn: sa.Connection) -> None:
    """Attribute history, seeded with every member as they are now, and the disclosure key
    (:mod:`e20kit.disclosure`, :mod:`.history`)."""
    for table in (schema.member_history, schema.disclosure_key):
        table.create(conn, checkfirst=True)
    history.seed(conn)
    history.disclosure_key(conn)


def _audit_chain(conn: sa.Connection) -> None:
    """The audit trail's requester, reason, period dates, subject and hash chain; rows already
    written are chained in their order (:func:`e20kit.privacy.audit.chain_existing`)."""
    from ..privacy.audit import chain_existing

    have = {c["name"] for c in sa.inspect(conn).get_columns(schema.audit_log.name)}
    for column in schema.audit_chain_columns():
        if column.name not in have:
            kind = column.type.compile(dialect=conn.dialect)
            conn.execute(sa.text(f"ALTER TABLE audit_log ADD COLUMN {column.name} {kind}"))
    chain_existing(conn)


def _tombstones(conn: sa.Connection) -> None:
    """Tombstones on every identifier of an erased person (:mod:`e20kit.privacy.tombstones`)."""
    schema.tombstones.create(conn, checkfirst=True)


def _secret_check(conn: sa.Connection) -> None:
    """The fingerprint of the pseudonym secret (:mod:`e20kit.privacy.rotation`)."""
    schema.secret_check.create(conn, checkfirst=True)


def _survey(conn: sa.Connection) -> None:
    """Survey waves, anonymous responses and who was invited (:mod:`e20kit.survey`)."""
    for table in (schema.survey_waves, schema.survey_responses, schema.survey_invitations):
        table.create(conn, checkfirst=True)


MIGRATIONS: tuple[Migration, ...] = (
    _initial,
    _rollups,
    _privacy,
    _experiments,
    _audit_chain,
    _tombstones,
    _secret_check,
    _disclosure,
    _survey,
)
"""Index + 1 is the schema version a migration brings the store to. Append, never edit."""

SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: sa.Connection) -> int:
    if not sa.inspect(conn).has_table(schema.schema_version.name):
        return 0
    found = conn.execute(sa.select(sa.func.max(schema.schema_version.c.version))).scalar()
    return int(found or 0)


MIGRATION_LOCK = 0x6532306B  # "e20k"
"""PostgreSQL advisory lock key: two first runs on a fresh database migrate one after the other."""


def migrate(conn: sa.Connection) -> int:
    """Bring the schema to :data:`SCHEMA_VERSION`; returns the version found before.

    On PostgreSQL the migration holds a transaction-level advisory lock, so a second run that
    opens the store at the same moment waits and then finds the schema current (instead of
    failing on ``schema_version_pkey``). SQLite serialises writers by itself.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    before = current_version(conn)
    for version in range(before + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[version - 1](conn)
        conn.execute(
            schema.schema_version.insert().values(
                version=version, applied_at=dt.datetime.now(dt.UTC)
            )
        )
    return before

"""Changing the pseudonym secret: every member key and tombstone re-keyed in one transaction.

A member key is an HMAC of an identifier (the normalised e-mail, or ``platform:person_id``), so
re-keying needs the identifier: account ids are stored (``identities``), e-mail addresses only
with ``store_contact_details``; the others come from the connectors' directories (their
``people()``, read like a collection, nothing written) and the identity map. A member none of
these can recompute is *unmapped*: the rotation refuses unless told to unlink them (a fresh key
``HMAC(new, "unlinked:" + old key)``: their history stays, no later collection joins it).

Tombstones are re-keyed without any identifier (:func:`e20kit.privacy.tombstones.rekey`); those
written before marks covered every identifier (table ``forgotten``, an HMAC of the key) cannot
be, and the rotation refuses while any exist unless told to drop them.

:func:`plan` computes everything and changes nothing (the dry run, and the check before the
real run); :func:`apply` writes a plan in the caller's transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..errors import ConfigError
from ..models import Person, normalise_email
from ..store import schema
from ..store.changes import install_triggers
from ..store.chunks import chunks
from . import tombstones
from .pseudonyms import Pseudonymiser
from .subjects import KEY_COLUMNS

REKEYED: dict[str, tuple[str, ...]] = {
    **KEY_COLUMNS,
    "members": ("member_key", "manager_key"),
}
"""Every column holding a member key (a test checks the schema for others)."""

FINGERPRINT = "pseudonym_secret"
"""The row of ``secret_check`` naming the secret the store's keys are made with."""


def fingerprint(secret: bytes) -> str:
    """Names a secret without revealing it (an HMAC of a fixed text under it)."""
    return hmac.new(secret, b"e20kit secret fingerprint", hashlib.sha256).hexdigest()


def check_secret(conn: sa.Connection, pseudonymiser: Pseudonymiser) -> None:
    """Refuse a secret other than the one the store's keys were made with (after a rotation,
    the old one); record it on first use."""
    if pseudonymiser.secret is None:
        return
    table = schema.secret_check
    mine = fingerprint(pseudonymiser.secret)
    stored = conn.execute(
        sa.select(table.c.fingerprint).where(table.c.name == FINGERPRINT)
    ).scalar()
    if stored is None:
        conn.execute(table.insert().values(name=FINGERPRINT, fingerprint=mine))
    elif stored != mine:
        raise ConfigError(
            "the pseudonym secret in the environment is not the one this store's member keys "
            "were made with (after `e20kit privacy rotate-secret`, set the new one); nothing "
            "was written",
            key="privacy.secret_env",
        )


@dataclass
class RotationPlan:
    keys: dict[str, str] = field(default_factory=dict)
    """Old member key -> new."""
    unmapped: set[str] = field(default_factory=set)
    """Keys in use that no stored or listed identifier recomputes."""
    tombstones: int = 0
    legacy_tombstones: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    """Rows per table.column that will change."""
    sources: dict[str, int] = field(default_factory=dict)
    """How the members' identifiers were found: account id, stored e-mail, directory, map."""

    def as_dict(self) -> dict[str, object]:
        return {
            "members": len(self.keys),
            "unmapped": len(self.unmapped),
            "tombstones": self.tombstones,
            "legacy_tombstones": self.legacy_tombstones,
            "rows": self.rows,
            "identifiers_from": self.sources,
        }


def _keys_in_use(conn: sa.Connection) -> set[str]:
    found: set[str] = set()
    for name, columns in REKEYED.items():
        table = schema.metadata.tables[name]
        for column in columns:
            found |= set(
                conn.execute(
                    sa.select(table.c[column]).distinct().where(table.c[column].is_not(None))
                ).scalars()
            )
    found.discard(schema.ANONYMOUS_KEY)
    return found


def plan(
    conn: sa.Connection,
    old: Pseudonymiser,
    new: Pseudonymiser,
    *,
    directory: Mapping[tuple[str, str], str] | None = None,
    unlink_unmapped: bool = False,
) -> RotationPlan:
    """What a rotation would change; ``directory`` maps (source, person id) to an e-mail."""
    if old.secret is None or new.secret is None:
        raise ConfigError("rotate-secret needs both secrets (pseudonymisation is off)")
    if old.secret == new.secret:
        raise ConfigError("the new pseudonym secret is the old one: nothing to rotate")
    result = RotationPlan()
    ident = schema.identities
    for row in conn.execute(
        sa.select(
            ident.c.source, ident.c.platform, ident.c.person_id, ident.c.email, ident.c.member_key
        )
    ):
        key = str(row.member_key)
        by_account = old.member_key(email=None, platform=row.platform, person_id=row.person_id)
        candidates: list[tuple[str, str | None]] = (
            [("account id", None)] if by_account == key else []
        )
        for how, email in (
            ("stored e-mail", row.email),
            ("directory", (directory or {}).get((row.source, row.person_id))),
        ):
            if email and old.member_key(email=email, platform="", person_id="") == key:
                candidates.append((how, email))
        if not candidates:
            continue
        how, email = candidates[0]
        fresh = new.member_key(email=email, platform=row.platform, person_id=row.person_id)
        if result.keys.setdefault(key, fresh) != fresh:  # one member, two identifiers
            raise ConfigError(f"member key {key[:8]}… maps to two new keys; nothing was changed")
        result.sources[how] = result.sources.get(how, 0) + 1
    in_use = _keys_in_use(conn)
    result.unmapped = in_use - set(result.keys)
    if result.unmapped and not in_use & set(result.keys):
        raise ConfigError(
            "the old secret recomputes none of the store's member keys: is it the secret the "
            "store was collected with? Nothing was changed",
            key="privacy.secret_env",
        )
    if result.unmapped and unlink_unmapped:
        for key in result.unmapped:
            result.keys[key] = hmac.new(
                new.secret, f"unlinked:{key}".encode(), hashlib.sha256
            ).hexdigest()[:32]
    result.tombstones = _count(conn, schema.tombstones)
    result.legacy_tombstones = _count(conn, schema.forgotten)
    for name, columns in REKEYED.items():
        table = schema.metadata.tables[name]
        for column in columns:
            n = 0
            for chunk in chunks(sorted(result.keys), 500):
                n += int(
                    conn.execute(
                        sa.select(sa.func.count())
                        .select_from(table)
                        .where(table.c[column].in_(chunk))
                    ).scalar_one()
                )
            if n:
                result.rows[f"{name}.{column}"] = n
    return result


def _count(conn: sa.Connection, table: sa.Table) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


KEY_MAP = sa.Table(
    "e20kit_key_map",
    sa.MetaData(),
    sa.Column("old", sa.String(64), primary_key=True),
    sa.Column("new", sa.String(64), nullable=False),
    prefixes=["TEMPORARY"],
)


def apply(
    conn: sa.Connection, rotation: RotationPlan, old: bytes, new: bytes, *, drop_legacy: bool
) -> None:
    """Re-key everything in the caller's transaction (after :func:`plan` found no problem)."""
    dirty = schema.rollup_dirty
    before = set(conn.execute(sa.select(dirty.c.day)).scalars())
    KEY_MAP.drop(conn, checkfirst=True)
    KEY_MAP.create(conn)
    pairs = [{"old": o, "new": n} for o, n in rotation.keys.items()]
    for chunk in chunks(pairs, 5000):
        conn.execute(KEY_MAP.insert(), list(chunk))
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:  # a row trigger per re-keyed fact would note every day dirty, one row at a time
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS facts_rollup_update")
    for name, columns in REKEYED.items():
        for column in columns:
            conn.execute(
                sa.text(
                    f"UPDATE {name} SET {column} = (SELECT new FROM {KEY_MAP.name} AS m "
                    f"WHERE m.old = {name}.{column}) "
                    f"WHERE {column} IN (SELECT old FROM {KEY_MAP.name})"
                )
            )
    if sqlite:
        install_triggers(conn)  # in the same transaction: a failure restores the trigger too
    _rekey_ledger(conn, rotation.keys)
    KEY_MAP.drop(conn)
    # re-keyed facts count the same on the same days; the rollups' pairs were re-keyed too
    conn.execute(dirty.delete().where(dirty.c.day.not_in(sorted(before)) if before else sa.true()))
    factor = tombstones.rekey_factor(old, new)
    marks = schema.tombstones
    rows = conn.execute(sa.select(marks.c.mark, marks.c.kind, marks.c.forgotten_at)).all()
    if rows:
        conn.execute(marks.delete())
        conn.execute(
            marks.insert(),
            [
                {
                    "mark": tombstones.rekey(r.mark, factor),
                    "kind": r.kind,
                    "forgotten_at": r.forgotten_at,
                }
                for r in rows
            ],
        )
    if drop_legacy:
        conn.execute(schema.forgotten.delete())
    check = schema.secret_check
    conn.execute(
        check.update().where(check.c.name == FINGERPRINT).values(fingerprint=fingerprint(new))
    )


_HEX_KEY = re.compile(r"[0-9a-f]{32}")


def _rekey_ledger(conn: sa.Connection, keys: Mapping[str, str]) -> None:
    """Ledger keys embed member keys (``onboarding:nudge:...:<key>:1``, a champion's in a
    digest's): rewrite every one they hold (``member_key`` itself was re-keyed with the rest)."""
    ledger = schema.ledger
    for (key,) in conn.execute(sa.select(ledger.c.key)).all():
        fresh = _HEX_KEY.sub(lambda m: keys.get(m.group(0), m.group(0)), key)
        if fresh != key:
            conn.execute(ledger.update().where(ledger.c.key == key).values(key=fresh))


def directory_emails(people: Iterable[tuple[str, Person]]) -> dict[tuple[str, str], str]:
    """(source, person id) -> normalised e-mail of every listed person with one."""
    return {(source, p.person_id): normalise_email(p.email) for source, p in people if p.email}


__all__ = [
    "REKEYED",
    "RotationPlan",
    "apply",
    "check_secret",
    "directory_emails",
    "fingerprint",
    "plan",
]

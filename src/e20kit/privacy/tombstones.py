"""Tombstones: what the store keeps of an erased person, on every identifier they had.

A tombstone is a keyed one-way mark of one identifier (the member key, each platform account,
the normalised e-mail), so that collection can tell "this record is an erased person's" without
the store holding the identifier. The mark must survive a change of the pseudonym secret, and
after an erasure nothing is left to recompute it from. So it is not an HMAC but a
key-homomorphic pseudorandom function: ``mark = H(identifier) ** k mod p`` in the
prime-order subgroup of RFC 3526's 2048-bit MODP group, with ``k`` derived from the secret.
Re-keying needs only the stored mark: ``mark ** (k_new / k_old) = H(identifier) ** k_new``, and
:func:`rekey_factor` gives that exponent from the two secrets. Without the secret a mark cannot
be tested against a guessed address (that needs ``k``; decisional Diffie-Hellman), and an old
secret alone does not test the re-keyed marks.

Each mark costs a modular exponentiation (a 256-bit exponent: a few milliseconds), so
collection computes marks only while tombstones exist and only for accounts the store does not
already hold under the same key (:class:`Tombstones`): two per new account.
Without pseudonymisation a mark is a plain SHA-256 of the identifier (nothing to rotate).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..models import normalise_email
from ..store import schema
from .pseudonyms import Pseudonymiser

P = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E"
    "3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF"
    "5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D3"
    "9A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08"
    "CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183"
    "995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF",
    16,
)
"""RFC 3526 group 14: a safe prime, so the squares mod P form a subgroup of prime order Q."""
Q = (P - 1) // 2
_WIDTH = (P.bit_length() + 7) // 8

MEMBER, ACCOUNT, EMAIL = "member", "account", "email"
KINDS = (MEMBER, ACCOUNT, EMAIL)


def member_identifier(member_key: str) -> str:
    return f"{MEMBER}:{member_key}"


def account_identifier(platform: str, person_id: str) -> str:
    """An account is the same person on every connector of its platform."""
    return f"{ACCOUNT}:{platform}:{person_id}"


def email_identifier(email: str) -> str:
    return f"{EMAIL}:{normalise_email(email)}"


def _exponent(secret: bytes) -> int:
    """256 bits from the secret: a short exponent keeps a mark at a few milliseconds (a full
    2047-bit one costs eight times more) and still leaves 128 bits of security against the
    best known attack (Pollard's kangaroo); any exponent below Q is invertible, Q being prime."""
    digest = hmac.new(secret, b"e20kit tombstone exponent", hashlib.sha256).digest()
    return int.from_bytes(digest, "big") | 1


def _to_group(identifier: str) -> int:
    digest = hashlib.shake_256(b"e20kit tombstone:" + identifier.encode()).digest(_WIDTH + 16)
    return pow(int.from_bytes(digest, "big") % P, 2, P) or 4


def mark(pseudonymiser: Pseudonymiser, identifier: str) -> str:
    """The stored form of one identifier's tombstone under the pseudonymiser's secret."""
    if pseudonymiser.secret is None:
        return hashlib.sha256(b"e20kit tombstone:" + identifier.encode()).hexdigest()
    value = pow(_to_group(identifier), _exponent(pseudonymiser.secret), P)
    return value.to_bytes(_WIDTH, "big").hex()


def rekey_factor(old: bytes, new: bytes) -> int:
    """The exponent that turns a mark under ``old`` into the mark under ``new``."""
    return _exponent(new) * pow(_exponent(old), -1, Q) % Q


def rekey(stored: str, factor: int) -> str:
    return pow(int(stored, 16), factor, P).to_bytes(_WIDTH, "big").hex()


def identifiers(
    member_keys: Iterable[str],
    accounts: Iterable[tuple[str, str]] = (),
    emails: Iterable[str] = (),
) -> dict[str, str]:
    """Identifier -> kind for a person's member keys, (platform, person id) and e-mails."""
    out = {member_identifier(k): MEMBER for k in member_keys if k}
    out |= {account_identifier(p, i): ACCOUNT for p, i in accounts if i}
    out |= {email_identifier(e): EMAIL for e in emails if e and "@" in e}
    return out


def add(
    conn: sa.Connection,
    pseudonymiser: Pseudonymiser,
    found: dict[str, str],
    *,
    now: dt.datetime,
) -> int:
    """Store the tombstones of ``found`` (identifier -> kind); returns how many were new."""
    table = schema.tombstones
    marks = {mark(pseudonymiser, ident): kind for ident, kind in found.items()}
    known = set(
        conn.execute(sa.select(table.c.mark).where(table.c.mark.in_(sorted(marks)))).scalars()
    )
    rows = [
        {"mark": m, "kind": kind, "forgotten_at": now}
        for m, kind in marks.items()
        if m not in known
    ]
    if rows:
        conn.execute(table.insert(), rows)
    return len(rows)


@dataclass
class Tombstones:
    """Every tombstone of a store, for collection: is this record an erased person's?"""

    pseudonymiser: Pseudonymiser
    marks: frozenset[str]
    legacy: frozenset[str] = frozenset()
    _cache: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def load(cls, conn: sa.Connection, pseudonymiser: Pseudonymiser) -> Tombstones:
        marks = frozenset(conn.execute(sa.select(schema.tombstones.c.mark)).scalars())
        legacy = frozenset(conn.execute(sa.select(schema.forgotten.c.tombstone)).scalars())
        return cls(pseudonymiser, marks, legacy)

    def __bool__(self) -> bool:
        return bool(self.marks or self.legacy)

    def _marked(self, identifier: str) -> bool:
        found = self._cache.get(identifier)
        if found is None:
            found = mark(self.pseudonymiser, identifier) in self.marks
            self._cache[identifier] = found
        return found

    def member(self, member_key: str) -> bool:
        if not self:
            return False
        if self.legacy and self.pseudonymiser.tombstone(member_key) in self.legacy:
            return True
        return bool(self.marks) and self._marked(member_identifier(member_key))

    def account(self, platform: str, person_id: str) -> bool:
        return bool(self.marks) and self._marked(account_identifier(platform, person_id))

    def email(self, email: str | None) -> bool:
        return bool(self.marks and email) and self._marked(email_identifier(email or ""))

    def person(self, member_key: str, platform: str, person_id: str) -> bool:
        """Whether any identifier of this record is an erased person's: its member key or its
        account. (An e-mail address is covered by the member key, which is made from it; the
        e-mail's own mark is kept for the record and tested by :meth:`email`.)"""
        return self.member(member_key) or self.account(platform, person_id)


__all__ = [
    "KINDS",
    "Tombstones",
    "account_identifier",
    "add",
    "email_identifier",
    "identifiers",
    "mark",
    "member_identifier",
    "rekey",
    "rekey_factor",
]

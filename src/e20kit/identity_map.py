"""The identity map: joining accounts whose platform hides the e-mail, and re-keying them.

``[identities] map = "people.csv"`` names a CSV with the header ``platform,person_id,email``
(an Atlassian "export users" file, an HR extract). During collect, a person a connector yields
without an e-mail gets the mapped one, so it joins the member of that e-mail across platforms.
A row naming an account no connector yielded on a collected platform is reported (a warning
naming file and line), never fatal.

Member keys derive from the e-mail when there is one, else from platform and account id. When
an account gains an e-mail later (through the map, or because its platform starts showing it),
its key changes: :func:`move_facts` moves the account's earlier facts to the joined member, so
nothing is counted twice or left behind under the old key.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from .errors import ConfigError
from .models import Person, normalise_email
from .store import schema

log = logging.getLogger("e20kit.identities")

HEADER = ("platform", "person_id", "email")


@dataclass(frozen=True)
class MapRow:
    platform: str
    person_id: str
    email: str
    line: int


@dataclass
class IdentityMap:
    """Rows by ``(platform, person_id)``; remembers which were used during a run."""

    path: Path
    rows: dict[tuple[str, str], MapRow] = field(default_factory=dict)
    seen: set[tuple[str, str]] = field(default_factory=set)
    platforms: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path) -> IdentityMap:
        where = str(path)
        try:
            handle = path.open(encoding="utf-8-sig", newline="")
        except OSError as err:
            raise ConfigError(
                f"identities.map: cannot read {where}: {err.strerror}",
                file=where,
                key="identities.map",
            ) from None
        found = cls(path)
        with handle:
            reader = csv.reader(handle)
            header = tuple(h.strip().lower() for h in next(reader, ()))
            if header[:3] != HEADER:
                raise ConfigError(
                    f"{where}:1: the identity map's header must be {','.join(HEADER)}",
                    file=where,
                    line=1,
                )
            for number, record in enumerate(reader, start=2):
                if not any(cell.strip() for cell in record):
                    continue
                if len(record) < 3 or not all(c.strip() for c in record[:3]):
                    raise ConfigError(
                        f"{where}:{number}: expected platform,person_id,email",
                        file=where,
                        line=number,
                    )
                platform, person_id, email = (c.strip() for c in record[:3])
                if "@" not in email:
                    raise ConfigError(
                        f"{where}:{number}: {email!r} is not an e-mail address",
                        file=where,
                        line=number,
                    )
                found.rows[(platform, person_id)] = MapRow(
                    platform, person_id, normalise_email(email), number
                )
        return found

    def apply(self, person: Person) -> Person:
        """``person`` with the mapped e-mail when its platform showed none."""
        key = (person.platform, person.person_id)
        self.platforms.add(person.platform)
        row = self.rows.get(key)
        if row is None:
            return person
        self.seen.add(key)
        if person.email:
            if person.email != row.email:
                log.info(
                    "%s:%d: %s account %s shows its own e-mail; the platform's is kept",
                    self.path,
                    row.line,
                    person.platform,
                    person.person_id,
                )
            return person
        return person.model_copy(update={"email": row.email})

    def unknown(self) -> list[MapRow]:
        """Rows of a collected platform naming an account no connector yielded."""
        return sorted(
            (
                r
                for k, r in self.rows.items()
                if r.platform in self.platforms and k not in self.seen
            ),
            key=lambda r: r.line,
        )

    def report(self) -> list[MapRow]:
        missing = self.unknown()
        if missing:
            lines = ", ".join(f"{r.line} ({r.platform} {r.person_id})" for r in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            log.warning(
                "%s: %d rows name accounts no connector returned (lines %s%s): ignored",
                self.path,
                len(missing),
                lines,
                more,
            )
        return missing


def load_identity_map(path: Path | None, config_file: Path | None) -> IdentityMap | None:
    if path is None:
        return None
    if not path.is_absolute() and config_file is not None:
        path = config_file.parent / path
    return IdentityMap.load(path)


def previous_keys(conn: sa.Connection, source: str, person_ids: Iterable[str]) -> dict[str, str]:
    """The member keys stored for these accounts of ``source`` before this run."""
    ident = schema.identities
    ids = sorted(set(person_ids))
    found: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = sa.select(ident.c.person_id, ident.c.member_key).where(
            ident.c.source == source, ident.c.person_id.in_(chunk)
        )
        found.update({pid: key for pid, key in conn.execute(query).all()})
    return found


def rekeyed(
    before: Mapping[str, str], rows: Mapping[str, Mapping[str, object]]
) -> dict[str, tuple[str, str]]:
    """``{old key: (new key, platform)}`` for accounts whose key changed."""
    return {
        before[pid]: (str(row["member_key"]), str(row["platform"]))
        for pid, row in rows.items()
        if pid in before and before[pid] != row["member_key"]
    }


def move_facts(conn: sa.Connection, moves: Mapping[str, tuple[str, str]]) -> int:
    """Move facts from old to new member keys: ``{old: (new, platform)}``; returns rows moved.

    A fact the new key already holds (same day, platform, action, feature, container) is its
    complete count: the old key's copy is dropped, never added to it.
    """
    facts = schema.facts
    moved = 0
    for old, (new, platform) in sorted(moves.items()):
        other = facts.alias("other")
        clash = sa.exists().where(
            other.c.member_key == new,
            other.c.day == facts.c.day,
            other.c.platform == facts.c.platform,
            other.c.action == facts.c.action,
            other.c.feature == facts.c.feature,
            other.c.container == facts.c.container,
        )
        mine = [facts.c.member_key == old, facts.c.platform == platform]
        conn.execute(facts.delete().where(*mine, clash))
        moved += conn.execute(facts.update().where(*mine).values(member_key=new)).rowcount or 0
    if moves:
        members, ident = schema.members, schema.identities
        orphans = sa.select(ident.c.member_key).where(ident.c.member_key == members.c.member_key)
        conn.execute(
            members.delete().where(members.c.member_key.in_(sorted(moves)), ~sa.exists(orphans))
        )
    return moved


__all__ = [
    "HEADER",
    "IdentityMap",
    "MapRow",
    "load_identity_map",
    "move_facts",
    "previous_keys",
    "rekeyed",
]

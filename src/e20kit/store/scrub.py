"""Making deleted rows unreadable in the database files, after an erasure.

A DELETE only marks rows dead: SQLite leaves their bytes in free pages and the write-ahead log,
PostgreSQL leaves dead tuples in the relation files until a vacuum and the old records in its
WAL until the segments are reused. ``secure_delete`` (set on every SQLite connection, see
:mod:`.engine`) zeroes what SQLite frees from then on; this step handles the rest:

* SQLite: ``VACUUM`` (rewrites the file without free pages, so bytes freed before
  ``secure_delete`` was on go too) and ``wal_checkpoint(TRUNCATE)`` (the log, which held the
  pages before the delete, is emptied).
* PostgreSQL: ``VACUUM FULL`` of every e20kit table (each is rewritten into a new file, the old
  one is unlinked), then ``CHECKPOINT`` and a WAL switch where the role may (superuser or
  ``pg_checkpoint``), so that the segments holding the old rows become recyclable. Until the
  server reuses or removes them, and in WAL archives, replicas and backups, the rows remain:
  that part is the DBA's (docs/operations.md, "Erasure and the database files").
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import sqlalchemy as sa

from . import schema

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScrubResult:
    backend: str
    steps: tuple[str, ...]
    """The statements that ran, in order."""
    skipped: tuple[str, ...] = field(default=())
    """Statements the database refused (with the reason), e.g. CHECKPOINT without the role."""
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "backend": self.backend,
            "steps": list(self.steps),
            "skipped": list(self.skipped),
            "seconds": round(self.seconds, 3),
        }


def scrub(engine: sa.Engine) -> ScrubResult:
    """Run the database step (outside any transaction: VACUUM cannot run inside one)."""
    started = time.perf_counter()
    backend = engine.dialect.name
    if backend == "sqlite":
        statements = ["VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"]
        optional: list[str] = []
    else:
        tables = [t.name for t in schema.metadata.sorted_tables]
        statements = [f'VACUUM (FULL, ANALYZE) "{name}"' for name in tables]
        optional = ["CHECKPOINT", "SELECT pg_switch_wal()", "CHECKPOINT"]
    done: list[str] = []
    skipped: list[str] = []
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        inspector = sa.inspect(conn)
        for statement in statements:
            name = statement.rsplit('"', 2)[-2] if statement.endswith('"') else ""
            if name and not inspector.has_table(name):
                continue
            conn.execute(sa.text(statement))
            done.append(statement)
        for statement in optional:
            try:
                conn.execute(sa.text(statement))
                done.append(statement)
            except sa.exc.DBAPIError as err:  # no superuser or pg_checkpoint role
                reason = str(err.orig).splitlines()[0] if err.orig else str(err)
                skipped.append(f"{statement}: {reason}")
                log.warning("database step: %s was refused: %s", statement, reason)
    return ScrubResult(backend, tuple(done), tuple(skipped), time.perf_counter() - started)


__all__ = ["ScrubResult", "scrub"]

"""One run at a time per store: a file lock for SQLite, an advisory lock for PostgreSQL."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from filelock import FileLock, Timeout
from platformdirs import user_runtime_path

from .errors import LockError

_PG_LOCK_ID = 0x2E20_0001


def _lock_path(engine: sa.Engine) -> Path:
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(f"{url.database}.lock")
    digest = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    return user_runtime_path("e20kit", ensure_exists=True) / f"{digest}.lock"


@contextlib.contextmanager
def run_lock(engine: sa.Engine, command: str = "run") -> Iterator[None]:
    """Hold the store's lock for the block or raise :class:`LockError` at once."""
    if engine.url.get_backend_name() == "postgresql":
        with engine.connect() as conn:
            got = conn.execute(sa.text("SELECT pg_try_advisory_lock(:i)"), {"i": _PG_LOCK_ID})
            if not got.scalar():
                raise LockError(
                    f"another e20kit run holds the lock on this store; {command} did nothing",
                    command=command,
                )
            conn.commit()
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:i)"), {"i": _PG_LOCK_ID})
                conn.commit()
        return
    path = _lock_path(engine)
    lock = FileLock(str(path), timeout=0)
    try:
        lock.acquire()
    except Timeout as err:
        raise LockError(
            f"another e20kit run holds the lock {path}; {command} did nothing", path=str(path)
        ) from err
    try:
        yield
    finally:
        lock.release()

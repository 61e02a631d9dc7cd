"""One run at a time per store: a file lock for SQLite, an advisory lock for PostgreSQL.

PostgreSQL's advisory locks live in the database itself, so every spelling of the server's
address and every role share them; the SQLite lock is keyed on the file's real identity.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from filelock import FileLock, Timeout
from platformdirs import user_runtime_path

from .errors import LockError

_PG_LOCK_ID = 0x2E20_0001


def _lock_path(engine: sa.Engine) -> Path:
    """The lock file of the store's real file, so no symlink or other spelling bypasses it.

    For SQLite: next to the file the path resolves to (symlinks followed, ``..`` and ``//``
    removed), named after the file's device and inode, so every name of one file (a symlink,
    a relative path, a bind mount of its folder) shares one lock.
    """
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        real = Path(os.path.realpath(Path(url.database).expanduser()))
        try:
            info = real.stat()
        except OSError:
            return real.with_name(f"{real.name}.lock")
        return real.with_name(f".e20kit-{info.st_dev:x}-{info.st_ino:x}.lock")
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

"""Opening a store: SQLite file by default, PostgreSQL by URL; migrated on open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from filelock import FileLock, Timeout
from platformdirs import user_data_path
from sqlalchemy.engine import make_url

from ..errors import ConfigError, StoreError
from ..http.redaction import redact
from .failures import store_error
from .migrate import SCHEMA_VERSION, current_version, migrate


def default_store_url() -> str:
    """``sqlite:///<user data dir>/e20kit/e20kit.sqlite`` (e.g. ~/.local/share/e20kit on Linux)."""
    return f"sqlite:///{user_data_path('e20kit') / 'e20kit.sqlite'}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # deleted rows are overwritten with zeros, not left in free pages: an erasure erases
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: index upserts stay in memory
    cursor.close()


MIGRATION_WAIT_S = 120.0


def _migrate(engine: sa.Engine, url: sa.URL) -> None:
    """Migrate, one process at a time: PostgreSQL takes an advisory lock inside :func:`migrate`;
    an SQLite file gets a lock file beside it while its schema is behind (pysqlite runs DDL
    outside transactions, so two first runs would both create the tables)."""
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        with engine.begin() as conn:
            migrate(conn)
        return
    with engine.connect() as conn:
        if current_version(conn) >= SCHEMA_VERSION:
            return
    path = Path(database).expanduser()
    lock = FileLock(str(path.with_name(f"{path.name}.migrate-lock")), timeout=MIGRATION_WAIT_S)
    try:
        with lock, engine.begin() as conn:
            migrate(conn)
    except Timeout:
        raise StoreError(
            f"store {path}: another process has been migrating it for {MIGRATION_WAIT_S:g} s; "
            "rerun when it is done",
            url=str(url),
        ) from None


def create_engine(url: str, *, create_folder: bool = False) -> sa.Engine:
    """Create an engine for ``url`` and bring its schema up to date.

    An SQLite file's folder is created only with ``create_folder`` (the default data folder);
    otherwise a missing folder is an error, so a mistyped path creates nothing.
    """
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        shown = redact(url)
        raise ConfigError(
            f"store URL {shown!r} is not a database URL (expected sqlite:///PATH or "
            "postgresql://HOST/DATABASE)",
            url=shown,
            key="store.url",
        ) from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).expanduser().parent
            if create_folder:
                folder.mkdir(parents=True, exist_ok=True)
            elif not folder.is_dir():
                raise StoreError(
                    f"store {parsed.database}: folder {folder} does not exist", url=url
                )
    elif parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        kwargs["pool_pre_ping"] = True
    else:
        raise ConfigError(
            f"store URL {parsed.render_as_string(hide_password=True)!r}: only sqlite and "
            "postgresql are supported",
            url=parsed.render_as_string(hide_password=True),
            key="store.url",
        )
    try:
        engine = sa.create_engine(parsed, **kwargs)
        if parsed.get_backend_name() == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        _migrate(engine, parsed)
    except ImportError as err:
        safe = parsed.render_as_string(hide_password=True)
        raise StoreError(f"cannot open store {safe}: {err}", url=safe) from None
    except sa.exc.SQLAlchemyError as err:
        safe = parsed.render_as_string(hide_password=True)
        cause = store_error(err)
        raise StoreError(f"cannot open store {safe}: {cause}", url=safe) from None
    return engine

"""Store fixtures and the ../shared reference data.

``store_url`` gives an empty store once on SQLite and once on PostgreSQL (when
``E20KIT_TEST_POSTGRES_URL`` is set; in CI a missing server fails instead of skipping).
``shared_path`` reads the project's ../shared reference data or skips where it is absent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

SHARED = Path(os.environ.get("E20KIT_SHARED_DIR") or Path(__file__).resolve().parents[4] / "shared")
PG_ENV = "E20KIT_TEST_POSTGRES_URL"
TEST_SECRET = "test-secret-not-for-production"


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip: a user's fresh clone has no ../shared (CI has it)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing in CI")
        pytest.skip(f"{path} is not here: ../shared exists only in the project's CI checkout")
    return path


@pytest.fixture(scope="session")
def _postgres_admin_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url and os.environ.get("CI"):
        pytest.fail(f"{PG_ENV} is not set in CI: .ci/run must start PostgreSQL")
    return url


@pytest.fixture(scope="session")
def _postgres_db(_postgres_admin_url: str | None, request: pytest.FixtureRequest) -> str | None:
    """One database per xdist worker (or one for a plain run), created once."""
    if not _postgres_admin_url:
        return None
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    name = f"e20kit_test_{worker}"
    admin = sa.create_engine(_postgres_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return str(sa.engine.make_url(_postgres_admin_url).set(database=name))


def _reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path, _postgres_db: str | None) -> str:
    """An empty store URL, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    if _postgres_db is None:
        pytest.skip(f"no PostgreSQL: set {PG_ENV} (scripts/with-postgres does) to run this")
    _reset_postgres(_postgres_db)
    return _postgres_db


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An empty SQLite store URL, for tests that need no second backend."""
    return f"sqlite:///{tmp_path / 'store.sqlite'}"


@pytest.fixture
def secret_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Sets ``E20KIT_PSEUDONYM_SECRET`` in ``os.environ`` for the test; yields its value."""
    monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET", TEST_SECRET)
    yield TEST_SECRET


def table_rows(engine: sa.Engine, table: sa.Table) -> list[tuple[object, ...]]:
    """All rows of ``table`` sorted, for comparing stores."""
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(sa.select(table)))


__all__ = [
    "PG_ENV",
    "SHARED",
    "TEST_SECRET",
    "secret_env",
    "shared_path",
    "sqlite_url",
    "store_url",
    "table_rows",
]

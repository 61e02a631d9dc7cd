"""A store that cannot be written: one line with its cause and exit 4, no SQL, no member keys,
no traceback (issue 25: a read-only store exited 1 with four tracebacks quoting bound member
keys; a full disk raised OperationalError; two first runs on PostgreSQL raced)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from e20kit.cli import main
from e20kit.store import SCHEMA_VERSION, create_engine, current_version, schema

from .helpers import write_config, write_exports

SECRET = "store-failure-secret-16"


@pytest.fixture
def pragma(request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """Pragmas every new SQLite connection runs (after the store's own)."""
    pragmas: list[str] = []

    def apply(dbapi_conn: Any, _record: Any) -> None:
        if "sqlite" not in type(dbapi_conn).__module__:
            return
        cursor = dbapi_conn.cursor()
        for statement in pragmas:
            cursor.execute(statement)
        cursor.close()

    sa.event.listen(sa.Engine, "connect", apply)
    yield pragmas
    sa.event.remove(sa.Engine, "connect", apply)


def _collect(tmp_path: Path, url: str, *, today: str) -> tuple[int, str]:
    config = write_config(tmp_path / "e20kit.toml", exports=tmp_path / "exports", store_url=url)
    result = CliRunner().invoke(
        main,
        ["-c", str(config), "collect", "--today", today],
        env={"E20KIT_PSEUDONYM_SECRET": SECRET},
    )
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("statement", "cause"),
    [("PRAGMA query_only = ON", "read-only"), ("PRAGMA max_page_count = {pages}", "disk full")],
)
def test_a_store_that_refuses_writes_is_one_line_and_exit_4(
    tmp_path: Path, pragma: list[str], statement: str, cause: str
) -> None:
    many = [
        ("2026-10-20", "csv", f"u{1 + i % 3}", "post", "discussion", f"channel-{i:05d}", "1")
        for i in range(3000)
    ]  # more than the free room in the store's pages
    write_exports(tmp_path / "exports", activity=many)
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    engine = create_engine(url)  # the schema exists; now the store stops taking writes
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    engine.dispose()
    pragma.append(statement.format(pages=pages))  # no page more: SQLite's "disk is full"
    code, out = _collect(tmp_path, url, today="2026-10-25")
    assert code == 4, out
    assert f"store error ({cause})" in out
    assert "Traceback" not in out and "[SQL" not in out and "INSERT" not in out
    assert "u1" not in out and len(out.strip().splitlines()) <= 3


def test_concurrent_first_runs_on_a_fresh_database_all_succeed(store_url: str) -> None:
    """On PostgreSQL the migration takes an advisory lock; SQLite serialises writers itself."""
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def first_run() -> None:
        start.wait()
        try:
            create_engine(store_url).dispose()
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=first_run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    check = create_engine(store_url)
    with check.connect() as conn:
        assert current_version(conn) == SCHEMA_VERSION
        versions = conn.execute(sa.select(schema.schema_version.c.version)).scalars().all()
    assert sorted(versions) == list(range(1, SCHEMA_VERSION + 1))
    check.dispose()

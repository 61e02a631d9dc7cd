from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from e20kit import ConfigError, StoreError
from e20kit.store import SCHEMA_VERSION, create_engine, current_version, schema, upsert


def test_store_is_created_and_migrated_once(store_url: str) -> None:
    engine = create_engine(store_url)
    with engine.connect() as conn:
        assert current_version(conn) == SCHEMA_VERSION
        rows = conn.execute(sa.select(sa.func.count()).select_from(schema.schema_version)).scalar()
    engine.dispose()
    again = create_engine(store_url)  # reopening must not migrate again
    with again.connect() as conn:
        assert (
            conn.execute(sa.select(sa.func.count()).select_from(schema.schema_version)).scalar()
            == rows
        )
    again.dispose()


def test_upsert_replaces_counts_by_key(store_url: str) -> None:
    engine = create_engine(store_url)
    row = {
        "day": dt.date(2026, 1, 1),
        "member_key": "m",
        "platform": "p",
        "action": "post",
        "feature": "chat",
        "container": "",
        "count": 2,
        "source": "s",
    }
    with engine.begin() as conn:
        upsert(conn, schema.facts, [row])
        upsert(conn, schema.facts, [{**row, "count": 5}, {**row, "day": dt.date(2026, 1, 2)}])
    with engine.connect() as conn:
        counts = sorted(conn.execute(sa.select(schema.facts.c.day, schema.facts.c.count)).all())
    assert counts == [(dt.date(2026, 1, 1), 5), (dt.date(2026, 1, 2), 2)]
    engine.dispose()


def test_unsupported_or_broken_urls_are_config_errors(tmp_path: object) -> None:
    """Issue 24: an unsupported scheme exited 4 (store error); it is a config error (2)."""
    with pytest.raises(ConfigError, match="only sqlite and postgresql") as info:
        create_engine("mysql://user:pw@localhost/db")
    assert info.value.exit_code == 2 and "pw" not in str(info.value)
    with pytest.raises(ConfigError, match="not a database URL"):
        create_engine("::::")


def test_postgres_password_is_not_shown_in_errors() -> None:
    with pytest.raises(StoreError) as info:
        create_engine("postgresql://user:hunter2@127.0.0.1:1/none")
    assert "hunter2" not in str(info.value)

"""Erasure that stays erased (issue 21, part A): personal spaces, rollups that equal a rebuild,
references by others, the audit trail's free text, files e20kit wrote, and tombstones on every
identifier so that no connector, identity map or new platform brings the person back."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from e20kit import Kit
from e20kit.cli import main
from e20kit.store import rollup, schema

from .erasure_org import (
    CHAT_ACCOUNT,
    EMAIL,
    LONELY,
    NEEDLES_TEXT,
    SPACE,
    TODAY,
    build,
    member,
    text_mentions,
)

NOW = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)


@pytest.fixture
def kit(tmp_path: Path, store_url: str, secret_env: str) -> Kit:
    return build(tmp_path, store_url)


def _rollups(conn: sa.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """The rollups by natural keys (numbers differ between an incremental path and a rebuild)."""
    pairs, spans = schema.activity_pairs, schema.activity_spans
    containers, days = schema.activity_containers, schema.contribution_days
    return {
        "day_totals": sorted(conn.execute(sa.select(schema.day_totals)).all()),
        "containers": sorted(
            conn.execute(sa.select(containers.c.platform, containers.c.container))
        ),
        "pairs": sorted(conn.execute(sa.select(pairs.c.member_key, pairs.c.platform))),
        "spans": sorted(
            conn.execute(
                sa.select(
                    spans.c.span, pairs.c.member_key, pairs.c.platform, spans.c.q0, spans.c.q1
                ).join(pairs, pairs.c.id == spans.c.pair)
            )
        ),
        "contributions": sorted(
            conn.execute(
                sa.select(days.c.day, pairs.c.member_key, containers.c.container, days.c.con)
                .join(pairs, pairs.c.id == days.c.pair)
                .join(containers, containers.c.id == days.c.container, isouter=True)
            )
        ),
    }


def test_forget_leaves_no_trace_in_any_table_and_rollups_equal_a_rebuild(kit: Kit) -> None:
    key = member(kit, EMAIL)
    needles = [key, *NEEDLES_TEXT]
    before = text_mentions(kit, needles)
    assert {"facts", "day_totals", "activity_containers", "identities"} <= set(before)
    result = kit.privacy.forget(email=EMAIL)
    assert text_mentions(kit, needles) == {}
    assert result.containers == {SPACE: 3}
    with kit.engine.begin() as conn:
        incremental = _rollups(conn)
        assert LONELY not in {c for _, c in incremental["containers"]}
        rollup.rebuild(conn)
        assert _rollups(conn) == incremental


def test_forget_clears_manager_ids_and_collect_does_not_write_them_back(kit: Kit) -> None:
    ident = schema.identities
    with kit.engine.connect() as conn:
        reports = conn.execute(sa.select(sa.func.count()).where(ident.c.manager_id == "s3"))
        assert reports.scalar_one() == 3
    kit.privacy.forget(email=EMAIL)
    assert kit.collect(today=TODAY).ok
    with kit.engine.connect() as conn:
        again = conn.execute(sa.select(sa.func.count()).where(ident.c.manager_id == "s3"))
        assert again.scalar_one() == 0
        managed = conn.execute(
            sa.select(sa.func.count()).where(schema.members.c.manager_key == member(kit, EMAIL))
        )
        assert managed.scalar_one() == 0


def test_tombstones_cover_accounts_without_an_email(kit: Kit, tmp_path: Path) -> None:
    """Without the identity map (or on a new connector) the chat account has no e-mail, so its
    member key differs from the one erased: its account tombstone still stops it."""
    kit.privacy.forget(email=EMAIL)
    (tmp_path / "map.csv").write_text("platform,person_id,email\n", "utf-8")
    config = tmp_path / "e20kit.toml"
    config.write_text(
        config.read_text("utf-8")
        + f'\n[connectors.chat2]\ntype = "csv"\npath = "{tmp_path / "chat"}"\n',
        "utf-8",
    )
    kit.close()
    runner = CliRunner()
    result = runner.invoke(
        main, ["-c", str(config), "--db", kit.store_url, "collect", "--today", TODAY.isoformat()]
    )
    assert result.exit_code == 0, result.output
    assert "records of erased people skipped" in result.output
    assert "person ids not in the directory" not in result.output
    again = Kit.from_config(config, store_url=kit.store_url)
    with again.engine.connect() as conn:
        ids = set(conn.execute(sa.select(schema.identities.c.person_id)).scalars())
    assert CHAT_ACCOUNT not in ids and "s3" not in ids
    assert text_mentions(again, [CHAT_ACCOUNT, SPACE, LONELY]) == {}
    again.close()


def test_audit_free_text_files_and_notifier_lines(kit: Kit, tmp_path: Path) -> None:
    config = str(tmp_path / "e20kit.toml")
    kit.close()
    runner = CliRunner()
    base = ["-c", config, "--db", kit.store_url]
    out = tmp_path / "dsar" / f"{EMAIL}.json"
    ran = runner.invoke(main, [*base, "privacy", "export", "--email", EMAIL, "--out", str(out)])
    assert ran.exit_code == 0, ran.output
    again = Kit.from_config(tmp_path / "e20kit.toml", store_url=kit.store_url)
    with again.engine.begin() as conn:
        conn.execute(
            schema.champion_roster.insert().values(
                member_key=member(again, EMAIL),
                state="active",
                nominated_at=NOW,
                updated_at=NOW,
                updated_by="test",
            )
        )
    again.close()
    roster_csv = tmp_path / "roster.csv"
    ran = runner.invoke(main, [*base, "champions", "list", "--csv", str(roster_csv)])
    assert ran.exit_code == 0, ran.output
    ran = runner.invoke(main, ["--json", *base, "privacy", "forget", "--email", EMAIL])
    assert ran.exit_code == 0, ran.output
    sent = (tmp_path / "sent.jsonl").read_text("utf-8")
    after = Kit.from_config(tmp_path / "e20kit.toml", store_url=kit.store_url)
    key = member(after, EMAIL)
    assert key not in sent and key[:8] not in sent  # nor a digest naming them as a newcomer
    assert member(after, "c1@example.org") in sent
    trail = json.dumps([e.as_dict() for e in after.privacy.audit()])
    assert EMAIL not in trail and key not in trail and "[erased]" in trail
    verified = after.privacy.verify_audit()
    assert verified.ok and verified.redacted >= 1  # the redaction is documented in the chain
    done = json.loads(ran.output[ran.output.index("{") :])
    assert done["files"]["rewritten"] == {str((tmp_path / "sent.jsonl").resolve()): 2}
    # the export, the roster CSV and the identity map name the person: listed, not deleted
    by_hand = {out.resolve(), roster_csv.resolve(), (tmp_path / "map.csv").resolve()}
    assert set(done["files"]["delete_by_hand"]) == {str(p) for p in by_hand}
    assert done["audit_redacted"] >= 1
    after.close()


def _needle_bytes(kit: Kit) -> list[bytes]:
    return [n.encode() for n in (member(kit, EMAIL), *NEEDLES_TEXT)]


def _files_holding(paths: list[Path], needles: list[bytes]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        hits = [n.decode() for n in needles if n in data]
        if hits:
            found[str(path)] = hits
    return found


def _postgres_files(kit: Kit) -> tuple[list[Path], list[Path]]:
    """The database's relation files and the WAL segments, or skip when the data directory is
    not readable from the test (a server of another user, a remote one)."""
    with kit.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        try:
            data = Path(conn.execute(sa.text("SHOW data_directory")).scalar_one())
            conn.execute(sa.text("CHECKPOINT"))  # what shared buffers hold reaches the files
        except sa.exc.DBAPIError:
            pytest.skip("the test's role may not read data_directory: scanned via SQL only")
        oid = conn.execute(
            sa.text("SELECT oid FROM pg_database WHERE datname = current_database()")
        ).scalar_one()
    base = data / "base" / str(oid)
    if not os.access(base, os.R_OK):
        pytest.skip(f"{base} is not readable by this user: scanned via SQL only")
    return sorted(p for p in base.iterdir() if p.is_file()), sorted(
        p for p in (data / "pg_wal").iterdir() if p.is_file()
    )


def test_database_files_hold_nothing_after_forget(kit: Kit, tmp_path: Path) -> None:
    """SQLite: secure_delete and the database step leave no byte of the person in the file or
    its WAL. PostgreSQL: VACUUM FULL leaves none in the relation files (the WAL may keep old
    records until its segments are reused: docs/operations.md says what a DBA does)."""
    needles = _needle_bytes(kit)
    if kit.engine.dialect.name == "sqlite":
        db = Path(kit.engine.url.database or "")
        files = [db, db.with_name(db.name + "-wal")]
        with kit.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    else:
        relations, _ = _postgres_files(kit)
        files = relations
    assert _files_holding(files, needles)  # the scan can find the person before
    result = kit.privacy.forget(email=EMAIL)
    if kit.engine.dialect.name != "sqlite":
        files, _ = _postgres_files(kit)
    assert _files_holding(files, needles) == {}
    assert text_mentions(kit, [n.decode() for n in needles]) == {}
    assert result.database is not None and result.database.steps


def test_forget_can_defer_the_database_step(kit: Kit) -> None:
    result = kit.privacy.forget(email=EMAIL, database_step=False)
    assert result.database is None
    assert kit.privacy.scrub().steps

"""The audit trail (issue 15 item 4, issue 21 part B): append-only and hash-chained, never
purged by collect or run, shortened only by an audited prune, redactable without breaking it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from e20kit import Kit
from e20kit.cli import main
from e20kit.privacy import audit
from e20kit.privacy.audit import os_user
from e20kit.sandbox import build_org, write_csv_folder
from e20kit.store import schema

LOG = schema.audit_log


def _config(path: Path, extra: str = "") -> Path:
    path.write_text(f"[privacy]\npseudonymise = false\n{extra}", "utf-8")
    return path


def _kit(tmp_path: Path, store_url: str, extra: str = "") -> Kit:
    return Kit.from_config(_config(tmp_path / "a.toml", extra), env={}, store_url=store_url)


def _trail(kit: Kit, rows: int = 5) -> None:
    with kit.engine.begin() as conn:
        for i in range(rows):
            audit.record(conn, "report", period=f"p{i}", target=f"/r/{i}.md", detail={"i": i})


def test_reports_and_setting_changes_are_audited(tmp_path: Path, store_url: str) -> None:
    with _kit(tmp_path, store_url) as kit:
        out = tmp_path / "r.md"
        kit.report("md", out, period="last-7d", today=dt.date(2026, 3, 1))
        entries = kit.privacy.audit()
    assert [e.action for e in entries] == ["privacy_settings", "report"]
    report = entries[-1]
    assert (report.period, report.format, report.target) == ("last-7d", "md", str(out.resolve()))
    # the period's dates, not only its label (the last day inclusive)
    assert (report.period_start, report.period_end) == (dt.date(2026, 2, 22), dt.date(2026, 2, 28))
    assert report.os_user == os_user() and report.at.tzinfo is not None
    assert entries[0].detail is not None and entries[0].detail["min_group_size"] == 5

    config = _config(tmp_path / "b.toml", "min_group_size = 10\n")
    with Kit.from_config(config, env={}, store_url=store_url) as kit:
        kit.privacy.purge(today=dt.date(2026, 3, 1))
        kit.privacy.purge(today=dt.date(2026, 3, 1))  # unchanged settings: no second row
        changes = [e for e in kit.privacy.audit() if e.action == "privacy_settings"]
        assert len(changes) == 2 and changes[-1].detail["min_group_size"] == 10  # type: ignore[index]
        assert kit.privacy.verify_audit().ok


def test_collect_never_purges_the_trail(tmp_path: Path, sqlite_url: str) -> None:
    """On 8bc5a9f ``audit_retention_days = 5`` and a future ``--today`` emptied the trail."""
    org = build_org(seed=3, members=12, departments=2, days=14)
    write_csv_folder(org, tmp_path / "export")
    config = _config(
        tmp_path / "c.toml", f'\n[connectors.hr]\ntype = "csv"\npath = "{tmp_path / "export"}"\n'
    )
    with Kit.from_config(config, env={}, store_url=sqlite_url) as kit:
        _trail(kit, 3)
        with kit.engine.begin() as conn:  # rows written long ago
            conn.execute(LOG.update().values(at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)))
            audit.chain_existing(conn)
    env = {"E20KIT_PRIVACY__AUDIT_RETENTION_DAYS": "5"}
    args = ["-c", str(config), "--db", sqlite_url]
    result = CliRunner(env=env).invoke(main, [*args, "collect", "--today", "2026-12-20"])
    assert result.exit_code == 0, result.output
    with Kit.from_config(config, env=env, store_url=sqlite_url) as kit:
        kept = [e.action for e in kit.privacy.audit()]
        assert kept.count("report") == 3
        assert kit.privacy.verify_audit().ok


@pytest.mark.parametrize("tamper", ["edit", "delete", "reorder", "delete_first", "rehash"])
def test_verify_finds_an_edited_deleted_or_reordered_row(
    tmp_path: Path, store_url: str, tamper: str
) -> None:
    with _kit(tmp_path, store_url) as kit:
        _trail(kit)
        before = kit.privacy.verify_audit()
        assert before.ok and before.rows == 5 and not before.problems
        with kit.engine.begin() as conn:
            ids = conn.execute(sa.select(LOG.c.id).order_by(LOG.c.id)).scalars().all()
            if tamper == "edit":
                conn.execute(LOG.update().where(LOG.c.id == ids[2]).values(target="/elsewhere"))
            elif tamper == "delete":
                conn.execute(LOG.delete().where(LOG.c.id == ids[2]))
            elif tamper == "delete_first":
                conn.execute(LOG.delete().where(LOG.c.id == ids[0]))
            elif tamper == "rehash":  # an edit whose content hash was recomputed to match
                row = conn.execute(sa.select(LOG).where(LOG.c.id == ids[1])).one()
                content = {c: getattr(row, c) for c in audit.CONTENT_COLUMNS} | {"period": "x"}
                conn.execute(
                    LOG.update()
                    .where(LOG.c.id == ids[1])
                    .values(period="x", content_hash=audit.content_hash(content))
                )
            else:  # swap the content (and hashes) of two rows: their order changes
                a, b = (conn.execute(sa.select(LOG).where(LOG.c.id == i)).one() for i in ids[1:3])
                for row, other in ((a, b), (b, a)):
                    values = {c: getattr(other, c) for c in row._fields if c != "id"}
                    conn.execute(LOG.update().where(LOG.c.id == row.id).values(**values))
        after = kit.privacy.verify_audit()
    assert not after.ok
    kinds = {p.kind for p in after.problems}
    expected = {"edit": "edited", "rehash": "bad hash"}.get(tamper, "broken link")
    assert expected in kinds, after.problems


def test_removing_the_newest_rows_is_found_against_a_noted_head(
    tmp_path: Path, sqlite_url: str
) -> None:
    with _kit(tmp_path, sqlite_url) as kit:
        _trail(kit)
        head = kit.privacy.verify_audit().head
        assert kit.privacy.verify_audit(expect_head=head).ok
        with kit.engine.begin() as conn:
            conn.execute(
                LOG.delete().where(LOG.c.id == sa.select(sa.func.max(LOG.c.id)).scalar_subquery())
            )
        assert kit.privacy.verify_audit().ok  # the chain alone cannot tell: the docs say so
        assert [p.kind for p in kit.privacy.verify_audit(expect_head=head).problems] == ["head"]


def test_verify_cli_exits_4_on_a_tampered_trail(tmp_path: Path, sqlite_url: str) -> None:
    config = _config(tmp_path / "a.toml")
    args = ["-c", str(config), "--db", sqlite_url, "privacy", "audit", "--verify"]
    with Kit.from_config(config, env={}, store_url=sqlite_url) as kit:
        _trail(kit, 3)
    ok = CliRunner().invoke(main, args)
    assert ok.exit_code == 0 and "3 rows" in ok.output, ok.output
    with Kit.from_config(config, env={}, store_url=sqlite_url) as kit, kit.engine.begin() as conn:
        conn.execute(LOG.update().values(os_user="someone-else"))
    bad = CliRunner().invoke(main, ["--json", *args])
    assert bad.exit_code == 4
    report = json.loads(bad.stdout)
    assert not report["ok"] and {p["kind"] for p in report["problems"]} == {"edited"}


def test_prune_keeps_the_floor_and_the_chain(tmp_path: Path, store_url: str) -> None:
    now = dt.datetime.now(dt.UTC)
    with _kit(tmp_path, store_url) as kit:
        with kit.engine.begin() as conn:
            for years in (5, 4, 3, 1, 0):
                audit.record(conn, "report", now=now - dt.timedelta(days=365 * years + 1))
        too_recent = now.date() - dt.timedelta(days=audit.FLOOR_DAYS - 1)
        with pytest.raises(Exception, match="keeps at least 730 days"):
            kit.privacy.prune_audit(too_recent)
        cutoff = now.date() - dt.timedelta(days=365 * 3 - 30)
        removed = kit.privacy.prune_audit(cutoff, requester="DPO", reason="ticket 7")
        assert removed == 3
        entries = kit.privacy.audit()
        pruned = entries[-1]
        assert (pruned.action, pruned.requester, pruned.reason) == (
            "audit_pruned",
            "DPO",
            "ticket 7",
        )
        assert pruned.detail and pruned.detail["rows"] == 3 and pruned.detail["last_row_hash"]
        assert kit.privacy.verify_audit().ok
        # deleting the oldest remaining row by hand is still found
        with kit.engine.begin() as conn:
            conn.execute(
                LOG.delete().where(LOG.c.id == sa.select(sa.func.min(LOG.c.id)).scalar_subquery())
            )
        assert not kit.privacy.verify_audit().ok


def test_redaction_keeps_the_trail_verifiable(tmp_path: Path, store_url: str) -> None:
    with _kit(tmp_path, store_url) as kit:
        kit.privacy.record(
            "subject_export",
            format="json",
            target="/srv/dsar/S3@example.org.json",
            requester="s3@example.org",
            about="s3@example.org",
            detail={"file": "dsar/s3@example.org.json", "n": 2},
        )
        kit.privacy.record("report", target="/r.md")
        subject = kit.privacy.audit_subject("s3@example.org")
        assert kit.privacy.audit(about_email="s3@example.org")[0].subject == subject
        with kit.engine.begin() as conn:
            changed = audit.redact(conn, texts=["s3@example.org"], subjects=[subject])
        assert changed == 1
        assert kit.privacy.verify_audit().ok and kit.privacy.verify_audit().redacted == 1
        with kit.engine.connect() as conn:
            dump = json.dumps([e.as_dict() for e in audit.entries(conn)], default=str)
        assert "s3@example.org" not in dump.lower() and subject not in dump
        assert (
            "/srv/dsar/[erased].json" in dump and kit.privacy.audit()[-1].action == "audit_redacted"
        )
        # an undocumented change after the redaction is still found
        with kit.engine.begin() as conn:
            conn.execute(LOG.update().where(LOG.c.action == "subject_export").values(format="csv"))
        assert not kit.privacy.verify_audit().ok


def test_requester_and_reason_are_recorded(tmp_path: Path, sqlite_url: str) -> None:
    config = _config(tmp_path / "a.toml")
    args = ["-c", str(config), "--db", sqlite_url]
    runner = CliRunner()
    result = runner.invoke(
        main,
        [*args, "diagnose", "--requester", "works council", "--reason", "quarterly review"],
    )
    assert result.exit_code in (0, 8), result.output
    rows = json.loads(runner.invoke(main, ["--json", *args, "privacy", "audit"]).output)
    row = rows[-1]
    assert (row["action"], row["requester"], row["reason"]) == (
        "diagnose",
        "works council",
        "quarterly review",
    )
    assert row["period_start"] and row["period_end"]
    human = runner.invoke(main, [*args, "privacy", "audit"]).output
    assert "for works council diagnose" in human and "(quarterly review)" in human


def test_a_trail_written_before_the_chain_is_chained_by_the_migration(tmp_path: Path) -> None:
    """A store at the schema before the chain: its rows verify after the migration."""
    from e20kit.store import migrate

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "CREATE TABLE audit_log (id INTEGER PRIMARY KEY, at DATETIME NOT NULL, "
                "os_user VARCHAR(100) NOT NULL, action VARCHAR(50) NOT NULL, period VARCHAR(100), "
                "format VARCHAR(20), target VARCHAR(1000), detail JSON)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO audit_log (at, os_user, action, target) VALUES "
                "('2026-01-01 10:00:00', 'u', 'report', '/a'), "
                "('2026-01-02 10:00:00', 'u', 'report', '/b')"
            )
        )
        migrate._audit_chain(conn)
        result = audit.verify(conn)
    assert result.ok and result.rows == 2

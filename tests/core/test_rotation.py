"""``privacy rotate-secret`` (issue 21, part A): erase, opt out, rotate, collect, and every
tombstone and opt-out still holds; roster, progress, pairs and ledger follow their members; a
rotation that cannot finish changes nothing; the old secret is refused afterwards."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from e20kit import ConfigError, Kit
from e20kit.cli import main
from e20kit.privacy import tombstones
from e20kit.privacy.pseudonyms import Pseudonymiser
from e20kit.privacy.rotation import REKEYED
from e20kit.store import rollup, schema
from e20kit.testing import TEST_SECRET

from .erasure_org import CHAT_ACCOUNT, EMAIL, TODAY, build, member, text_mentions
from .test_erasure import _rollups

NEW_SECRET = "a-new-secret-for-the-rotation-test"
NOW = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)


def _programme_rows(kit: Kit, champion: str, newcomer: str) -> None:
    with kit.engine.begin() as conn:
        conn.execute(
            schema.champion_roster.insert().values(
                member_key=champion,
                state="active",
                nominated_at=NOW,
                updated_at=NOW,
                updated_by="t",
            )
        )
        conn.execute(
            schema.onboarding_progress.insert().values(
                member_key=newcomer,
                checklist="c",
                step="s",
                position=0,
                enrolled_at=NOW,
                updated_at=NOW,
            )
        )
        conn.execute(
            schema.champion_buddies.insert().values(
                newcomer_key=newcomer, champion_key=champion, paired_at=NOW
            )
        )
        conn.execute(
            schema.ledger.insert().values(
                key=f"onboarding:nudge:c:s:{newcomer}:1",
                kind="nudge",
                member_key=newcomer,
                notifier="log",
                state="sent",
                created_at=NOW,
                updated_at=NOW,
            )
        )


def _reopen(kit: Kit, tmp_path: Path) -> Kit:
    kit.close()
    return Kit.from_config(tmp_path / "e20kit.toml", store_url=kit.store_url)


def test_every_member_key_column_is_rekeyed() -> None:
    """Grep the schema: a column holding a member key that rotation misses keeps old keys."""
    holding = {
        (t.name, c.name)
        for t in schema.metadata.sorted_tables
        for c in t.c
        if c.name.endswith("_key")
    }
    covered = {(t, c) for t, columns in REKEYED.items() for c in columns}
    assert holding <= covered


def test_erase_opt_out_rotate_collect_and_everything_holds(
    tmp_path: Path, store_url: str, secret_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    kit = build(tmp_path, store_url)
    c1, c3 = member(kit, "c1@example.org"), member(kit, "c3@example.org")
    _programme_rows(kit, c1, c3)
    assert kit.onboarding.opt_out("c2@example.org")
    kit.privacy.forget(email=EMAIL, database_step=False)
    with kit.engine.connect() as conn:
        members_before = conn.execute(
            sa.select(sa.func.count()).select_from(schema.members)
        ).scalar()
        marks_before = conn.execute(
            sa.select(sa.func.count()).select_from(schema.tombstones)
        ).scalar()

    monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET_OLD", TEST_SECRET)
    monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET_NEW", NEW_SECRET)
    kit = _reopen(kit, tmp_path)
    dry = kit.privacy.rotate_secret(dry_run=True)
    assert dry.unmapped == set() and dry.rows["facts.member_key"] > 0
    assert dry.rows["opt_outs.member_key"] == 1 and dry.rows["champion_buddies.champion_key"] == 1
    old_keys = set(dry.keys)
    done = kit.privacy.rotate_secret(reason="annual rotation")
    assert set(done.keys) == old_keys
    with kit.engine.connect() as conn:
        # re-keyed rollups equal a rebuild without a refresh; the change triggers are back
        assert not conn.execute(sa.select(schema.rollup_dirty)).first()
        rekeyed = _rollups(conn)
        rollup.rebuild(conn)
        assert _rollups(conn) == rekeyed
        conn.execute(schema.facts.delete().where(schema.facts.c.member_key == done.keys[c1]))
        assert conn.execute(sa.select(schema.rollup_dirty)).first()
        conn.rollback()

    # the old secret is refused from now on: it would collect everyone as new members
    with pytest.raises(ConfigError, match="not the one this store"):
        kit.collect(today=TODAY)
    monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET", NEW_SECRET)
    kit = _reopen(kit, tmp_path)
    result = kit.collect(today=TODAY)
    assert result.ok and sum(r.erased_skipped for r in result.runs) > 0
    kit.refresh()

    n1, n2, n3 = (member(kit, f"c{i}@example.org") for i in (1, 2, 3))
    assert n1 != c1
    with kit.engine.connect() as conn:
        count = sa.select(sa.func.count())
        assert conn.execute(count.select_from(schema.members)).scalar() == members_before
        assert conn.execute(count.select_from(schema.tombstones)).scalar() == marks_before
        assert set(conn.execute(sa.select(schema.opt_outs.c.member_key)).scalars()) == {n2}
        assert conn.execute(sa.select(schema.champion_roster.c.member_key)).scalar() == n1
        assert conn.execute(sa.select(schema.onboarding_progress.c.member_key)).scalar() == n3
        pair = conn.execute(sa.select(schema.champion_buddies)).one()
        assert (pair.newcomer_key, pair.champion_key) == (n3, n1)
        assert (
            conn.execute(sa.select(schema.ledger.c.key)).scalar() == f"onboarding:nudge:c:s:{n3}:1"
        )
        ids = set(conn.execute(sa.select(schema.identities.c.person_id)).scalars())
    assert "s3" not in ids and CHAT_ACCOUNT not in ids
    assert text_mentions(kit, sorted(old_keys)) == {}
    assert text_mentions(kit, [member(kit, EMAIL)]) == {}
    entries = [e.action for e in kit.privacy.audit()]
    assert "secret_rotated" in entries and kit.privacy.verify_audit().ok
    kit.close()


def test_a_rotation_that_cannot_finish_changes_nothing(
    tmp_path: Path, store_url: str, secret_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A member whose key no identifier recomputes (the directory no longer lists them, the
    store keeps no address) stops the rotation before anything is written."""
    kit = build(tmp_path, store_url)
    (tmp_path / "wiki" / "people.csv").write_text(
        "platform,person_id,email,display_name,department,title,manager_id,joined_on,locale\n",
        "utf-8",
    )
    with kit.engine.connect() as conn:
        before = {
            t.name: sorted(map(tuple, conn.execute(sa.select(t))))
            for t in (schema.members, schema.facts, schema.tombstones)
        }
    monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET_OLD", TEST_SECRET)
    monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET_NEW", NEW_SECRET)
    kit = _reopen(kit, tmp_path)
    config = str(tmp_path / "e20kit.toml")
    runner = CliRunner()
    ran = runner.invoke(main, ["-c", config, "--db", kit.store_url, "privacy", "rotate-secret"])
    assert ran.exit_code == 2 and "cannot be recomputed" in ran.output and "nothing" in ran.output
    with kit.engine.connect() as conn:
        after = {
            t.name: sorted(map(tuple, conn.execute(sa.select(t))))
            for t in (schema.members, schema.facts, schema.tombstones)
        }
    assert after == before
    # the old secret still works: nothing was rotated
    assert kit.collect(today=TODAY).ok
    ran = runner.invoke(
        main, ["-c", config, "--db", kit.store_url, "privacy", "rotate-secret", "--unlink-unmapped"]
    )
    assert ran.exit_code == 0, ran.output
    kit.close()


def test_a_mark_is_rekeyed_from_the_mark_alone() -> None:
    old, new = Pseudonymiser(TEST_SECRET.encode()), Pseudonymiser(NEW_SECRET.encode())
    factor = tombstones.rekey_factor(TEST_SECRET.encode(), NEW_SECRET.encode())
    for identifier in (
        tombstones.email_identifier(" S3@Example.org "),
        tombstones.account_identifier("mattermost", CHAT_ACCOUNT),
        tombstones.member_identifier(old.member_key(email=EMAIL, platform="", person_id="")),
    ):
        stored = tombstones.mark(old, identifier)
        assert tombstones.rekey(stored, factor) == tombstones.mark(new, identifier)
        assert stored != tombstones.mark(new, identifier)
    found = tombstones.Tombstones(
        new,
        frozenset(
            {tombstones.rekey(tombstones.mark(old, tombstones.email_identifier(EMAIL)), factor)}
        ),
    )
    assert found.email("s3@EXAMPLE.org") and not found.email("s30@example.org")

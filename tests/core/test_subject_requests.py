"""Data-subject requests (issue 15, item 3): export holds every row under the person's key,
forget leaves none in any table, and collection does not bring the person back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from e20kit import Kit
from e20kit.cli import main
from e20kit.privacy.subjects import KEY_COLUMNS, NO_SUBJECT_ROWS, PAIR_TABLES
from e20kit.sandbox import build_org, write_csv_folder
from e20kit.store import rollup, schema

NOW = dt.datetime(2026, 1, 10, tzinfo=dt.UTC)


@pytest.fixture
def kit(tmp_path: Path, store_url: str, secret_env: str) -> Kit:
    org = build_org(seed=3, members=40, departments=3, days=40)
    write_csv_folder(org, tmp_path / "export")
    config = tmp_path / "e20kit.toml"
    config.write_text(
        "[privacy]\nstore_contact_details = true\nretention_days = 0\n\n"
        f'[collect]\nlookback_days = 40\n\n[connectors.hr]\ntype = "csv"\n'
        f'path = "{tmp_path / "export"}"\n',
        "utf-8",
    )
    kit = Kit.from_config(config, store_url=store_url)
    assert kit.collect(today=org.end).ok
    rollup.refresh_store(kit.engine)
    kit.test_org = org  # type: ignore[attr-defined]
    return kit


def _person(kit: Kit) -> tuple[str, str, str]:
    """A team lead (someone reports to them) with activity: (email, person id, member key)."""
    org = kit.test_org  # type: ignore[attr-defined]
    managers = {p.manager_id for p in org.people if p.manager_id}
    lead = next(p for p in org.people if p.person_id in managers and p.role == "lead")
    key = kit.pseudonymiser.member_key(email=lead.email, platform="", person_id="")
    return lead.email, lead.person_id, key


def _add_programme_rows(kit: Kit, key: str, other: str) -> None:
    """Onboarding, ledger, opt-out, roster, history and buddies under the person's key."""
    with kit.engine.begin() as conn:
        conn.execute(
            schema.onboarding_progress.insert().values(
                member_key=key,
                checklist="c",
                step="s",
                position=0,
                enrolled_at=NOW,
                in_audience=True,
                updated_at=NOW,
            )
        )
        conn.execute(
            schema.onboarding_marks.insert().values(
                member_key=key, checklist="", step="intro", marked_at=NOW, source="cli"
            )
        )
        conn.execute(
            schema.ledger.insert().values(
                key=f"onboarding:nudge:c:s:{key}:1",
                kind="nudge",
                member_key=key,
                notifier="log",
                state="sent",
                attempts=1,
                created_at=NOW,
                updated_at=NOW,
            )
        )
        conn.execute(schema.opt_outs.insert().values(member_key=key, scope="all", created_at=NOW))
        conn.execute(
            schema.champion_roster.insert().values(
                member_key=key,
                department="X",
                state="active",
                score=1.0,
                nominated_at=NOW,
                updated_at=NOW,
                updated_by="t",
            )
        )
        conn.execute(
            schema.champion_history.insert().values(
                member_key=key, to_state="active", changed_at=NOW, changed_by="t"
            )
        )
        conn.execute(
            schema.champion_buddies.insert().values(
                newcomer_key=other, champion_key=key, paired_at=NOW
            )
        )


def _text_columns(table: sa.Table) -> list[sa.Column[object]]:
    return [c for c in table.c if isinstance(c.type, sa.String | sa.Text | sa.JSON)]


def _mentions(kit: Kit, needles: list[str]) -> dict[str, int]:
    """Rows of every table whose text mentions the person (key, account id or address), and
    rows of the pair-keyed rollups under the person's pair numbers."""
    out: dict[str, int] = {}
    with kit.engine.connect() as conn:
        pairs = schema.activity_pairs
        mine = [
            int(p)
            for p in conn.execute(
                sa.select(pairs.c.id).where(pairs.c.member_key.in_(needles))
            ).scalars()
        ]
        for table in schema.metadata.sorted_tables:
            if table.name in PAIR_TABLES:
                where = table.c.pair.in_(mine)
            else:
                found = [
                    sa.cast(c, sa.Text).contains(n) for c in _text_columns(table) for n in needles
                ]
                if not found:
                    continue
                where = sa.or_(*found)
            n = conn.execute(sa.select(sa.func.count()).select_from(table).where(where))
            out[table.name] = int(n.scalar_one())
    return {t: n for t, n in out.items() if n}


def test_every_table_is_classified() -> None:
    known = set(KEY_COLUMNS) | set(PAIR_TABLES) | set(NO_SUBJECT_ROWS)
    assert known == set(schema.metadata.tables)


def test_export_has_every_row_and_forget_leaves_none(kit: Kit) -> None:
    email, person_id, key = _person(kit)
    other = next(
        k
        for k in kit.engine.connect().execute(sa.select(schema.members.c.member_key))
        if k[0] != key
    )[0]
    _add_programme_rows(kit, key, other)
    mentions = _mentions(kit, [key, person_id, email])
    # other people's rows naming the person as their manager are theirs, not exported
    with kit.engine.connect() as conn:
        reports = conn.execute(
            sa.select(sa.func.count()).where(schema.members.c.manager_key == key)
        ).scalar_one()
        reports_ids = conn.execute(
            sa.select(sa.func.count()).where(schema.identities.c.manager_id == person_id)
        ).scalar_one()
    assert reports > 0 and reports_ids > 0
    assert {
        "facts",
        "identities",
        "members",
        "activity_spans",
        "ledger",
        "champion_buddies",
        "onboarding_progress",
    } <= set(mentions)

    exported = kit.privacy.export(email=email)
    counts = {t: n for t, n in exported.counts.items() if n}
    expected = dict(mentions)
    expected["members"] -= reports
    expected["identities"] -= reports_ids
    assert counts == {t: n for t, n in expected.items() if n}
    assert kit.privacy.export(account=person_id).counts == exported.counts

    dry = kit.privacy.forget(email=email, dry_run=True)
    assert dry.deleted == exported.counts and _mentions(kit, [key, person_id, email]) == mentions
    done = kit.privacy.forget(email=email)
    assert done.tombstoned and done.deleted == exported.counts
    assert _mentions(kit, [key, person_id, email]) == {}
    with kit.engine.connect() as conn:
        marks = conn.execute(sa.select(schema.tombstones.c.kind)).scalars().all()
        assert sorted(marks) == ["account", "email", "member"]
        actions = [e.action for e in kit.privacy.audit()]
    assert actions[-2:] == ["subject_export", "subject_forget"] or "subject_forget" in actions

    # collected again: the person stays out, everyone else comes back as before
    org = kit.test_org  # type: ignore[attr-defined]
    assert kit.collect(today=org.end).ok
    assert _mentions(kit, [key, email]) == {}
    with kit.engine.connect() as conn:
        assert (
            conn.execute(sa.select(sa.func.count()).select_from(schema.members)).scalar_one()
            == len(org.people) - 1
        )
    kit.close()


def test_cli_export_and_dry_run(kit: Kit, tmp_path: Path) -> None:
    email, _, _ = _person(kit)
    config = str(tmp_path / "e20kit.toml")
    kit.close()
    runner = CliRunner()
    out = tmp_path / "subject.json"
    args = ["-c", config, "--db", kit.store_url, "privacy"]
    result = runner.invoke(main, [*args, "export", "--email", email, "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    assert data["tables"]["facts"] and email not in json.dumps(data["tables"]["facts"])
    result = runner.invoke(main, ["--json", *args, "forget", "--email", email, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["deleted"]["facts"] == len(data["tables"]["facts"])
    result = runner.invoke(main, ["--json", *args[:-1], "privacy", "audit"])
    assert [e["action"] for e in json.loads(result.output)][-1] == "subject_export"

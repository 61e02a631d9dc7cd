"""The data inventory (issue 15, item 2) describes every table and column of the live store."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from click.testing import CliRunner

from e20kit import Kit
from e20kit.cli import main
from e20kit.privacy.inventory import render_markdown
from e20kit.store import schema


def _kit(tmp_path: Path, url: str) -> Kit:
    config = tmp_path / "e20kit.toml"
    config.write_text(
        "[privacy]\nretention_days = 0\nledger_retention_days = 90\n\n"
        f'[connectors.hr]\ntype = "csv"\npath = "{tmp_path}"\n\n'
        '[notifiers.log]\ntype = "log"\n',
        "utf-8",
    )
    return Kit.from_config(config, env={"E20KIT_PSEUDONYM_SECRET": "s" * 32}, store_url=url)


def test_every_live_table_and_column_is_described(tmp_path: Path, store_url: str) -> None:
    with _kit(tmp_path, store_url) as kit:
        doc = kit.privacy.inventory(lang="de")
        assert doc["undescribed"] == []
        live = set(sa.inspect(kit.engine).get_table_names())
        assert {t["name"] for t in doc["tables"]} == live == set(schema.metadata.tables)
        for table in doc["tables"]:
            assert table["purpose"] and table["retention"], table["name"]
            assert all(c["meaning"] for c in table["columns"]), table["name"]
        settings = doc["settings"]
        assert settings["min_group_size"] == 5 and settings["secret_env"]
        assert "dauerhaft" in settings["retention"]["facts"]  # 0: kept forever, a choice
        assert settings["retention"]["ledger"].startswith("90 Tage")
        (csv,) = doc["connectors"]
        assert csv["type"] == "csv" and any(
            "people.csv" in d["endpoint"] for d in csv["data_sources"]
        )
        assert doc["notifiers"][0]["data_sources"]
        text = render_markdown(doc)
        assert "# Datenverzeichnis" in text and "### `facts`" in text
        assert "NICHT BESCHRIEBEN" not in text

        # a column nobody described shows up, loudly
        with kit.engine.begin() as conn:
            conn.execute(sa.text("ALTER TABLE members ADD COLUMN shoe_size INTEGER"))
        doc = kit.privacy.inventory()
        assert doc["undescribed"] == ["members.shoe_size"]
        assert "NOT DESCRIBED (fix before use)" in render_markdown(doc)


def test_cli_writes_json_and_markdown(tmp_path: Path, sqlite_url: str) -> None:
    _kit(tmp_path, sqlite_url).close()
    runner = CliRunner(env={"E20KIT_PSEUDONYM_SECRET": "s" * 32})
    args = ["-c", str(tmp_path / "e20kit.toml"), "--db", sqlite_url, "privacy", "inventory"]
    result = runner.invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["lang"] == "en"
    out = tmp_path / "inventory.md"
    result = runner.invoke(main, [*args, "--lang", "de", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8").startswith("# Datenverzeichnis")


def test_every_registered_type_declares_its_sources_in_both_languages() -> None:
    """On 8bc5a9f Confluence and Microsoft 365 declared none ("names no data sources")."""
    from e20kit.plugins import Plugins

    plugins = Plugins()
    registered = [
        *plugins.connector_types().values(),
        *plugins.notifier_types().values(),
        *plugins.publishers().values(),
        *plugins.survey_source_types().values(),
    ]
    names = {type(r).__name__ + ":" + r.name for r in registered}
    assert {
        "ConnectorType:confluence",
        "ConnectorType:sharepoint",
        "Publisher:confluence",
        "Publisher:sharepoint",
        "Publisher:teams",
    } <= names
    assert "SurveySourceType:csv" in names
    for item in registered:
        assert item.data_sources, f"{item.name} declares no data sources"
        assert item.description and item.description_de, f"{item.name}: no German description"
        for source in item.data_sources:
            assert source.endpoint and source.scope and source.data, item.name
            assert source.scope_de and source.data_de, f"{item.name}: no German for {source}"


def _facts(kit: Kit) -> None:
    """Six members, five unique by department, title and joining day; a personal space only
    one of them used; a channel two people used on one day."""
    import datetime as dt

    from e20kit.store import rollup

    day = dt.date(2026, 3, 2)
    with kit.engine.begin() as conn:
        for i, (dept, title) in enumerate(
            [("A", "x"), ("A", "x"), ("A", "y"), ("B", "x"), ("B", "y"), ("C", "z")]
        ):
            joined = dt.date(2026, 1, 1) if i < 2 else dt.date(2026, 1, 1 + i)
            conn.execute(
                schema.members.insert().values(
                    member_key=f"k{i}",
                    department=dept,
                    title=title,
                    joined_on=joined,
                    active=True,
                    updated_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
                )
            )
        rows = [("k0", "~s3"), ("k1", "team"), ("k2", "team")]
        for key, container in rows:
            conn.execute(
                schema.facts.insert().values(
                    day=day,
                    member_key=key,
                    platform="confluence",
                    action="create",
                    feature="wiki",
                    container=container,
                    count=1,
                    source="t",
                )
            )
    rollup.refresh_store(kit.engine)


def test_categories_and_risk_are_computed_from_the_store(tmp_path: Path, store_url: str) -> None:
    """On 8bc5a9f activity_containers and day_totals were "no personal data" though they hold
    ~s3 and one-person totals, and the store was called pseudonymous without a figure."""
    with _kit(tmp_path, store_url) as kit:
        _facts(kit)
        doc = kit.privacy.inventory(lang="de")
    tables = {t["name"]: t for t in doc["tables"]}
    for name in ("activity_containers", "day_totals", "facts", "identities", "audit_log"):
        assert tables[name]["category"] == "personal", name
    assert any("~Benutzer" in h for h in tables["day_totals"]["holds"])
    assert tables["bookmarks"]["category"] == "technical"
    assert doc["one_person_totals"] == {"single": 1, "totals": 2}
    assert doc["personal_spaces"] == 1
    risk = doc["reidentification"]
    assert (risk["members"], risk["unique_by_department_title_joined"]) == (6, 4)
    text = render_markdown(doc)
    assert "4 von 6 Beschäftigten sind durch Abteilung" in text and "Dateirechte 600" in text
    assert "1 von 2 Tagessummen stammen von einer einzigen Person" in text


def test_the_german_inventory_says_pseudonymised_not_encrypted(
    tmp_path: Path, sqlite_url: str
) -> None:
    with _kit(tmp_path, sqlite_url) as kit:
        text = render_markdown(kit.privacy.inventory(lang="de"))
    assert "verschlüssel" not in text.lower()
    assert "pseudonymisiert" in text and "Beschäftigte" in text
    assert "Lesezugriff auf den Export-Ordner" in text  # the csv connector's texts, in German


def test_files_decisions_and_publishers_are_listed_without_any_secret(
    tmp_path: Path, sqlite_url: str
) -> None:
    """A Confluence connector and a Mattermost connector whose tokens are not set: the
    inventory still runs, states that direct messages are not counted, and lists the
    publisher, the log file, the identity map and the report the audit trail recorded."""
    import datetime as dt

    idmap = tmp_path / "ids.csv"
    idmap.write_text("platform,person_id,email\n", "utf-8")
    config = tmp_path / "e20kit.toml"
    config.write_text(
        f'[identities]\nmap = "{idmap}"\n\n'
        '[connectors.wiki]\ntype = "confluence"\nurl = "https://wiki.example.org"\n'
        'deployment = "datacenter"\n'
        'token_env = "WIKI_TOKEN_NOT_SET"\n\n'
        '[connectors.chat]\ntype = "mattermost"\nurl = "https://chat.example.org"\n'
        'token_env = "MM_TOKEN_NOT_SET"\n\n'
        f'[notifiers.log]\ntype = "log"\npath = "{tmp_path / "messages.jsonl"}"\n',
        "utf-8",
    )
    env = {"E20KIT_PSEUDONYM_SECRET": "s" * 32}
    with Kit.from_config(config, env=env, store_url=sqlite_url) as kit:
        kit.report("md", tmp_path / "r.md", period="last-7d", today=dt.date(2026, 3, 1))
        doc = kit.privacy.inventory()
    decisions = {d["key"]: d["value"] for d in doc["decisions"]}
    assert decisions["connectors.chat.direct_messages"] is False
    assert decisions["privacy.champion_scoring"] is False
    assert decisions["privacy.allow_individual_views"] is False
    # the Confluence connector lends its site; the Teams webhook needs no connector at all
    assert sorted(p["name"] for p in doc["publishers"]) == ["confluence", "teams"]
    assert "Workflows" in render_markdown(doc)
    kinds = {f["kind"]: f["path"] for f in doc["files"]}
    assert kinds["identity_map"] == str(idmap)
    assert kinds["notifier_output"] == str(tmp_path / "messages.jsonl")
    assert kinds["report"] == str((tmp_path / "r.md").resolve())
    assert "connectors.chat.direct_messages` = `false`" in render_markdown(doc)

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

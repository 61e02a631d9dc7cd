"""Names only when asked (issue 15, item 6): resolved live, never stored, audited."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from pydantic import BaseModel

from e20kit import ConfigError, ConnectorType, Kit, Person, Window, hookimpl
from e20kit.cli import main
from e20kit.store import schema

NAMES = {"u1": "Ada Lovelace", "u2": "Grace Hopper"}
NOW = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)


class DirSettings(BaseModel):
    pass


class Directory:
    """People without names in the store; names only through display_names."""

    capabilities = frozenset({"people"})
    asked: list[list[str]] = []

    def __init__(self, context: object) -> None:
        pass

    def people(self) -> Iterator[Person]:
        for pid in NAMES:
            yield Person(platform="dir", person_id=pid, email=f"{pid}@example.org")

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[object]:
        return iter(())

    def display_names(self, person_ids: Collection[str]) -> Mapping[str, str]:
        Directory.asked.append(sorted(person_ids))
        return {p: NAMES[p] for p in person_ids if p in NAMES}

    def close(self) -> None:
        pass


class DirPlugin:
    @hookimpl
    def e20kit_connectors(self) -> Iterator[ConnectorType]:
        yield ConnectorType(name="dir", settings=DirSettings, factory=Directory)  # type: ignore[arg-type]


def _kit(tmp_path: Path, url: str, allow: bool) -> Kit:
    config = tmp_path / "e20kit.toml"
    config.write_text(
        f"[privacy]\nallow_name_lookup = {str(allow).lower()}\n\n[connectors.dir]\n", "utf-8"
    )
    env = {"E20KIT_PSEUDONYM_SECRET": "s" * 32}
    return Kit.from_config(config, env=env, store_url=url, plugins=[DirPlugin()])


def _seed(kit: Kit) -> None:
    assert kit.collect().ok
    with kit.engine.begin() as conn:
        keys = conn.execute(sa.select(schema.members.c.member_key)).scalars().all()
        conn.execute(
            schema.champion_roster.insert(),
            [
                {
                    "member_key": k,
                    "state": "active",
                    "nominated_at": NOW,
                    "updated_at": NOW,
                    "updated_by": "t",
                }
                for k in keys
            ],
        )


def _stored_text(kit: Kit) -> str:
    with kit.engine.connect() as conn:
        return json.dumps(
            {
                t.name: [list(map(str, r)) for r in conn.execute(sa.select(t))]
                for t in schema.metadata.sorted_tables
            }
        )


def test_names_are_resolved_live_audited_and_never_stored(tmp_path: Path, sqlite_url: str) -> None:
    with _kit(tmp_path, sqlite_url, allow=True) as kit:
        _seed(kit)
        named = kit.privacy.champion_roster_with_names()
        assert sorted(n.name for n in named if n.name) == sorted(NAMES.values())
        assert Directory.asked[-1] == ["u1", "u2"]
        text = _stored_text(kit)
        assert not any(name in text for name in NAMES.values())
        (entry,) = [e for e in kit.privacy.audit() if e.action == "name_lookup"]
        assert entry.detail is not None
        assert (entry.detail["members"], entry.detail["resolved"]) == (2, 2)
        # whose names, pseudonymised: neither the member keys nor the names
        assert len(entry.detail["subjects"]) == 2
        assert not set(entry.detail["subjects"]) & {n.entry.member_key for n in named}


def test_names_need_the_setting(tmp_path: Path, sqlite_url: str) -> None:
    with _kit(tmp_path, sqlite_url, allow=False) as kit:
        _seed(kit)
        asked = len(Directory.asked)
        with pytest.raises(ConfigError, match="allow_name_lookup"):
            kit.privacy.champion_roster_with_names()
        assert len(Directory.asked) == asked
        assert not [e for e in kit.privacy.audit() if e.action == "name_lookup"]


def test_cli_list_names(tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with _kit(tmp_path, sqlite_url, allow=True) as kit:
        _seed(kit)
    monkeypatch.setenv("E20KIT_PSEUDONYM_SECRET", "s" * 32)
    monkeypatch.setattr(
        "e20kit.cli.common.State.kit", lambda self: _kit(tmp_path, sqlite_url, True)
    )
    result = CliRunner().invoke(
        main, ["-c", str(tmp_path / "e20kit.toml"), "champions", "list", "--names"]
    )
    assert result.exit_code == 0, result.output
    assert "Ada Lovelace" in result.output and "Grace Hopper" in result.output

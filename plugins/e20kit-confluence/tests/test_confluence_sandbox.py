"""The registered sandbox: what ``e20kit demo`` starts, used end to end through the core."""

from __future__ import annotations

import contextlib
import datetime as dt
from importlib.metadata import entry_points
from pathlib import Path

import sqlalchemy as sa
from confluence_testkit import table, toml

from e20kit import Kit, load_config
from e20kit.sandbox import Org


def test_sandbox_serves_the_org_to_the_connector(org: Org, tmp_path: Path, sqlite_url: str) -> None:
    from e20kit_confluence import plugin

    (sandbox,) = plugin.e20kit_sandboxes()
    with contextlib.ExitStack() as stack:
        run = sandbox.start(org, stack)
        assert run.connector["deployment"] == "cloud"
        path = tmp_path / "demo.toml"
        path.write_text(toml({"connectors.confluence": dict(run.connector)}))
        env = {**run.env, "E20KIT_PSEUDONYM_SECRET": "demo-secret-of-16-bytes"}
        kit = Kit(load_config(path, env=env), store_url=sqlite_url)
        result = kit.collect(today=org.end - dt.timedelta(days=1))
        assert result.ok and result.facts_written > 0, result.as_dict()
        with kit.engine.connect() as conn:
            facts = table(kit.engine, "facts")
            platforms = set(conn.execute(sa.select(facts.c.platform)).scalars())
        assert platforms == {"confluence"}
        kit.close()


def test_plugin_module_implements_the_registration_hooks() -> None:
    from e20kit_confluence import plugin

    (entry,) = [e for e in entry_points(group="e20kit") if e.name == "confluence"]
    assert entry.load() is plugin
    assert [s.name for s in plugin.e20kit_sandboxes()] == ["confluence"]
    assert [c.name for c in plugin.e20kit_connectors()] == ["confluence"]
    assert len(list(plugin.e20kit_checks())) == 7
    assert [p.name for p in plugin.e20kit_publishers()] == ["confluence"]

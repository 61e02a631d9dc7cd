"""The registered sandbox: what ``e20kit demo`` starts, used end to end through the core."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa

from e20kit import Kit, Message, Recipient, load_config
from e20kit.instances import make_notifier
from e20kit.plugins import Plugins
from e20kit.sandbox.org import Org
from e20kit.store import schema


def test_sandbox_serves_the_org_to_the_connector_and_notifier(
    org: Org, tmp_path: Path, sqlite_url: str
) -> None:
    sandbox = Plugins().sandboxes()["mattermost"]
    with contextlib.ExitStack() as stack:
        run = sandbox.start(org, stack)
        tables = {"connectors": {"chat": dict(run.connector)}, "notifiers": {"dm": run.notifier}}
        path = tmp_path / "demo.toml"
        path.write_text(_toml(tables))
        env = {**run.env, "E20KIT_PSEUDONYM_SECRET": "demo-secret-of-16-bytes"}
        kit = Kit(load_config(path, env=env), store_url=sqlite_url)
        result = kit.collect(today=org.end - dt.timedelta(days=1))
        assert result.ok and result.facts_written > 0
        with kit.engine.connect() as conn:
            ident = schema.identities
            query = sa.select(ident.c.person_id).where(ident.c.active).order_by(ident.c.person_id)
            uid = conn.execute(query).scalars().first()
        assert uid is not None
        notifier = make_notifier(kit.config, kit.plugins, "dm")
        message = Message(
            key=f"demo:welcome:{uid}",
            recipient=Recipient(member_key="m", platform_ids={"mattermost": uid}),
            subject="Welcome",
            body="Say hello in Town Square.",
        )
        notifier.send(message)
        assert notifier.was_sent(message) is True
        kit.close()


def _toml(tables: dict[str, dict[str, object]]) -> str:
    lines = []
    for section, entries in tables.items():
        for name, table in entries.items():
            lines.append(f"[{section}.{name}]")
            lines += [f"{key} = {json.dumps(value)}" for key, value in dict(table).items()]  # type: ignore[call-overload]
    return "\n".join(lines) + "\n"


def test_plugin_module_implements_the_registration_hooks() -> None:
    from e20kit_mattermost import plugin

    assert [s.name for s in plugin.e20kit_sandboxes()] == ["mattermost"]
    assert [c.name for c in plugin.e20kit_connectors()] == ["mattermost"]
    assert [n.name for n in plugin.e20kit_notifiers()] == ["mattermost"]
    assert len(list(plugin.e20kit_checks())) == 6
    assert Plugins().sandboxes()["mattermost"].start is plugin.MATTERMOST_SANDBOX.start

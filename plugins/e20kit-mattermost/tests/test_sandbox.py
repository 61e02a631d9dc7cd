"""The registered sandbox: what ``e20kit demo`` starts, used end to end through the core."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

from e20kit import Message, Recipient
from e20kit.sandbox import Org
from e20kit.testing import build_kit, kit_notifier, registrations, store_rows


def test_sandbox_serves_the_org_to_the_connector_and_notifier(org: Org, tmp_path: Path) -> None:
    sandbox = registrations().sandboxes["mattermost"]
    with contextlib.ExitStack() as stack:
        run = sandbox.start(org, stack)
        assert run.notifier is not None
        kit = stack.enter_context(
            build_kit(
                tmp_path,
                connectors={"chat": run.connector},
                notifiers={"dm": run.notifier},
                env=run.env,
            )
        )
        result = kit.collect(today=org.end - dt.timedelta(days=1))
        assert result.ok and result.facts_written > 0
        uid = next(r["person_id"] for r in store_rows(kit, "identities") if r["active"])
        notifier = kit_notifier(kit, "dm")
        message = Message(
            key=f"demo:welcome:{uid}",
            recipient=Recipient(member_key="m", platform_ids={"mattermost": uid}),
            subject="Welcome",
            body="Say hello in Town Square.",
        )
        notifier.send(message)
        assert notifier.was_sent(message) is True


def test_plugin_module_implements_the_registration_hooks() -> None:
    from e20kit_mattermost import plugin

    assert [s.name for s in plugin.e20kit_sandboxes()] == ["mattermost"]
    assert [c.name for c in plugin.e20kit_connectors()] == ["mattermost"]
    assert [n.name for n in plugin.e20kit_notifiers()] == ["mattermost"]
    assert len(list(plugin.e20kit_checks())) == 6
    assert registrations().sandboxes["mattermost"].start is plugin.MATTERMOST_SANDBOX.start

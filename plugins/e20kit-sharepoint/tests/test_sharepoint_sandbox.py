"""The registered sandbox: what ``e20kit demo`` starts, collected and messaged through the core."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

from e20kit import Message, Recipient
from e20kit.sandbox import Org
from e20kit.testing import build_kit, kit_notifier, people_totals, registrations


def test_sandbox_serves_the_org_to_the_connector_and_notifier(org: Org, tmp_path: Path) -> None:
    sandbox = registrations().sandboxes["sharepoint"]
    with contextlib.ExitStack() as stack:
        run = sandbox.start(org, stack)
        assert run.notifier is not None
        with build_kit(
            tmp_path,
            connectors={"m365": run.connector},
            notifiers={"mail": run.notifier},
            env=run.env,
        ) as kit:
            result = kit.collect(today=org.end - dt.timedelta(days=1))
            assert result.ok and result.facts_written > 0, result.as_dict()
            assert people_totals(kit)["sharepoint"] > len(org.people) // 2
            notifier = kit_notifier(kit, "mail")
            member = org.people[1]
            message = Message(
                key=f"demo:welcome:{member.person_id}",
                recipient=Recipient(member_key="m", email=member.email, locale=member.locale),
                subject="Welcome",
                body="The intranet has the handbook.",
            )
            notifier.send(message)
            assert notifier.was_sent(message) is True


def test_plugin_module_implements_the_registration_hooks() -> None:
    from e20kit_sharepoint import plugin

    assert [s.name for s in plugin.e20kit_sandboxes()] == ["sharepoint"]
    assert [c.name for c in plugin.e20kit_connectors()] == ["sharepoint"]
    assert [n.name for n in plugin.e20kit_notifiers()] == ["sharepoint"]
    assert {c.id for c in plugin.e20kit_checks()} == {
        "sharepoint.visited",
        "sharepoint.edited_or_shared",
        "sharepoint.posted_in_channel",
        "sharepoint.used_onedrive",
        "sharepoint.posted_in_viva_engage",
        "sharepoint.read_viva_engage",
    }

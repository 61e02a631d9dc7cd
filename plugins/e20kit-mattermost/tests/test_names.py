"""Display names read live through ``POST /api/v4/users/ids`` for ``champions list --names``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from e20kit_mattermost.connector import MattermostConnector
from e20kit_mattermost.fake import MattermostFake

from e20kit import Kit
from e20kit.collect import prepare_connectors

KitFactory = Callable[..., Kit]


def test_display_names_come_live_from_the_server(
    fake: MattermostFake, make_kit: KitFactory, sqlite_url: str, today: dt.date
) -> None:
    kit = make_kit(fake.url, sqlite_url)
    (prepared,) = prepare_connectors(kit.config, kit.plugins, ["chat"])
    connector = prepared.type.factory(prepared.context)
    assert isinstance(connector, MattermostConnector)
    users = list(fake.data.users.values())[:3]
    try:
        names = connector.display_names([u.id for u in users] + ["nobody"])
    finally:
        connector.close()
    assert set(names) == {u.id for u in users}
    for user in users:
        full = " ".join(p for p in (user.first_name, user.last_name) if p)
        assert names[user.id] == (full or user.nickname or user.username)

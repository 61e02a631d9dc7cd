"""Display names read live through ``POST /api/v4/users/ids`` for ``champions list --names``."""

from __future__ import annotations

from e20kit_mattermost.connector import MATTERMOST_CONNECTOR, MattermostConnector
from e20kit_mattermost.fake import ADMIN_TOKEN, MattermostFake

from e20kit.testing import build_connector


def test_display_names_come_live_from_the_server(fake: MattermostFake) -> None:
    table = {"url": fake.url, "token_env": "MM_TOKEN"}
    connector = build_connector(MATTERMOST_CONNECTOR, table, env={"MM_TOKEN": ADMIN_TOKEN})
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

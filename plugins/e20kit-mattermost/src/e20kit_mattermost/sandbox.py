"""The ``mattermost`` sandbox: serves the synthetic org from the fake for ``e20kit demo``."""

from __future__ import annotations

import contextlib
from typing import Any

from e20kit import Sandbox, SandboxRun

from .fake import ADMIN_TOKEN, BOT_TOKEN, MattermostFake

TOKEN_ENV = "E20KIT_DEMO_MATTERMOST_TOKEN"
BOT_TOKEN_ENV = "E20KIT_DEMO_MATTERMOST_BOT_TOKEN"


def start(org: Any, stack: contextlib.ExitStack) -> SandboxRun:
    fake = stack.enter_context(MattermostFake.from_org(org))
    return SandboxRun(
        # the demo opts in to counting direct messages (off by default: a decision of the
        # agreement, see docs/connectors/mattermost.md)
        connector={
            "type": "mattermost",
            "url": fake.url,
            "token_env": TOKEN_ENV,
            "direct_messages": True,
        },
        env={TOKEN_ENV: ADMIN_TOKEN, BOT_TOKEN_ENV: BOT_TOKEN},
        notifier={
            "type": "mattermost",
            "url": fake.url,
            "token_env": BOT_TOKEN_ENV,
            "bot_user_id": fake.accounts.bot_id,
        },
    )


MATTERMOST_SANDBOX = Sandbox(
    name="mattermost",
    start=start,
    description="Loopback fake of Mattermost REST v4 serving the synthetic organisation.",
)

__all__ = ["BOT_TOKEN_ENV", "MATTERMOST_SANDBOX", "TOKEN_ENV", "start"]

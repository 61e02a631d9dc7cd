"""The ``confluence`` sandbox: serves the synthetic org from the Cloud fake for ``e20kit demo``."""

from __future__ import annotations

import contextlib
from typing import Any

from e20kit import Sandbox, SandboxRun

from .fake import ConfluenceFake

TOKEN_ENV = "E20KIT_DEMO_CONFLUENCE_TOKEN"


def start(org: Any, stack: contextlib.ExitStack) -> SandboxRun:
    fake = stack.enter_context(ConfluenceFake.from_org(org, cloud=True))
    # Page views come from the fake's analytics as the API gives them: counts per page that
    # name nobody (the default views_days finished days); who watches which space is listed.
    table = {**fake.settings(), "api_token_env": TOKEN_ENV}
    return SandboxRun(connector=table, env={TOKEN_ENV: fake.token})


CONFLUENCE_SANDBOX = Sandbox(
    name="confluence",
    start=start,
    description="Loopback fake of Confluence Cloud (REST v1 + v2) serving the synthetic org.",
)

__all__ = ["CONFLUENCE_SANDBOX", "TOKEN_ENV", "start"]

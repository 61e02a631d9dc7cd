"""The ``confluence`` sandbox: serves the synthetic org from the Cloud fake for ``e20kit demo``."""

from __future__ import annotations

import contextlib
from typing import Any

from e20kit import Sandbox, SandboxRun

from .fake import ConfluenceFake

TOKEN_ENV = "E20KIT_DEMO_CONFLUENCE_TOKEN"


def start(org: Any, stack: contextlib.ExitStack) -> SandboxRun:
    fake = stack.enter_context(ConfluenceFake.from_org(org, cloud=True))
    # The fake counts the org's views, but e20kit demo imports the same synthetic views *by
    # reader* from a csv file (its diagnosis and the "read the wiki" step need to know who
    # read): the anonymous analytics counts would count those views twice.
    table = {**fake.settings(), "api_token_env": TOKEN_ENV, "page_views": False}
    return SandboxRun(connector=table, env={TOKEN_ENV: fake.token})


CONFLUENCE_SANDBOX = Sandbox(
    name="confluence",
    start=start,
    description="Loopback fake of Confluence Cloud (REST v1 + v2) serving the synthetic org.",
)

__all__ = ["CONFLUENCE_SANDBOX", "TOKEN_ENV", "start"]

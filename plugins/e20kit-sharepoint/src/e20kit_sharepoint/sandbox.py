"""The ``sharepoint`` sandbox: serves the synthetic org from the Graph fake for ``e20kit demo``.

The demo cannot wait ten minutes per quota window, so the fake and the connector agree on a
quarter-second window (same budget of 14 requests per report function).
"""

from __future__ import annotations

import contextlib
from typing import Any

from e20kit import Sandbox, SandboxRun

from .fake import MAILBOX, GraphFake

SECRET_ENV = "E20KIT_DEMO_GRAPH_CLIENT_SECRET"
WEBHOOK_ENV = "E20KIT_TEAMS_WEBHOOK"
"""Holds the fake Teams Workflows webhook's URL: ``--publish teams:E20KIT_TEAMS_WEBHOOK`` as the
docs write it reaches the fake in ``e20kit sandbox``."""
PAGE_TITLE = "Adoption report"
DEMO_WINDOW_S = 0.25


def start(org: Any, stack: contextlib.ExitStack) -> SandboxRun:
    fake = stack.enter_context(GraphFake.from_org(org, window_s=DEMO_WINDOW_S))
    app = fake.tenant.app
    site = f"{fake.pages.host}:{fake.pages.path}"
    return SandboxRun(
        connector=fake.table(SECRET_ENV, quota_window_s=DEMO_WINDOW_S),
        env={SECRET_ENV: str(app.client_secret), WEBHOOK_ENV: fake.webhook_url},
        notifier=fake.table(SECRET_ENV, mailbox=MAILBOX),
        publish=(f"sharepoint:{site}/{PAGE_TITLE}", f"teams:{WEBHOOK_ENV}"),
    )


SHAREPOINT_SANDBOX = Sandbox(
    name="sharepoint",
    start=start,
    description=(
        "Loopback fakes of Microsoft Graph (users, usage reports, sendMail, a site's pages and "
        "libraries), the report download host, an Entra ID authority over HTTPS and a Teams "
        "Workflows webhook, serving the synthetic organisation."
    ),
)

__all__ = ["PAGE_TITLE", "SECRET_ENV", "SHAREPOINT_SANDBOX", "WEBHOOK_ENV", "start"]

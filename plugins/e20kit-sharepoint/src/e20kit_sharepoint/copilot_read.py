"""Reading the beta Copilot report once per run, at whichever documented path answers.

The connector needs the report twice: for the accounts (who holds a Copilot licence: the members
on record of the ``copilot`` platform, so its participation rate is use among the licensed) and
for the days of use. It is asked once, the first time either needs it, and the answer is kept
for the run. Any error of this optional beta stream (a path Graph no longer knows, a refusal, a
server failing) leaves Copilot out of the run with a notice, never the run itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from e20kit import ConnectorError, describe_endpoint

from .client import GraphClient
from .copilot import COPILOT_USAGE, FALLBACK_STATUSES, PATHS, CopilotRead, beta_url, parse_copilot
from .reports import ReportUnreadable

log = logging.getLogger("e20kit.sharepoint")


@dataclass
class CopilotAnswer:
    read: CopilotRead | None
    """``None``: not read this run (see ``problem``)."""
    attempts: int = 0
    """Requests it took at Graph (each counts against the report's quota)."""
    problem: str = ""
    """Why it was not read: every path refused, an error, an unreadable CSV."""
    endpoint: str = ""
    recorded: bool = field(default=False, repr=False)
    """Whether the quota planner has counted ``attempts`` yet."""


class CopilotReader:
    def __init__(self, client: GraphClient, graph_url: str, name: str) -> None:
        self.client = client
        self.base = beta_url(graph_url)
        self.name = name
        self.answer: CopilotAnswer | None = None

    def read(self) -> CopilotAnswer:
        """The run's answer: asked at the report's new place first, then where it was."""
        if self.answer is None:
            self.answer = self._ask()
        return self.answer

    def _ask(self) -> CopilotAnswer:
        refused: list[str] = []
        attempts = 0
        for i, path in enumerate(PATHS):
            url = self.base + path
            endpoint = describe_endpoint(url, self.client.session.secrets)
            try:
                body, _, tries = self.client.download(url, COPILOT_USAGE.label)
            except ConnectorError as err:
                attempts += 1
                status = err.context.get("status")
                if status in FALLBACK_STATUSES:
                    refused.append(f"{path.split('(')[0]} HTTP {status}")
                    continue
                return CopilotAnswer(None, attempts, err.message, endpoint)
            attempts += tries
            if i:
                log.info("%s: the beta Copilot report answered at its old place %s", self.name, url)
            try:
                read = parse_copilot(body or b"", connector=self.name, endpoint=endpoint)
            except ReportUnreadable as err:
                return CopilotAnswer(None, attempts, err.message, endpoint)
            return CopilotAnswer(read, attempts, endpoint=endpoint)
        return CopilotAnswer(
            None,
            attempts,
            "the beta Copilot usage report is not served at either known path ("
            + "; ".join(refused)
            + "): Microsoft moved or retired it; Copilot is skipped until the connector knows "
            "its new place",
            self.base + PATHS[0].split("?")[0],
        )

    def licensed(self, person_id: Callable[[str], str | None]) -> set[str]:
        """Directory ids of the users the report lists (it lists licensed users only)."""
        answer = self.read()
        if answer.read is None:
            return set()
        found = {person_id(user) for user in answer.read.users}
        return {p for p in found if p is not None}


__all__ = ["CopilotAnswer", "CopilotReader"]

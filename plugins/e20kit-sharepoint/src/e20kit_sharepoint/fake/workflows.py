"""A loopback fake of a Teams Workflows webhook ("When a Teams webhook request is received",
then "Post card in a chat or channel").

``POST /workflows/{id}/triggers/manual/paths/invoke?api-version=1&sp=…&sv=1.0&sig=…``: the
``sig`` query parameter is the credential (a wrong one is 401). The body must be a message
envelope holding one Adaptive Card (``{"type": "message", "attachments": [{"contentType":
"application/vnd.microsoft.card.adaptive", "content": {"type": "AdaptiveCard", …}}]}``);
another shape is 400, a body over Teams' 28 KB message limit 413. Accepted posts answer
``202 Accepted`` with an empty body and are kept in :attr:`Workflows.posts`.
:meth:`Workflows.fail_next` scripts the next answers (429 with ``Retry-After``, 5xx, a 200 with
an HTML page).
"""

from __future__ import annotations

import json
import secrets
import threading
from typing import Any

from e20kit.sandbox import Request, Response

MAX_MESSAGE_BYTES = 28 * 1024
"""Teams' documented size limit of a message posted through a webhook."""
CARD_TYPE = "application/vnd.microsoft.card.adaptive"


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response.json({"error": {"code": code, "message": message}}, status, headers)


def card_problem(body: Any) -> str | None:
    """Why the Workflows trigger would refuse this body, or ``None``."""
    if not isinstance(body, dict) or body.get("type") != "message":
        return "the body must be a message: {'type': 'message', 'attachments': [...]}"
    attachments = body.get("attachments")
    if not isinstance(attachments, list) or not attachments:
        return "attachments must be a non-empty list"
    for attachment in attachments:
        if not isinstance(attachment, dict) or attachment.get("contentType") != CARD_TYPE:
            return f"each attachment needs contentType {CARD_TYPE}"
        content = attachment.get("content")
        if not isinstance(content, dict) or content.get("type") != "AdaptiveCard":
            return "an attachment's content must be an AdaptiveCard"
        if not isinstance(content.get("version"), str) or not isinstance(content.get("body"), list):
            return "an AdaptiveCard needs a version and a body list"
    return None


class Workflows:
    """One workflow's webhook trigger."""

    def __init__(self) -> None:
        self.workflow_id = secrets.token_hex(16)
        self.signature = secrets.token_urlsafe(32)
        self.base_url = ""
        self.posts: list[dict[str, Any]] = []
        self.requests = 0
        self._script: list[Response] = []
        self.lock = threading.Lock()

    @property
    def path(self) -> str:
        return f"/workflows/{self.workflow_id}/triggers/manual/paths/invoke"

    @property
    def url(self) -> str:
        """The webhook URL as Teams shows it once (a secret: the signature is in it)."""
        return (
            f"{self.base_url}{self.path}?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun"
            f"&sv=1.0&sig={self.signature}"
        )

    def fail_next(self, response: Response, times: int = 1) -> None:
        with self.lock:
            self._script.extend([response] * times)

    def __call__(self, request: Request) -> Response:
        with self.lock:
            self.requests += 1
            scripted = self._script.pop(0) if self._script else None
        if scripted is not None:
            return scripted
        if request.path != self.path:
            return _error(404, "WorkflowNotFound", "The workflow could not be found.")
        if request.method.upper() != "POST":
            return _error(405, "MethodNotAllowed", "The trigger takes POST only.")
        if request.arg("sig") != self.signature:
            return _error(401, "DirectApiAuthorizationRequired", "The signature is not valid.")
        if len(request.body) > MAX_MESSAGE_BYTES:
            return _error(413, "MessageTooLarge", "The message is larger than 28 KB.")
        try:
            body = json.loads(request.body)
        except ValueError:
            return _error(400, "InvalidRequestContent", "The request body is not JSON.")
        problem = card_problem(body)
        if problem:
            return _error(400, "InvalidRequestContent", problem)
        with self.lock:
            self.posts.append(body)
        return Response(202, b"")


__all__ = ["CARD_TYPE", "MAX_MESSAGE_BYTES", "Workflows", "card_problem"]

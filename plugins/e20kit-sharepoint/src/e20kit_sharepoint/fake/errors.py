"""The error body every fake Graph endpoint answers with, in Graph's documented shape.

Graph wraps an error in ``{"error": {"code", "message", "innerError": {"date", "request-id"}}}``
(``date`` in UTC), whichever workload serves the call: the users, reports and mail endpoints
(:mod:`.graph`) and the SharePoint pages and libraries (:mod:`.pages`) alike. It has a module of
its own, importing nothing of the fake, so that both can use it: :mod:`.graph` imports
:mod:`.pages`, so :mod:`.pages` cannot import :mod:`.graph`.
"""

from __future__ import annotations

import time

from e20kit.sandbox import Response

_DATE = "%Y-%m-%dT%H:%M:%S"


def graph_error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    """``status`` with Graph's error body (``code`` such as ``NotFound``, ``itemNotFound``)."""
    body = {
        "error": {
            "code": code,
            "message": message,
            "innerError": {"date": time.strftime(_DATE, time.gmtime()), "request-id": "fake"},
        }
    }
    return Response.json(body, status, headers)


__all__ = ["graph_error"]

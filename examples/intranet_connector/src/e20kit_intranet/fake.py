"""A loopback fake of the intranet API, for the connector's tests (and a demo).

It answers like the real server would: bearer-token auth (401 otherwise), ``page``/``per_page``
paging of users, a cursor in the body for views, and the ``X-Budget-*`` headers the rate policy
reads. ``e20kit.sandbox.LoopbackServer`` serves it over real HTTP, and its ``FaultPlan`` makes
a share of the requests fail (429 with ``Retry-After``, 5xx, connection resets).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from e20kit.sandbox import Fake, FaultPlan, LoopbackServer, Request, Response, Router

TOKEN = "intranet-test-token"


@dataclass
class IntranetData:
    """What the fake serves: users as the API lists them, views as (user, page, instant)."""

    users: list[dict[str, Any]] = field(default_factory=list)
    views: list[tuple[str, str, dt.datetime]] = field(default_factory=list)

    def add_user(self, uid: str, email: str, created: dt.datetime, **fields: Any) -> None:
        self.users.append({"id": uid, "email": email, "created": created.isoformat(), **fields})

    def view(self, user: str, page: str, at: dt.datetime) -> None:
        self.views.append((user, page, at))


def _authorised(request: Request) -> bool:
    return request.headers.get("authorization") == f"Bearer {TOKEN}"


def router(data: IntranetData, *, budget: int = 1000) -> Router:
    app = Router()
    headers = {"X-Budget-Remaining": str(budget), "X-Budget-Reset": "0.01"}

    @app.route("GET", "/api/users")
    def users(request: Request) -> Response:
        if not _authorised(request):
            return Response.json({"message": "invalid token"}, 401)
        page, size = int(request.arg("page", "1") or 1), int(request.arg("per_page", "50") or 50)
        chunk = data.users[(page - 1) * size : page * size]
        return Response.json(chunk, headers=headers)

    @app.route("GET", "/api/views")
    def views(request: Request) -> Response:
        if not _authorised(request):
            return Response.json({"message": "invalid token"}, 401)
        since = dt.datetime.fromisoformat(request.arg("since") or "1970-01-01T00:00:00+00:00")
        start, limit = int(request.arg("cursor", "0") or 0), int(request.arg("limit", "50") or 50)
        found = sorted(v for v in data.views if v[2] >= since)
        chunk = found[start : start + limit]
        more = start + limit < len(found)
        body = {
            "views": [{"user": u, "page": p, "at": at.isoformat()} for u, p, at in chunk],
            "next": str(start + limit) if more else None,
        }
        return Response.json(body, headers=headers)

    return app


class IntranetFake(Fake):
    """The fake's data served on a loopback port (started on creation; ``Fake`` makes it a
    context manager that calls :meth:`stop` on exit)."""

    def __init__(
        self, data: IntranetData, *, faults: FaultPlan | None = None, budget: int = 1000
    ) -> None:
        self.data = data
        self.server = LoopbackServer(router(data, budget=budget), faults=faults)

    @property
    def url(self) -> str:
        return self.server.url

    def stop(self) -> None:
        self.server.stop()

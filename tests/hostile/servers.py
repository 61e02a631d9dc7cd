"""A hostile proxy in front of a vendor fake: it forwards honestly until told to answer badly.

Put in front of a fake (``HostileProxy(target)``), it rewrites the fake's own URLs in bodies
and headers to itself, so paging links come back through it too. A :class:`Fault` answers
every request from ``after`` on (or every ``every``-th) with a hostile response that echoes
what the client sent: ``Authorization``, query and body, where a careless server would.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import requests

from e20kit.sandbox import FaultPlan, LoopbackServer, Request, Response

_HOP_HEADERS = {
    "connection",
    "content-length",
    "transfer-encoding",
    "content-encoding",
    "keep-alive",
    "host",
    "accept-encoding",
}


def _echo(request: Request) -> str:
    """What the client sent that a careless server quotes back: credentials included."""
    said = request.headers.get("Authorization", "")
    query = "&".join(f"{k}={v[0]}" for k, v in request.query.items() if v)
    return f"rejected {said} for {request.path}?{query} body={request.body[:300]!r}"


def _json(data: object, status: int = 200, **headers: str) -> Response:
    body = json.dumps(data).encode()
    return Response(status, body, {"Content-Type": "application/json", **headers})


def _html(text: str, status: int) -> Response:
    page = f"<html><head><title>Sign in</title></head><body><p>{text}</p></body></html>"
    return Response(status, page.encode(), {"Content-Type": "text/html; charset=utf-8"})


Answer = Callable[[Request, Response | None], Response]
"""Builds the hostile answer from the request and (for header faults) the honest answer."""


@dataclass(frozen=True)
class Fault:
    name: str
    answer: Answer | None = None
    plan: FaultPlan | None = None
    """Transport faults (resets, truncated bodies) of the proxy's own server instead."""
    recoverable: bool = False
    """The retries must hide it: the run exits 0 and stores what a clean run stores."""
    honest_first: bool = False
    """``answer`` gets the fake's honest response to decorate (rate-limit headers)."""


def _far_reset(request: Request, honest: Response | None) -> Response:
    assert honest is not None
    far = time.time() + 86_400
    iso = dt.datetime.fromtimestamp(far, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    reset = iso if "/wiki" in request.path or "/rest/" in request.path else f"{far:.0f}"
    headers = {
        **(honest.headers or {}),
        "X-RateLimit-Limit": "10",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": reset,
        "X-RateLimit-NearLimit": "true",
    }
    return Response(honest.status, honest.body, headers)


HUGE_BYTES = 3 * 1024 * 1024
"""Over the suite's ``[http] max_response_mb = 1``."""

FAULTS: tuple[Fault, ...] = (
    Fault("401 echoing credentials", lambda r, _: _json({"message": _echo(r)}, 401)),
    Fault("403 html echoing credentials", lambda r, _: _html(_echo(r), 403)),
    Fault("404 html", lambda r, _: _html("Not found", 404)),
    Fault(
        "429 retry-after an hour",
        lambda r, _: _json({"message": "slow"}, 429, **{"Retry-After": "3600"}),
    ),
    Fault("rate-limit reset tomorrow", _far_reset, honest_first=True),
    Fault(
        "500 echoing credentials",
        lambda r, _: Response(500, _echo(r).encode(), {"Content-Type": "text/plain"}),
    ),
    Fault("503 html", lambda r, _: _html("Service unavailable " + _echo(r), 503)),
    Fault("html instead of json", lambda r, _: _html("Please sign in " + _echo(r), 200)),
    Fault(
        "garbage json",
        lambda r, _: Response(
            200, b'{"results": [{"id": "1", ', {"Content-Type": "application/json"}
        ),
    ),
    Fault("json list of junk", lambda r, _: _json([1, "x", None, {"id": None}])),
    Fault("json null", lambda r, _: _json(None)),
    Fault(
        "wrong shape",
        lambda r, _: _json(
            {"value": "yes", "results": 5, "id": 7, "users": "no", "@odata.nextLink": 3}
        ),
    ),
    Fault(
        "huge body",
        lambda r, _: Response(
            200, b'{"value": [' + b" " * HUGE_BYTES + b"]}", {"Content-Type": "application/json"}
        ),
    ),
    Fault(
        "connection resets", plan=FaultPlan(rate=0.5, kinds=("reset",), seed=3), recoverable=True
    ),
    Fault(
        "truncated bodies", plan=FaultPlan(rate=0.5, kinds=("truncated",), seed=4), recoverable=True
    ),
    Fault(
        "transient 503",
        plan=FaultPlan(rate=0.5, kinds=("5xx",), retry_after_s=0.0, seed=5),
        recoverable=True,
    ),
)


class HostileProxy:
    """Forwards to ``target`` (a fake's base URL); hostile once :meth:`arm` was called."""

    def __init__(self, target: str) -> None:
        self.target = target.rstrip("/")
        self.origin = "/".join(self.target.split("/")[:3])
        self.fault: Fault | None = None
        self.after = 0
        self.seen = 0
        self.injected = 0
        self._lock = threading.Lock()
        self._http = requests.Session()
        self.server = LoopbackServer(self)
        self.url = self.server.url + self.target[len(self.origin) :]

    def arm(self, fault: Fault | None, *, after: int = 0) -> None:
        with self._lock:
            self.fault, self.after, self.seen, self.injected = fault, after, 0, 0
        self.server.faults = fault.plan if fault is not None else None

    def stop(self) -> None:
        self.server.stop()
        self._http.close()

    def __call__(self, request: Request) -> Response:
        with self._lock:
            number = self.seen
            self.seen += 1
            fault = self.fault
            hostile = fault is not None and fault.answer is not None and number >= self.after
            if hostile:
                self.injected += 1
        if hostile and fault is not None and fault.answer is not None and not fault.honest_first:
            return fault.answer(request, None)
        honest = self._forward(request)
        if hostile and fault is not None and fault.answer is not None:
            return fault.answer(request, honest)
        return honest

    def _forward(self, request: Request) -> Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_HEADERS}
        answer = self._http.request(
            request.method,
            self.origin + request.path,
            params={k: v for k, v in request.query.items()},
            data=request.body or None,
            headers=headers,
            allow_redirects=False,
            timeout=30,
        )
        mine = self.server.url
        body = answer.content.replace(self.origin.encode(), mine.encode())
        out = {
            k: v.replace(self.origin, mine)
            for k, v in answer.headers.items()
            if k.lower() not in _HOP_HEADERS
        }
        return Response(answer.status_code, body, out)


def secret_forms(secrets: list[str], users: list[str]) -> list[str]:
    """Every secret raw, in base64 alone, and as the payload of ``Basic user:secret``."""
    forms: set[str] = set()
    for secret in secrets:
        if len(secret) < 6:
            continue
        forms.add(secret)
        forms.add(base64.b64encode(secret.encode()).decode().rstrip("="))
        for user in users:
            forms.add(base64.b64encode(f"{user}:{secret}".encode()).decode().rstrip("="))
    return sorted(forms)

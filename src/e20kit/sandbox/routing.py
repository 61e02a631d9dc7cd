"""Requests, responses and a tiny router for loopback fakes of vendor APIs.

Fakes are small and live in tests and plugins, so the router stays deliberately minimal: exact
paths with ``{name}`` segments, one handler per method, JSON helpers. Unknown paths answer 404 and
known paths with another method 405, like real servers, so client code meets the same errors.
"""

from __future__ import annotations

import json as _json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

__all__ = ["App", "Handler", "Headers", "Request", "Response", "Router"]


class Headers(Mapping[str, str]):
    """Case-insensitive, read-only header mapping (HTTP header names ignore case)."""

    def __init__(self, items: Mapping[str, str] | list[tuple[str, str]] | None = None) -> None:
        pairs = items.items() if isinstance(items, Mapping) else (items or [])
        self._items: dict[str, tuple[str, str]] = {k.lower(): (k, v) for k, v in pairs}

    def __getitem__(self, key: str) -> str:
        return self._items[key.lower()][1]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Headers({dict(self._items.values())!r})"


@dataclass(frozen=True)
class Request:
    """One HTTP request as a fake sees it: path without query, parsed query, raw body."""

    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=Headers)
    body: bytes = b""

    def json(self) -> Any:
        """The body parsed as JSON (``None`` for an empty body)."""
        return _json.loads(self.body) if self.body else None

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The first value of query parameter ``name``, or ``default``."""
        values = self.query.get(name)
        return values[0] if values else default


@dataclass
class Response:
    """What a handler answers; ``Content-Length`` is added by the server."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] | None = None

    @classmethod
    def json(
        cls, data: Any, status: int = 200, headers: Mapping[str, str] | None = None
    ) -> Response:
        """A JSON response (compact encoding, ``application/json``)."""
        body = _json.dumps(data, separators=(",", ":")).encode()
        return cls(status, body, {"Content-Type": "application/json", **(headers or {})})

    @classmethod
    def text(
        cls, text: str, status: int = 200, headers: Mapping[str, str] | None = None
    ) -> Response:
        """A plain-text response (UTF-8)."""
        merged = {"Content-Type": "text/plain; charset=utf-8", **(headers or {})}
        return cls(status, text.encode(), merged)


Handler = Callable[..., Response]
"""``handler(request, **path_params) -> Response``."""

App = Callable[[Request], Response]
"""Anything the server can serve: a :class:`Router` or a plain function."""

_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _compile(pattern: str) -> re.Pattern[str]:
    if not pattern.startswith("/"):
        raise ValueError(f"route pattern must start with '/': {pattern!r}")
    parts: list[str] = []
    last = 0
    for match in _PARAM.finditer(pattern):
        parts.append(re.escape(pattern[last : match.start()]))
        parts.append(f"(?P<{match.group(1)}>[^/]+)")
        last = match.end()
    parts.append(re.escape(pattern[last:]))
    return re.compile("".join(parts) + r"\Z")


def _default_error(request: Request, status: int, message: str) -> Response:
    return Response.json({"error": message, "path": request.path, "status_code": status}, status)


@dataclass
class _Route:
    pattern: str
    regex: re.Pattern[str]
    handlers: dict[str, Handler]


class Router:
    """Maps ``(method, path pattern)`` to handlers; callable as an :data:`App`.

    ``error`` builds the 404/405 bodies so a fake can answer in its vendor's error format.
    """

    def __init__(self, *, error: Callable[[Request, int, str], Response] | None = None) -> None:
        self._routes: list[_Route] = []
        self._error = error or _default_error

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        """Register ``handler`` for ``method`` on ``pattern`` (``{name}`` matches one segment)."""
        method = method.upper()
        for route in self._routes:
            if route.pattern == pattern:
                if method in route.handlers:
                    raise ValueError(f"duplicate route {method} {pattern}")
                route.handlers[method] = handler
                return
        self._routes.append(_Route(pattern, _compile(pattern), {method: handler}))

    def route(self, method: str, pattern: str) -> Callable[[Handler], Handler]:
        """Decorator form of :meth:`add`."""

        def register(handler: Handler) -> Handler:
            self.add(method, pattern, handler)
            return handler

        return register

    def include(self, other: Router, prefix: str = "") -> None:
        """Mount every route of ``other`` under ``prefix`` (e.g. two fakes on one server)."""
        for route in other._routes:
            for method, handler in route.handlers.items():
                self.add(method, prefix + route.pattern, handler)

    def __call__(self, request: Request) -> Response:
        allowed: set[str] = set()
        for route in self._routes:
            match = route.regex.match(request.path)
            if match is None:
                continue
            handler = route.handlers.get(request.method.upper())
            if handler is None:
                allowed.update(route.handlers)
                continue
            params = {k: unquote(v) for k, v in match.groupdict().items()}
            return handler(request, **params)
        if allowed:
            response = self._error(request, 405, "method not allowed")
            response.headers = {**(response.headers or {}), "Allow": ", ".join(sorted(allowed))}
            return response
        return self._error(request, 404, "not found")

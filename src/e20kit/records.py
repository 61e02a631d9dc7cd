"""One malformed directory entry is skipped and named, not a failed directory (issue 25).

A plugin builds each :class:`~e20kit.Person` through :func:`build_or_skip`: when pydantic
rejects the record (a NUL in a name, an impossible date), the record is reported to the run's
:class:`~e20kit.Streams` by id and field, never by value, and the rest of the listing is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from .http.payload import field_path
from .streams import Streams

T = TypeVar("T")


def build_or_skip(
    build: Callable[..., T],
    fields: Mapping[str, Any],
    streams: Streams | None,
    stream: str,
    record: str,
    *,
    endpoint: str | None = None,
) -> T | None:
    """``build(**fields)``, or ``None`` after reporting the record as skipped when it fails
    validation (without ``streams`` the error propagates, as before)."""
    try:
        return build(**fields)
    except ValidationError as err:
        if streams is None:
            raise
        problems = err.errors(include_url=False, include_input=False, include_context=False)
        field = field_path(problems[0]["loc"])
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        reason = f"malformed: {field}: {problems[0]['msg']}{more}"
        streams.skip(stream, record, reason, endpoint=endpoint, field=field)
        return None


__all__ = ["build_or_skip"]

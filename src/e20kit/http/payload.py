"""Checking a vendor response's shape with pydantic, failing as one typed, redacted error.

A connector declares small models of just the fields it reads (``extra="ignore"``) and parses each
response with :func:`parse_payload` (or :meth:`HttpSession.get_model`). A malformed answer becomes
one :class:`~e20kit.errors.ConnectorPayloadError` naming the connector, the redacted endpoint and
the first offending field, instead of a ``KeyError`` or ``TypeError`` deep inside the connector.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, TypeVar, cast

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..errors import ConnectorPayloadError
from .redaction import describe_endpoint, redact

M = TypeVar("M")


@functools.lru_cache(maxsize=256)
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def field_path(loc: Sequence[int | str]) -> str:
    """``("posts", "abc", "create_at")`` -> ``posts.abc.create_at``; the root is ``(root)``."""
    return ".".join(str(part) for part in loc) or "(root)"


def describe_validation_error(err: ValidationError, secrets: Sequence[str] = ()) -> str:
    """One line naming the first failing field: ``field.path: message (and N more)``.

    For plugins that validate with pydantic themselves (a result handed back by a third-party
    client rather than fetched with :func:`parse_payload`), so that their errors word a bad shape
    as the core does. The offending value is never shown (it may be personal data or a secret);
    ``secrets`` are redacted from what is left.
    """
    errors = err.errors(include_url=False, include_input=False, include_context=False)
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return redact(f"{field_path(first['loc'])}: {first['msg']}{more}", secrets)


def parse_payload(
    model: type[M] | TypeAdapter[M],
    data: Any,
    *,
    connector: str,
    endpoint: str,
    secrets: Sequence[str] = (),
) -> M:
    """``data`` validated as ``model`` (a pydantic model, a ``TypeAdapter`` or any type pydantic
    understands, e.g. ``list[User]``), or :class:`ConnectorPayloadError`."""
    try:
        if isinstance(model, TypeAdapter):
            return model.validate_python(data)
        if isinstance(model, type) and issubclass(model, BaseModel):
            return cast(M, model.model_validate(data))
        adapter: TypeAdapter[M] = _adapter(cast(Any, model))
        return adapter.validate_python(data)
    except ValidationError as err:
        problem = describe_validation_error(err, secrets)
        first = err.errors(include_url=False, include_input=False)[0]
        error = ConnectorPayloadError(
            f"malformed response: {problem}",
            connector=connector,
            endpoint=describe_endpoint(endpoint, secrets),
            field=field_path(first["loc"]),
        )
    raise error  # outside the except block: no chained pydantic error carrying the input


__all__ = ["describe_validation_error", "field_path", "parse_payload"]

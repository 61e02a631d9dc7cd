"""The hooks e20kit loads through the ``e20kit`` entry point (see pyproject.toml)."""

from __future__ import annotations

from collections.abc import Iterator

from e20kit import Check, ConnectorType, hookimpl

from .checks import READ_PAGES
from .connector import INTRANET_CONNECTOR


@hookimpl
def e20kit_connectors() -> Iterator[ConnectorType]:
    yield INTRANET_CONNECTOR


@hookimpl
def e20kit_checks() -> Iterator[Check]:
    yield READ_PAGES

"""The plugin module named by the ``e20kit`` entry point: registers everything through hooks."""

from __future__ import annotations

from collections.abc import Iterable

from e20kit import Check, ConnectorType, Publisher, Sandbox, hookimpl

from .checks import CHECKS
from .connector import CONFLUENCE_CONNECTOR
from .publishing import CONFLUENCE_PUBLISHER
from .sandbox import CONFLUENCE_SANDBOX


@hookimpl
def e20kit_connectors() -> Iterable[ConnectorType]:
    return [CONFLUENCE_CONNECTOR]


@hookimpl
def e20kit_checks() -> Iterable[Check]:
    return list(CHECKS)


@hookimpl
def e20kit_sandboxes() -> Iterable[Sandbox]:
    return [CONFLUENCE_SANDBOX]


@hookimpl
def e20kit_publishers() -> Iterable[Publisher]:
    return [CONFLUENCE_PUBLISHER]

"""The plugin module named by the ``e20kit`` entry point: registers everything through hooks."""

from __future__ import annotations

from collections.abc import Iterable

from e20kit import Check, ConnectorType, NotifierType, Sandbox, hookimpl

from .checks import CHECKS
from .connector import MATTERMOST_CONNECTOR
from .notifier import MATTERMOST_NOTIFIER
from .sandbox import MATTERMOST_SANDBOX


@hookimpl
def e20kit_connectors() -> Iterable[ConnectorType]:
    return [MATTERMOST_CONNECTOR]


@hookimpl
def e20kit_checks() -> Iterable[Check]:
    return list(CHECKS)


@hookimpl
def e20kit_notifiers() -> Iterable[NotifierType]:
    return [MATTERMOST_NOTIFIER]


@hookimpl
def e20kit_sandboxes() -> Iterable[Sandbox]:
    return [MATTERMOST_SANDBOX]

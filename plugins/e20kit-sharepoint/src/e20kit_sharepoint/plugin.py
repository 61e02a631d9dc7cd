"""The plugin module named by the ``e20kit`` entry point: registers everything through hooks."""

from __future__ import annotations

from collections.abc import Iterable

from e20kit import Check, ConnectorType, NotifierType, Publisher, Sandbox, hookimpl

from .checks import CHECKS
from .connector import SHAREPOINT_CONNECTOR
from .notifier import SHAREPOINT_NOTIFIER
from .publish_page import SHAREPOINT_PAGE_PUBLISHER
from .publish_teams import TEAMS_PUBLISHER
from .sandbox import SHAREPOINT_SANDBOX


@hookimpl
def e20kit_connectors() -> Iterable[ConnectorType]:
    return [SHAREPOINT_CONNECTOR]


@hookimpl
def e20kit_checks() -> Iterable[Check]:
    return list(CHECKS)


@hookimpl
def e20kit_notifiers() -> Iterable[NotifierType]:
    return [SHAREPOINT_NOTIFIER]


@hookimpl
def e20kit_sandboxes() -> Iterable[Sandbox]:
    return [SHAREPOINT_SANDBOX]


@hookimpl
def e20kit_publishers() -> Iterable[Publisher]:
    return [SHAREPOINT_PAGE_PUBLISHER, TEAMS_PUBLISHER]

"""The built-in plugin: registered through the ``e20kit`` entry point like any third-party one."""

from __future__ import annotations

from collections.abc import Iterable

from .connector import ConnectorType
from .connectors.csv import CSV_CONNECTOR
from .notifier import NotifierType
from .notifiers.log import LOG_NOTIFIER
from .plugins import hookimpl


@hookimpl
def e20kit_connectors() -> Iterable[ConnectorType]:
    return [CSV_CONNECTOR]


@hookimpl
def e20kit_notifiers() -> Iterable[NotifierType]:
    return [LOG_NOTIFIER]

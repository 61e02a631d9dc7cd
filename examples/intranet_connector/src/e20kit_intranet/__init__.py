"""Example connector plugin: people and daily page views from an intranet's REST API.

The walk-through in docs/plugin-authoring.md explains every file of this package; the suite
runs its tests (examples/intranet_connector/tests) and keeps the guide's code equal to it.

    [connectors.intranet]
    url = "https://intranet.example.org"
    token_env = "INTRANET_TOKEN"
"""

from __future__ import annotations

from . import plugin
from .checks import READ_PAGES, ReadPages
from .client import BudgetPolicy, IntranetClient
from .connector import INTRANET_CONNECTOR, IntranetConnector
from .settings import PLATFORM, IntranetSettings

__all__ = [
    "INTRANET_CONNECTOR",
    "PLATFORM",
    "READ_PAGES",
    "BudgetPolicy",
    "IntranetClient",
    "IntranetConnector",
    "IntranetSettings",
    "ReadPages",
    "plugin",
]

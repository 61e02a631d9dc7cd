"""e20kit plugin for Microsoft 365: directory, usage reports, checks, Graph mail and a fake.

Installed, it registers itself through the ``e20kit`` entry point; nothing needs importing.
Configure it with ``[connectors.m365]`` ``type = "sharepoint"`` (see docs/connectors/sharepoint.md).
"""

from __future__ import annotations

from .client import GraphClient
from .connector import SHAREPOINT_CONNECTOR, SharePointConnector
from .copilot import COPILOT_USAGE
from .notifier import SHAREPOINT_NOTIFIER, GraphMailNotifier
from .reports import REPORTS, Report
from .settings import (
    COPILOT,
    M365_APPS,
    OUTLOOK,
    PLATFORM,
    VIVA_ENGAGE,
    GraphMailSettings,
    SharePointSettings,
)

__version__ = "0.1.0"

__all__ = [
    "COPILOT",
    "COPILOT_USAGE",
    "M365_APPS",
    "OUTLOOK",
    "PLATFORM",
    "REPORTS",
    "SHAREPOINT_CONNECTOR",
    "SHAREPOINT_NOTIFIER",
    "VIVA_ENGAGE",
    "GraphClient",
    "GraphMailNotifier",
    "GraphMailSettings",
    "Report",
    "SharePointConnector",
    "SharePointSettings",
    "__version__",
]

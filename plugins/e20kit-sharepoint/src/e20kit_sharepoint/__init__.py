"""e20kit plugin for Microsoft 365: directory, usage reports, checks, Graph mail and a fake.

Installed, it registers itself through the ``e20kit`` entry point; nothing needs importing.
Configure it with ``[connectors.m365]`` ``type = "sharepoint"`` (see docs/connectors/sharepoint.md).
"""

from __future__ import annotations

from .client import GraphClient
from .connector import SHAREPOINT_CONNECTOR, SharePointConnector
from .notifier import SHAREPOINT_NOTIFIER, GraphMailNotifier
from .reports import REPORTS, Report
from .settings import PLATFORM, GraphMailSettings, SharePointSettings

__version__ = "0.1.0"

__all__ = [
    "PLATFORM",
    "REPORTS",
    "SHAREPOINT_CONNECTOR",
    "SHAREPOINT_NOTIFIER",
    "GraphClient",
    "GraphMailNotifier",
    "GraphMailSettings",
    "Report",
    "SharePointConnector",
    "SharePointSettings",
    "__version__",
]

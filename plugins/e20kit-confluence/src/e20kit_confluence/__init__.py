"""e20kit plugin for Confluence Cloud and Data Center: connector, onboarding checks, fake.

Installed, it registers itself through the ``e20kit`` entry point; nothing needs importing.
Configure it with ``[connectors.wiki]`` ``type = "confluence"`` (see docs/connectors/confluence.md).
"""

from __future__ import annotations

from .client import ConfluenceClient
from .connector import CONFLUENCE_CONNECTOR, ConfluenceConnector
from .settings import PLATFORM, ConfluenceSettings

__version__ = "0.1.0"

__all__ = [
    "CONFLUENCE_CONNECTOR",
    "PLATFORM",
    "ConfluenceClient",
    "ConfluenceConnector",
    "ConfluenceSettings",
    "__version__",
]

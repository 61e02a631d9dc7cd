"""e20kit plugin for Mattermost: connector, onboarding checks, DM notifier and loopback fake.

Installed, it registers itself through the ``e20kit`` entry point; nothing needs importing.
Configure it with ``[connectors.chat]`` ``type = "mattermost"`` (see docs/connectors/mattermost.md).
"""

from __future__ import annotations

from .client import MattermostClient
from .connector import MATTERMOST_CONNECTOR, MattermostConnector
from .notifier import MATTERMOST_NOTIFIER, MattermostNotifier
from .ratelimit import MattermostRatePolicy
from .settings import PLATFORM, MattermostNotifierSettings, MattermostSettings

__version__ = "0.1.0"

__all__ = [
    "MATTERMOST_CONNECTOR",
    "MATTERMOST_NOTIFIER",
    "PLATFORM",
    "MattermostClient",
    "MattermostConnector",
    "MattermostNotifier",
    "MattermostNotifierSettings",
    "MattermostRatePolicy",
    "MattermostSettings",
    "__version__",
]

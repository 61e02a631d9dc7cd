"""e20kit plugin for LimeSurvey: a survey source over RemoteControl 2, and a loopback fake.

Installed, it registers itself through the ``e20kit`` entry point; nothing needs importing.
Configure it with ``[survey_sources.pulse]`` ``type = "limesurvey"`` (see
docs/connectors/limesurvey.md).
"""

from __future__ import annotations

from .client import LimeSurveyClient
from .settings import LimeSurveySettings
from .source import LIMESURVEY_SOURCE, LimeSurveySource

__version__ = "0.1.0"

__all__ = [
    "LIMESURVEY_SOURCE",
    "LimeSurveyClient",
    "LimeSurveySettings",
    "LimeSurveySource",
    "__version__",
]

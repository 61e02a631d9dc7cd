"""Helpers the LimeSurvey tests share (a unique module name: every plugin's tests run together)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from e20kit_limesurvey.settings import LimeSurveySettings
from e20kit_limesurvey.source import LimeSurveySource

from e20kit import PluginContext, make_session
from e20kit.http import HttpSettings

SourceFactory = Callable[..., LimeSurveySource]


def context(settings: LimeSurveySettings, http: HttpSettings | None = None) -> PluginContext[Any]:
    """The context the core hands the source: its settings and the core's HTTP session."""
    http = http or HttpSettings(retries=0, timeout_s=5, deadline_s=10)

    def factory(**options: Any) -> Any:
        secrets = (settings.password.get_secret_value(), *options.pop("secrets", ()))
        return make_session("pulse", settings=http, secrets=secrets, **options)

    return PluginContext(
        name="pulse", settings=settings, http=factory, logger=logging.getLogger("test")
    )

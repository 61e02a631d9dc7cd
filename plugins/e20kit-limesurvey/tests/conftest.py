"""Shared fixtures: a LimeSurvey fake on 127.0.0.1 and the plugin's source aimed at it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from e20kit_limesurvey.fake import PASSWORD, USERNAME, LimeSurveyFake
from e20kit_limesurvey.settings import LimeSurveySettings
from e20kit_limesurvey.source import LimeSurveySource

from e20kit import PluginContext, make_session
from e20kit.http import HttpSettings
from e20kit.survey import SurveyWave

SourceFactory = Callable[..., LimeSurveySource]


@pytest.fixture
def fake() -> Iterator[LimeSurveyFake]:
    with LimeSurveyFake() as server:
        yield server


@pytest.fixture
def wave() -> SurveyWave:
    return SurveyWave(
        wave_id="2026-12",
        opened=dt.date(2026, 12, 1),
        closes=dt.date(2026, 12, 15),
        source="pulse",
    )


def context(settings: LimeSurveySettings, http: HttpSettings | None = None) -> PluginContext[Any]:
    http = http or HttpSettings(retries=0, timeout_s=5, deadline_s=10)

    def factory(**options: Any) -> Any:
        secrets = (settings.password.get_secret_value(), *options.pop("secrets", ()))
        return make_session("pulse", settings=http, secrets=secrets, **options)

    return PluginContext(
        name="pulse", settings=settings, http=factory, logger=logging.getLogger("test")
    )


@pytest.fixture
def make_source(fake: LimeSurveyFake) -> SourceFactory:
    """``make_source(**settings)`` -> the source aimed at the fake (its own user and password
    unless given)."""

    def build(*, http: HttpSettings | None = None, **values: Any) -> LimeSurveySource:
        fields = {"url": fake.url, "username": USERNAME, "password": PASSWORD, **values}
        return LimeSurveySource(context(LimeSurveySettings(**fields), http))

    return build

"""Shared fixtures: a LimeSurvey fake on 127.0.0.1 and the plugin's source aimed at it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from e20kit_limesurvey.fake import PASSWORD, USERNAME, LimeSurveyFake
from e20kit_limesurvey.settings import LimeSurveySettings
from e20kit_limesurvey.source import LimeSurveySource
from limesurvey_helpers import SourceFactory, context

from e20kit.http import HttpSettings
from e20kit.survey import SurveyWave


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


@pytest.fixture
def make_source(fake: LimeSurveyFake) -> SourceFactory:
    """``make_source(**settings)`` -> the source aimed at the fake (its own user and password
    unless given)."""

    def build(*, http: HttpSettings | None = None, **values: Any) -> LimeSurveySource:
        fields = {"url": fake.url, "username": USERNAME, "password": PASSWORD, **values}
        return LimeSurveySource(context(LimeSurveySettings(**fields), http))

    return build

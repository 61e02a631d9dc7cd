"""The plugin registers its source and sandbox, and the sandbox's organisation answers in line
with its preset (the demo's survey wave)."""

from __future__ import annotations

import contextlib
import datetime as dt
import statistics

from conftest import context
from e20kit_limesurvey.answers import planted_reason
from e20kit_limesurvey.settings import LimeSurveySettings
from e20kit_limesurvey.source import LimeSurveySource

from e20kit import Reason
from e20kit.plugins import Plugins
from e20kit.sandbox import build_org
from e20kit.survey import SurveyWave, default_questions

WAVE = SurveyWave(
    wave_id="w1", opened=dt.date(2026, 12, 1), closes=dt.date(2026, 12, 8), source="limesurvey"
)


def test_the_entry_point_registers_the_source_and_the_sandbox() -> None:
    plugins = Plugins()
    source = plugins.survey_source_types()["limesurvey"]
    assert source.settings is LimeSurveySettings
    assert source.data_sources and all(d.data_de for d in source.data_sources)
    assert "limesurvey" in plugins.sandboxes()


def test_the_organisation_answers_its_planted_reason() -> None:
    org = build_org(3, members=120, days=28, preset="no_time")
    assert planted_reason(org) == Reason.NO_TIME
    assert planted_reason(build_org(3, members=40, days=28)) is None
    sandbox = Plugins().sandboxes()["limesurvey"]
    with contextlib.ExitStack() as stack:
        run = sandbox.start(org, stack)
        assert run.connector is None and run.survey_source is not None
        table = {k: v for k, v in run.survey_source.items() if k not in ("type", "password_env")}
        settings = LimeSurveySettings(**table, password=run.env["E20KIT_DEMO_LIMESURVEY_PASSWORD"])
        source = LimeSurveySource(context(settings))
        handle = source.prepare(WAVE, default_questions(), [])
        answers = list(source.responses(WAVE, handle.survey_ref))
    staff = [a for a in answers if a.role == "staff"]
    assert 0.4 * len(org.people) < len(answers) < 0.8 * len(org.people)

    def mean(reason: Reason) -> float:
        return statistics.mean(a.answers[reason] or 0 for a in staff)

    assert mean(Reason.NO_TIME) > mean(Reason.TRAINING) + 1
    assert all(a.unit is None or a.unit in org.departments for a in answers)

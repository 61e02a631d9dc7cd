"""The plugin registers its source and sandbox, and the sandbox's organisation answers in line
with its preset (the demo's survey wave)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter

from e20kit_limesurvey.settings import LimeSurveySettings
from e20kit_limesurvey.source import LimeSurveySource
from limesurvey_helpers import context

from e20kit import Reason
from e20kit.sandbox import build_org, survey_answers
from e20kit.survey import SurveyResponse, SurveyWave, default_questions
from e20kit.testing import registrations

WAVE = SurveyWave(
    wave_id="w1", opened=dt.date(2026, 12, 1), closes=dt.date(2026, 12, 8), source="limesurvey"
)


def test_the_entry_point_registers_the_source_and_the_sandbox() -> None:
    plugins = registrations()
    source = plugins.survey_sources["limesurvey"]
    assert source.settings is LimeSurveySettings
    assert source.data_sources and all(d.data_de for d in source.data_sources)
    assert "limesurvey" in plugins.sandboxes


def test_the_organisation_answers_as_the_sandbox_generator_says() -> None:
    org = build_org(3, members=120, days=28, preset="unclear_benefit")
    sandbox = registrations().sandboxes["limesurvey"]
    with contextlib.ExitStack() as stack:
        run = sandbox.start(org, stack)
        assert run.connector is None and run.survey_source is not None
        table = {k: v for k, v in run.survey_source.items() if k not in ("type", "password_env")}
        settings = LimeSurveySettings(**table, password=run.env["E20KIT_DEMO_LIMESURVEY_PASSWORD"])
        source = LimeSurveySource(context(settings))
        handle = source.prepare(WAVE, default_questions(), [])
        answers = list(source.responses(WAVE, handle.survey_ref))
    expected = list(survey_answers(org, seed=int(handle.survey_ref)))
    # every generated response arrives, with its scores; the unit only where k share it
    assert sorted(_scores(a) for a in answers) == sorted(_scores(e) for e in expected)
    cells = Counter((m.department, "leader" if m.is_leader else "staff") for m in org.people)
    assert {a.unit for a in answers} - {None} <= {d for (d, _), n in cells.items() if n >= 5}
    assert any(a.unit is None for a in answers if a.role == "leader")

    def agree(reason: Reason) -> float:
        staff = [a.answers[reason] for a in answers if a.role == "staff"]
        return sum((s or 0) >= 4 for s in staff) / len(staff)

    assert agree(Reason.UNCLEAR_BENEFIT) > agree(Reason.COMPLICATED) + 0.2


def _scores(response: SurveyResponse) -> tuple[str, tuple[tuple[str, int], ...]]:
    """Role and scores (0: skipped), comparable across responses."""
    return response.role, tuple(sorted((str(r), s or 0) for r, s in response.answers.items()))

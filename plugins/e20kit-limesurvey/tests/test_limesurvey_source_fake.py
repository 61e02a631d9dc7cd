"""The LimeSurvey source against the loopback fake, over real HTTP: a wave end to end."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

import pytest
from e20kit_limesurvey.fake import _METHODS, PASSWORD, LimeSurveyFake, parse_lss
from e20kit_limesurvey.lss import PRIVACY_PROPERTIES, build_lss, expected_codes, question_code
from limesurvey_helpers import SourceFactory

from e20kit import Reason, SurveyError
from e20kit.sandbox import FaultPlan, Request, Response
from e20kit.survey import SurveyWave, default_questions

QUESTIONS = default_questions()


def test_prepare_creates_an_anonymised_active_survey_once(
    fake: LimeSurveyFake, make_source: SourceFactory, wave: SurveyWave
) -> None:
    source = make_source()
    handle = source.prepare(wave, QUESTIONS, ["Sales"])
    (survey,) = fake.surveys.values()
    assert handle.survey_ref == str(survey.sid)
    assert survey.title == "e20kit pulse 2026-12"
    assert survey.active
    assert {k: survey.properties[k] for k in PRIVACY_PROPERTIES} == dict(PRIVACY_PROPERTIES)
    assert set(survey.questions) == expected_codes(QUESTIONS)
    assert survey.questions[question_code("staff", Reason.NO_TIME)] == "5"  # 1-5 choice

    again = source.prepare(wave, QUESTIONS, ["Sales"])  # a rerun finds it, creates nothing
    assert again.survey_ref == handle.survey_ref
    assert fake.calls.count("import_survey") == 1
    assert fake.calls.count("activate_survey") == 1
    # every session is released, and the plugin calls nothing the fake does not serve
    assert fake.calls.count("get_session_key") == fake.calls.count("release_session_key") == 2
    assert set(fake.calls) <= set(_METHODS)


def test_links_carry_role_language_and_only_allowed_units(
    make_source: SourceFactory, wave: SurveyWave
) -> None:
    handle = make_source().prepare(wave, QUESTIONS, ["Sales"])
    sales = urlsplit(handle.link("Sales", "leader", "de"))
    assert sales.path.endswith(f"/index.php/{handle.survey_ref}")
    assert parse_qs(sales.query) == {"lang": ["de"], "role": ["leader"], "unit": ["Sales"]}
    small = parse_qs(urlsplit(handle.link("Legal", "staff", "en")).query)
    assert small == {"lang": ["en"], "role": ["staff"]}  # Legal has fewer than k: no unit


def test_a_survey_that_is_not_anonymised_is_refused(
    fake: LimeSurveyFake, make_source: SourceFactory, wave: SurveyWave
) -> None:
    sid = fake.add_survey("made by hand", expected_codes(QUESTIONS), anonymized="N")
    with pytest.raises(SurveyError, match="not anonymised") as info:
        make_source(survey_id=sid).prepare(wave, QUESTIONS, [])
    assert info.value.call == "get_survey_properties"
    assert "release_session_key" in fake.calls


def test_a_given_survey_without_the_question_codes_is_refused(
    fake: LimeSurveyFake, make_source: SourceFactory, wave: SurveyWave
) -> None:
    sid = fake.add_survey("made by hand", ["role", "unit", "stnotime"])
    with pytest.raises(SurveyError, match="lacks the question codes") as info:
        make_source(survey_id=sid).prepare(wave, QUESTIONS, [])
    assert "ldclosedculture" in str(info.value)


def test_responses_come_back_complete_and_typed(
    fake: LimeSurveyFake, make_source: SourceFactory, wave: SurveyWave
) -> None:
    source = make_source()
    handle = source.prepare(wave, QUESTIONS, ["Sales"])
    sid = int(handle.survey_ref)
    fake.add_responses(
        sid,
        [
            {"role": "staff", "unit": "Sales", "stnotime": 5, "stclosedculture": 2},
            {"role": "leader", "unit": "", "ldclosedculture": 1},
            {"role": "", "stnotime": 3},  # opened without a link: no role, left out
        ],
    )
    fake.add_responses(sid, [{"role": "staff", "stnotime": 1}], complete=False)
    staff, leader = source.responses(wave, handle.survey_ref)
    assert (staff.role, staff.unit) == ("staff", "Sales")
    assert staff.answers[Reason.NO_TIME] == 5
    assert staff.answers[Reason.CLOSED_CULTURE] == 2
    assert staff.answers[Reason.TRAINING] is None
    assert (leader.role, leader.unit) == ("leader", None)
    assert leader.answers[Reason.CLOSED_CULTURE] == 1
    assert "get_summary" in fake.calls


def test_no_responses_yet_is_an_empty_wave(make_source: SourceFactory, wave: SurveyWave) -> None:
    source = make_source()
    handle = source.prepare(wave, QUESTIONS, [])
    assert list(source.responses(wave, handle.survey_ref)) == []


def test_a_wave_never_prepared_reads_its_survey_by_title_or_nothing(
    fake: LimeSurveyFake, make_source: SourceFactory, wave: SurveyWave
) -> None:
    source = make_source()
    assert list(source.responses(wave, "")) == []  # no survey yet: nothing to read
    sid = fake.add_survey("e20kit pulse 2026-12", expected_codes(QUESTIONS))
    fake.add_responses(sid, [{"role": "leader", "ldnotime": 2}])
    (found,) = source.responses(wave, "")
    assert found.answers[Reason.NO_TIME] == 2


def test_a_score_outside_the_scale_is_one_error_naming_the_call(
    fake: LimeSurveyFake, make_source: SourceFactory, wave: SurveyWave
) -> None:
    source = make_source()
    handle = source.prepare(wave, QUESTIONS, [])
    fake.add_responses(int(handle.survey_ref), [{"role": "staff", "stnotime": 9}])
    with pytest.raises(SurveyError, match="stnotime") as info:
        source.responses(wave, handle.survey_ref)
    assert (info.value.call, info.value.source) == ("export_responses", "limesurvey:pulse")


def test_an_export_shorter_than_the_summary_reads_nothing(
    fake: LimeSurveyFake, make_source: SourceFactory, wave: SurveyWave
) -> None:
    source = make_source()
    handle = source.prepare(wave, QUESTIONS, [])
    fake.add_responses(int(handle.survey_ref), [{"role": "staff", "stnotime": 4}] * 3)

    def short(request: Request) -> Response:
        rid = request.json()["id"]
        return Response.json({"id": rid, "result": {"status": "No Response found."}, "error": None})

    fake.overrides["export_responses"] = short
    with pytest.raises(SurveyError, match="summary 3"):
        source.responses(wave, handle.survey_ref)


def test_a_wrong_password_never_shows_the_password(
    make_source: SourceFactory, wave: SurveyWave
) -> None:
    with pytest.raises(SurveyError, match="Invalid user name or password") as info:
        make_source(password="hunter2-wrong").prepare(wave, QUESTIONS, [])
    assert info.value.call == "get_session_key"
    assert "hunter2" not in str(info.value)


def test_no_secret_reaches_a_log_line(
    fake: LimeSurveyFake,
    make_source: SourceFactory,
    wave: SurveyWave,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG):
        source = make_source()
        handle = source.prepare(wave, QUESTIONS, [])
        fake.overrides["get_summary"] = lambda request: Response(500, b"oops")
        with pytest.raises(SurveyError, match="HTTP 500"):
            source.responses(wave, handle.survey_ref)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "export_responses" in logged or "get_summary" in logged or "list_surveys" in logged
    for secret in (PASSWORD, *fake.issued):
        assert secret not in logged


@pytest.mark.parametrize("kind", ["5xx", "429", "reset", "truncated"])
def test_server_faults_are_one_typed_error(
    fake: LimeSurveyFake, make_source: SourceFactory, wave: SurveyWave, kind: str
) -> None:
    fake.server.faults = FaultPlan(rate=1.0, kinds=(kind,), retry_after_s=0)
    with pytest.raises(SurveyError, match="get_session_key") as info:
        make_source().prepare(wave, QUESTIONS, [])
    assert PASSWORD not in str(info.value)


def test_the_survey_document_holds_the_questions_texts_and_privacy_settings() -> None:
    document = build_lss("pulse 1", QUESTIONS)
    title, codes, properties = parse_lss(document)
    assert title == "pulse 1"
    assert set(codes) == expected_codes(QUESTIONS)
    assert {codes["role"], codes["unit"]} == {"S"}
    assert {k: properties[k] for k in PRIVACY_PROPERTIES} == dict(PRIVACY_PROPERTIES)
    text = document.decode()
    for question in QUESTIONS:  # both languages, each statement shown to its audience only
        assert escape(question.text) in text and escape(question.text_de) in text
    assert text.count('role.NAOK == "leader"') == 5

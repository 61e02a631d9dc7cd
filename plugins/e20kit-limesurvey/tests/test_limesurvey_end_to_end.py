"""A wave end to end against the fake: ``survey send``, answers in LimeSurvey, ``survey import``.

People come from a csv export of a synthetic organisation, invitations go to the log notifier's
file, the survey lives in the LimeSurvey fake; the kit is the real one, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from e20kit_limesurvey.fake import PASSWORD, USERNAME, LimeSurveyFake
from e20kit_limesurvey.lss import PRIVACY_PROPERTIES

from e20kit import Kit
from e20kit.sandbox import Request, Response, build_org, write_csv_folder
from e20kit.testing import build_kit, run_cli, store_rows

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)  # a Monday, 10:00 in Berlin
PASSWORD_ENV = "LS_TEST_PASSWORD"


@pytest.fixture
def kit(tmp_path: Path, store_url: str, fake: LimeSurveyFake) -> Iterator[Kit]:
    org = build_org(6, members=40, departments=2, days=14, end=dt.date(2026, 12, 7))
    write_csv_folder(org, tmp_path / "hr")
    with build_kit(
        tmp_path,
        connectors={"hr": {"type": "csv", "path": str(tmp_path / "hr")}},
        notifiers={"log": {"type": "log", "path": str(tmp_path / "messages.jsonl")}},
        settings={
            "organisation": {"timezone": "Europe/Berlin"},
            "survey_sources": {
                "pulse": {
                    "type": "limesurvey",
                    "url": fake.url,
                    "username": USERNAME,
                    "password_env": PASSWORD_ENV,
                }
            },
            "survey": {"invitations": {"notifier": "log"}},
        },
        env={PASSWORD_ENV: PASSWORD},
        store_url=store_url,
    ) as opened:
        opened.collect(today=dt.date(2026, 12, 6))
        yield opened


def messages(kit: Kit) -> list[dict[str, Any]]:
    path = Path(str(kit.config.settings.notifiers["log"]["path"]))
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_a_wave_runs_end_to_end(kit: Kit, fake: LimeSurveyFake) -> None:
    sent = kit.survey.send("w1", now=NOW)
    (survey,) = fake.surveys.values()
    assert survey.active and survey.properties["anonymized"] == "Y"
    assert {k: survey.properties[k] for k in PRIVACY_PROPERTIES} == dict(PRIVACY_PROPERTIES)
    assert sent.survey_ref == str(survey.sid) and sent.count("sent") == len(messages(kit))
    links = {
        urlsplit(line)
        for m in messages(kit)
        for line in m["body"].splitlines()
        if line.startswith(fake.url)
    }
    assert {link.path for link in links} == {f"/index.php/{survey.sid}"}
    queries = [parse_qs(link.query) for link in links]
    assert all(set(q) <= {"lang", "role", "unit"} for q in queries)

    rows = [{"role": "staff", "unit": "", "stnotime": n % 5 + 1} for n in range(12)]
    fake.add_responses(survey.sid, rows)
    stored = kit.survey.collect("w1")
    assert (stored.added, stored.already) == (12, 0)
    assert kit.survey.collect("w1").already == 12  # reading again counts nothing twice
    answers = store_rows(kit.engine, "survey_responses")
    assert not {"member_key", "person_id"} & set(answers[0])
    invited = store_rows(kit.engine, "survey_invitations")
    assert not {"response_hash", "unit", "role"} & set(invited[0])


def test_a_survey_tool_answering_garbage_is_one_error_line(kit: Kit, fake: LimeSurveyFake) -> None:
    kit.survey.send("w1", now=NOW)

    def garbage(request: Request) -> Response:
        rid = request.json()["id"]
        return Response.json({"id": rid, "result": "%%%not-base64%%%", "error": None})

    fake.overrides["export_responses"] = garbage
    out = run_cli("survey", "import", "--source", "pulse", "--wave", "w1", kit=kit)
    assert out.exit_code == 9, out.output
    assert "[limesurvey:pulse export_responses]" in out.stderr
    assert "Traceback" not in out.output and PASSWORD not in out.output
    assert store_rows(kit.engine, "survey_responses") == []


def test_the_inventory_names_what_limesurvey_is_asked_for(kit: Kit) -> None:
    for lang, word in (("en", "anonymous answers"), ("de", "anonyme Antworten")):
        inventory = kit.privacy.inventory(lang=lang)
        (source,) = [s for s in inventory["survey_sources"] if s["name"] == "pulse"]
        text = json.dumps(source, ensure_ascii=False)
        assert "export_responses" in text and word in text
        assert PASSWORD not in json.dumps(inventory)

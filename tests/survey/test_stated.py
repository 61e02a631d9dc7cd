"""Stated beside observed through the kit: ``diagnose`` reads the latest wave beside the usage
findings, the report shows both per reason and per unit in every format, and figures under the
survey's minimum stay hidden (issue 23 item 5)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from e20kit import Kit, Reason
from e20kit.report import load_schema
from e20kit.sandbox import build_org, survey_answers
from e20kit.sandbox.suite import store_org

from .helpers import make_kit

ORG = build_org(7, preset="closed_culture")


def _kit(tmp_path: Path, store_url: str, extra: str = "") -> Kit:
    kit = make_kit(tmp_path, store_url, extra)
    store_org(kit.engine, ORG)
    return kit


def _diagnose(kit: Kit, lang: str = "en") -> list:
    return kit.diagnose(lang=lang, period="last-120d", today=ORG.end)


def _survey(kit: Kit) -> None:
    kit.survey.open_wave("w1", source="csv", opened=ORG.end - dt.timedelta(days=10))
    kit.survey.store("w1", survey_answers(ORG))


def test_without_a_wave_findings_rest_on_usage_and_the_report_has_no_section(
    tmp_path: Path, store_url: str
) -> None:
    kit = _kit(tmp_path, store_url)
    findings = _diagnose(kit)
    assert [(f.reason, f.rests_on) for f in findings] == [(Reason.CLOSED_CULTURE, ("usage",))]
    out = kit.report("json", tmp_path / "r.json", period="last-120d", today=ORG.end)
    doc = json.loads(Path(str(out)).read_text("utf-8"))
    assert all(s["id"] != "stated_observed" for s in doc["sections"])


def test_the_diagnosis_reads_the_wave_beside_the_usage(tmp_path: Path, store_url: str) -> None:
    kit = _kit(tmp_path, store_url)
    _survey(kit)
    # a wave opened after the period is not read for it, as the survey's own section skips it
    kit.survey.open_wave("later", source="csv", opened=ORG.end)
    kit.survey.store("later", survey_answers(ORG, "healthy"))
    (closed,) = [f for f in _diagnose(kit) if f.reason is Reason.CLOSED_CULTURE]
    assert closed.rests_on == ("usage", "survey")
    assert "The survey agrees:" in closed.detail
    assert "of staff agree that posting openly feels risky" in closed.detail
    published = kit.survey.results("w1").overall[("staff", Reason.CLOSED_CULTURE)]
    (said,) = [e for e in closed.evidence if e.metric == "survey.staff.closed_culture"]
    assert said.value == published.agree_share  # printed: the published figure
    (de,) = [f for f in _diagnose(kit, "de") if f.reason is Reason.CLOSED_CULTURE]
    assert "Die Befragung bestätigt das:" in de.detail


def test_the_report_shows_stated_beside_observed_in_every_format(
    tmp_path: Path, store_url: str
) -> None:
    kit = _kit(tmp_path, store_url)
    _survey(kit)
    common = {"period": "last-120d", "today": ORG.end}
    doc = json.loads(Path(str(kit.report("json", tmp_path / "r.json", **common))).read_text())
    jsonschema.Draft202012Validator(load_schema()).validate(doc)
    (section,) = [s for s in doc["sections"] if s["id"] == "stated_observed"]
    rows = {r["reason"]: r for r in section["tables"]["reasons"]}
    assert set(rows) == {
        r.value
        for r in (
            Reason.COMPLICATED,
            Reason.NO_TIME,
            Reason.TRAINING,
            Reason.UNCLEAR_BENEFIT,
            Reason.CLOSED_CULTURE,
        )
    }
    assert (rows["closed_culture"]["observed"], rows["closed_culture"]["reading"]) == (
        "named",
        "both",
    )
    assert rows["closed_culture"]["staff_agree"] > rows["complicated"]["staff_agree"]
    units = section["tables"]["units"]
    assert units and {u["unit"] for u in units} <= set(ORG.departments)
    assert [f["rests_on"] for f in doc["findings"] if f["reason"] == "closed_culture"] == [
        ["usage", "survey"]
    ]
    md = Path(str(kit.report("md", tmp_path / "r.md", lang="de", **common))).read_text()
    assert "Gesagt und beobachtet" in md and "gesagt und gesehen" in md
    assert "Beruht auf den Nutzungsdaten und der Befragung" in md
    html = Path(str(kit.report("html", tmp_path / "r.html", **common))).read_text()
    assert "Stated beside observed" in html and "said and seen" in html
    folder = kit.report("csv", tmp_path / "csv", **common)
    names = {p.name for p in folder} if isinstance(folder, list) else set()
    assert "section_stated_observed_reasons.csv" in names


def test_units_under_the_survey_minimum_are_not_shown(tmp_path: Path, store_url: str) -> None:
    kit = _kit(tmp_path, store_url, "[survey]\nmin_respondents = 40\n")
    _survey(kit)
    out = kit.report("json", tmp_path / "r.json", period="last-120d", today=ORG.end)
    doc = json.loads(Path(str(out)).read_text("utf-8"))
    (section,) = [s for s in doc["sections"] if s["id"] == "stated_observed"]
    assert "units" not in section["tables"]  # no department has 40 staff answering
    leaders = [r["leaders_agree"] for r in section["tables"]["reasons"]]
    assert leaders == [None] * 5  # fewer than 40 leaders answered: hidden, not quoted
    assert {r["staff_n"] is not None for r in section["tables"]["reasons"]} == {True}


@pytest.mark.parametrize("lang", ["en", "de"])
def test_disagreement_reaches_the_user(tmp_path: Path, store_url: str, lang: str) -> None:
    kit = make_kit(tmp_path, store_url)
    healthy = build_org(7)
    store_org(kit.engine, healthy)
    kit.survey.open_wave("w1", source="csv", opened=healthy.end - dt.timedelta(days=10))
    kit.survey.store("w1", survey_answers(healthy, "no_time"))  # they say so; usage disagrees
    findings = kit.diagnose(lang=lang, period="last-120d", today=healthy.end)
    (said,) = findings
    assert (said.rule, said.rests_on) == ("stated.contradicted.no_time", ("survey",))
    assert (
        said.title
        == {
            "en": "Staff say they have no time; their use shows time is not what is missing",
            "de": "Mitarbeitende sagen, dass ihnen die Zeit fehlt; ihre Nutzung zeigt, dass nicht "
            "die Zeit fehlt",
        }[lang]
    )


def test_e20kit_diagnose_says_what_each_finding_rests_on(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from e20kit.cli import main

    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    kit = _kit(tmp_path, db)
    _survey(kit)
    kit.close()
    args = ["--db", db, "diagnose", "--period", "last-120d", "--today", str(ORG.end)]
    result = CliRunner().invoke(main, [*args, "--lang", "de"])
    assert result.exit_code == 0, result.output
    assert "(Beruht auf den Nutzungsdaten und der Befragung)" in result.stdout
    result = CliRunner().invoke(main, ["--json", *args])
    assert {tuple(f["rests_on"]) for f in json.loads(result.stdout)} >= {("usage", "survey")}

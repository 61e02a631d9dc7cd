"""``e20kit survey import|results`` and the ``[survey]`` config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from e20kit import ConfigError, Reason
from e20kit.cli import main
from e20kit.config import load_config
from e20kit.survey import configured_questions, default_questions

HEADER = "ID,Role,Department,complicated,no_time,training,unclear_benefit,closed_culture"


def _cli(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", db, *args])
    return result.exit_code, result.stdout, result.stderr


def test_import_then_results_in_both_languages(tmp_path: Path) -> None:
    units = ["Sales"] * 10 + ["Ops"] * 6 + ["Legal"] * 3
    rows = [f"{i},staff,{unit},2,2,2,5,4" for i, unit in enumerate(units)]
    path = tmp_path / "export.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    code, out, _ = _cli(db, "survey", "import", str(path), "--wave", "2026-11")
    assert code == 0 and "19 responses imported, 0 imported before" in out
    code, out, _ = _cli(db, "survey", "import", str(path), "--wave", "2026-11")
    assert "0 responses imported, 19 imported before" in out
    code, out, _ = _cli(db, "survey", "results")
    assert code == 0 and "Survey wave 2026-11" in out and "Legal: n <5" in out
    assert "Ops: hidden (else a smaller unit could be computed)" in out
    code, out, _ = _cli(db, "survey", "results", "--lang", "de")
    assert "Geschlossene Kultur" in out and "stimmen zu" in out
    code, out, _ = _cli(db, "--json", "survey", "results", "--wave", "2026-11")
    doc = json.loads(out)
    legal = [r for r in doc["scores"] if r["unit"] == "Legal"]
    assert legal and all(r["suppressed"] and r["mean"] is None for r in legal)
    sales = [r for r in doc["scores"] if r["unit"] == "Sales" and r["reason"] == "closed_culture"]
    assert sales[0]["agree_share"] == 1.0 and sales[0]["mean"] == 4.0


def test_results_without_a_wave_is_one_error(tmp_path: Path) -> None:
    code, _, err = _cli(f"sqlite:///{tmp_path / 's.sqlite'}", "survey", "results")
    assert code == 9 and "no survey wave yet" in err and "Traceback" not in err


def test_questions_are_adjustable_per_language(tmp_path: Path) -> None:
    path = tmp_path / "e20kit.toml"
    path.write_text(
        '[survey.questions.staff.closed_culture]\ntext = "Sharing feels risky."\n', encoding="utf-8"
    )
    settings = load_config(path, env={}).settings
    questions = {(q.audience, q.reason): q for q in configured_questions(settings.survey.questions)}
    shipped = {(q.audience, q.reason): q for q in default_questions()}
    changed = questions[("staff", Reason.CLOSED_CULTURE)]
    assert changed.text == "Sharing feels risky."
    assert changed.text_de == shipped[("staff", Reason.CLOSED_CULTURE)].text_de
    assert (
        questions[("leader", Reason.CLOSED_CULTURE)] == shipped[("leader", Reason.CLOSED_CULTURE)]
    )
    assert len(questions) == 10 and {q.audience for q in questions.values()} == {"staff", "leader"}


def test_min_respondents_below_k_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "e20kit.toml"
    path.write_text("[survey]\nmin_respondents = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="min_respondents"):
        load_config(path, env={})


def test_unknown_reason_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "e20kit.toml"
    path.write_text('[survey.questions.staff.boredom]\ntext = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="boredom"):
        load_config(path, env={})

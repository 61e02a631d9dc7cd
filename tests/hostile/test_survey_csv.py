"""Hostile survey exports (issue 23): every bad CSV is one SurveyImportError naming the file, the
line and the column, exit 9 with one line on stderr and no traceback, and nothing of the file is
stored (not even the wave). Re-importing the same export counts nothing twice.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from e20kit import Kit, SurveyImportError
from e20kit.cli import main
from e20kit.store import schema

HEADER = (
    "ID,Start time,Email,Name,Role,Department,"
    "complicated,no_time,training,unclear_benefit,closed_culture,Comments"
)


def good(n: int, start: int = 1) -> list[str]:
    return [
        f"{i},2026-11-0{1 + i % 9} 09:{i % 60:02d},anna{i}@example.org,Anna {i},staff,Sales,"
        f"{1 + i % 5},{1 + (i + 1) % 5},3,,Agree,my boss is awful {i}"
        for i in range(start, start + n)
    ]


def write(
    tmp_path: Path, lines: list[str], *, encoding: str = "utf-8", name: str = "x.csv"
) -> Path:
    path = tmp_path / name
    path.write_bytes("\n".join(lines).encode(encoding) + b"\n")
    return path


CASES: dict[str, tuple[list[str], int | None, str | None, str]] = {
    "missing statement column": (
        [HEADER.replace(",training", ",trainign"), *good(3)],
        1,
        "training",
        "no column",
    ),
    "missing response id column": (
        [HEADER.replace("ID,", "Nr,", 1), *good(3)],
        1,
        "response_id",
        "no column",
    ),
    "score above the scale": (
        [HEADER, *good(3), "9,x,a,b,staff,Sales,1,2,6,3,4,"],
        5,
        "training",
        "scale 1-5",
    ),
    "score zero": ([HEADER, "1,x,a,b,staff,Sales,0,2,3,3,4,"], 2, "complicated", "scale 1-5"),
    "score as a fraction": (
        [HEADER, "1,x,a,b,staff,Sales,1,2.5,3,3,4,"],
        2,
        "no_time",
        "scale 1-5",
    ),
    "score as words": (
        [HEADER, "1,x,a,b,staff,Sales,1,2,3,3,very much,"],
        2,
        "closed_culture",
        "scale 1-5",
    ),
    "duplicate response id": ([HEADER, *good(4), *good(1, start=2)], 6, "ID", "first on line 3"),
    "empty response id": ([HEADER, ",x,a,b,staff,Sales,1,2,3,3,4,"], 2, "ID", "empty"),
    "unknown role": ([HEADER, "1,x,a,b,intern,Sales,1,2,3,3,4,"], 2, "Role", "neither staff"),
    "too many fields": ([HEADER, "1,x,a,b,staff,Sales,1,2,3,3,4,c,extra"], 2, "#13", "fields"),
    "empty file": ([""], 1, None, "empty"),
    "over-long unit": (
        [HEADER, f"1,x,a,b,staff,{'U' * 300},1,2,3,3,4,"],
        2,
        "Department",
        "over 200",
    ),
}


def _kit(tmp_path: Path) -> Kit:
    return Kit.from_config(None, store_url=f"sqlite:///{tmp_path / 's.sqlite'}", env={})


def _stored(kit: Kit) -> tuple[int, int]:
    with kit.engine.connect() as conn:
        waves = conn.execute(sa.select(sa.func.count()).select_from(schema.survey_waves))
        answers = conn.execute(sa.select(sa.func.count()).select_from(schema.survey_responses))
        return int(waves.scalar_one()), int(answers.scalar_one())


@pytest.mark.parametrize("case", sorted(CASES))
def test_one_error_naming_file_line_column_and_nothing_stored(tmp_path: Path, case: str) -> None:
    lines, line, column, words = CASES[case]
    path = write(tmp_path, lines)
    kit = _kit(tmp_path)
    with pytest.raises(SurveyImportError) as err:
        kit.survey.import_file(path, "w1")
    assert err.value.file == str(path) and err.value.line == line and err.value.column == column
    assert words in str(err.value) and str(path) in str(err.value)
    assert _stored(kit) == (0, 0)


def test_latin1_names_line_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path, [HEADER, *good(2), "7,x,a,Jürgen,staff,Sales,1,2,3,3,4,"], encoding="latin-1"
    )
    kit = _kit(tmp_path)
    with pytest.raises(SurveyImportError, match="not UTF-8") as err:
        kit.survey.import_file(path, "w1")
    assert (err.value.line, err.value.column) == (4, "Name")
    assert _stored(kit) == (0, 0)


def test_utf16_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, [HEADER, *good(2)], encoding="utf-16")
    with pytest.raises(SurveyImportError, match="UTF-16") as err:
        _kit(tmp_path).survey.import_file(path, "w1")
    assert err.value.line == 1


def test_nul_byte_and_huge_field(tmp_path: Path) -> None:
    nul = write(tmp_path, [HEADER, "1,x,a,b,staff,Sa\x00les,1,2,3,3,4,"], name="nul.csv")
    with pytest.raises(SurveyImportError, match="control character") as err:
        _kit(tmp_path).survey.import_file(nul, "w1")
    assert (err.value.line, err.value.column) == (2, "Department")
    huge = write(
        tmp_path,
        [HEADER, f'1,x,a,b,staff,Sales,1,2,3,3,4,"{"x" * (csv.field_size_limit() + 5)}"'],
        name="huge.csv",
    )
    with pytest.raises(SurveyImportError) as err:
        _kit(tmp_path).survey.import_file(huge, "w1")
    assert err.value.line == 2


def test_error_deep_in_the_file_stores_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, [HEADER, *good(500), "999,x,a,b,staff,Sales,1,2,3,3,7,"])
    kit = _kit(tmp_path)
    with pytest.raises(SurveyImportError) as err:
        kit.survey.import_file(path, "w1")
    assert (err.value.line, err.value.column) == (502, "closed_culture")
    assert _stored(kit) == (0, 0)


def test_reimport_counts_nothing_twice_and_only_reads_needed_columns(tmp_path: Path) -> None:
    kit = _kit(tmp_path)
    first = write(tmp_path, [HEADER, *good(20)], name="first.csv")
    assert kit.survey.import_file(first, "w1").added == 20
    again = kit.survey.import_file(first, "w1")
    assert (again.added, again.already) == (0, 20)
    later = write(tmp_path, [HEADER, *good(25)], name="later.csv")
    assert kit.survey.import_file(later, "w1").added == 5
    assert kit.survey.results_raw("w1").overall[("staff", "training")].respondents == 25  # type: ignore[index]
    with kit.engine.connect() as conn:
        dump = repr([conn.execute(sa.select(t)).all() for t in schema.metadata.sorted_tables])
    for secret in ("anna", "Anna", "example.org", "boss", "09:"):
        assert secret not in dump, secret


def test_semicolons_bom_german_labels_and_role_option(tmp_path: Path) -> None:
    lines = [
        "\ufeffAntwort-ID;Abteilung;Kompliziert?;Zeit;Schulung;Nutzen;Kultur",
        "a1;Vertrieb;Stimme zu;1;2;Stimme voll und ganz zu;",
        "a2;;stimme nicht zu;5;4;3;2",
    ]
    path = write(tmp_path, lines)
    (tmp_path / "e20kit.toml").write_text(
        '[survey.csv.columns]\ncomplicated = "Kompliziert?"\nno_time = "Zeit"\n'
        'training = "Schulung"\nunclear_benefit = "Nutzen"\nclosed_culture = "Kultur"\n',
        encoding="utf-8",
    )
    kit = Kit.from_config(
        tmp_path / "e20kit.toml", store_url=f"sqlite:///{tmp_path / 's.sqlite'}", env={}
    )
    with pytest.raises(SurveyImportError, match="--role"):
        kit.survey.import_file(path, "w1")
    assert kit.survey.import_file(path, "w1", role="leader").added == 2
    raw = kit.survey.results_raw("w1")
    assert raw.units[("Vertrieb", "leader", "complicated")].mean == 4  # type: ignore[index]
    assert raw.overall[("leader", "complicated")].mean == 3  # type: ignore[index]
    assert raw.overall[("leader", "closed_culture")].respondents == 1  # type: ignore[index]


def test_statement_text_as_header(tmp_path: Path) -> None:
    from e20kit.survey import default_questions

    staff = [q for q in default_questions() if q.audience == "staff"]
    header = "ID,Role," + ",".join(f'"{q.text_de}"' for q in staff)
    path = write(tmp_path, [header, "1,Mitarbeitende,1,2,3,4,5"])
    kit = _kit(tmp_path)
    assert kit.survey.import_file(path, "w1").added == 1
    raw = kit.survey.results_raw("w1")
    assert raw.overall[("staff", "closed_culture")].mean == 5  # type: ignore[index]


@pytest.mark.parametrize("case", ["score above the scale", "duplicate response id"])
def test_cli_one_line_exit_9_no_traceback(tmp_path: Path, case: str) -> None:
    lines, line, column, _ = CASES[case]
    path = write(tmp_path, lines)
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    result = CliRunner().invoke(main, ["--db", db, "survey", "import", str(path), "--wave", "w1"])
    assert result.exit_code == 9
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output + result.stderr
    assert f"line {line}, column {column!r}" in result.stderr

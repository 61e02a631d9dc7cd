"""The "Stated reasons" report section: in every format and both languages, hidden cells
hidden (a small unit and the unit hidden so that it cannot be computed)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from e20kit import Reason

from .helpers import responses, wave_kit

PERIOD = "2026-11-01..2026-11-30"


@pytest.fixture
def kit_with_wave(tmp_path: Path, store_url: str):  # type: ignore[no-untyped-def]
    kit = wave_kit(tmp_path, store_url)
    kit.survey.store(
        "w1",
        responses("Sales", 9, score=2)
        + responses("Ops", 6, score=4)
        + responses("Legal", 3, score=5)
        + responses("Sales", 6, role="leader", score=5),
    )
    yield kit
    kit.close()


def _survey(doc: dict) -> dict:  # type: ignore[type-arg]
    (section,) = [s for s in doc["sections"] if s["id"] == "survey"]
    return section


def test_json_keeps_ids_and_hides_small_units(kit_with_wave, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = kit_with_wave.report("json", tmp_path / "r.json", period=PERIOD)
    rows = _survey(json.loads(Path(out).read_text()))["tables"]["survey"]
    by = {(r["role"], r["unit"], r["reason"]): r for r in rows}
    legal = by[("staff", "Legal", Reason.CLOSED_CULTURE.value)]
    ops = by[("staff", "Ops", Reason.CLOSED_CULTURE.value)]
    sales = by[("staff", "Sales", Reason.CLOSED_CULTURE.value)]
    assert legal["suppressed"] and not legal["complementary"]
    assert ops["suppressed"] and ops["complementary"]
    for hidden in (legal, ops):
        assert all(hidden[c] is None for c in ("respondents", "agree_share", "mean", "agree_low"))
    assert sales["agree_share"] == 0.0 and sales["mean"] == 2.0
    assert by[("staff", "*", "closed_culture")]["respondents"] is not None
    assert by[("leader", "*", "closed_culture")]["agree_share"] == 1.0


@pytest.mark.parametrize("lang", ["en", "de"])
def test_markdown_and_html_show_k_and_hidden(kit_with_wave, tmp_path: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    md = Path(kit_with_wave.report("md", tmp_path / "r.md", period=PERIOD, lang=lang)).read_text()
    html = Path(kit_with_wave.report("html", tmp_path / "r.html", period=PERIOD, lang=lang))
    page = html.read_text()
    title = "Genannte Gründe" if lang == "de" else "Stated reasons"
    hidden = "verborgen" if lang == "de" else "hidden"
    assert title in md and title in page
    for line in (ln for ln in md.splitlines() if "| Legal |" in ln):
        assert "<5" in line and "%" not in line
    for line in (ln for ln in md.splitlines() if "| Ops |" in ln):
        assert hidden in line and "%" not in line
    legal_rows = re.findall(r"<tr><td>[^<]*</td><td>Legal</td>.*?</tr>", page)
    assert len(legal_rows) == 5
    assert all("&lt;5" in r and "%" not in r for r in legal_rows)
    ops_rows = re.findall(r"<tr><td>[^<]*</td><td>Ops</td>.*?</tr>", page)
    assert ops_rows and all(hidden in r and "%" not in r for r in ops_rows)


def test_csv_blanks_hidden_cells(kit_with_wave, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    kit_with_wave.report("csv", tmp_path / "csv", period=PERIOD)
    with (tmp_path / "csv" / "section_survey_survey.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["unit"] in ("Legal", "Ops"):
            assert row["agree_share"] == row["mean"] == row["agree_low"] == ""
            assert row["respondents"] in ("<5", "hidden")
    assert {r["unit"] for r in rows} == {"*", "Sales", "Ops", "Legal"}


def test_no_wave_no_section(tmp_path: Path, store_url: str) -> None:
    from .helpers import make_kit

    kit = make_kit(tmp_path, store_url)
    doc = json.loads(Path(kit.report("json", tmp_path / "r.json", period=PERIOD)).read_text())
    assert not [s for s in doc["sections"] if s["id"] == "survey"]


def test_response_rate_line_where_invitations_are_known(kit_with_wave, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    import sqlalchemy as sa

    from e20kit.store import schema

    now = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
    with kit_with_wave.engine.begin() as conn:
        for i in range(30):
            key = f"m{i}"
            conn.execute(
                schema.members.insert().values(member_key=key, department="Sales", updated_at=now)
            )
            conn.execute(
                schema.survey_invitations.insert().values(
                    wave_id="w1", member_key=key, invited_at=now, last_sent_at=now
                )
            )
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.members)).scalar() == 30
    md = Path(kit_with_wave.report("md", tmp_path / "r.md", period=PERIOD)).read_text()
    assert re.search(r"Response rate, Staff: \d+ %", md)
    assert "Response rate, Leaders" not in md  # no leader was invited

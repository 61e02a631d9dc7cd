"""The csv folder export round-trips through the csv module into the same records."""

from __future__ import annotations

import csv
from pathlib import Path

from e20kit.models import Activity, Person
from e20kit.sandbox import ACTIVITY_HEADER, PEOPLE_HEADER, build_org, write_csv_folder


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _blank_is_none(row: dict[str, str]) -> dict[str, str | None]:
    return {key: value or None for key, value in row.items()}


def test_people_and_activity_round_trip(tmp_path: Path) -> None:
    org = build_org(members=80, departments=3, days=30)
    write_csv_folder(org, tmp_path / "export")

    header, rows = _read(tmp_path / "export" / "people.csv")
    assert header == list(PEOPLE_HEADER)
    people = [Person.model_validate(_blank_is_none(row)) for row in rows]
    expected = [
        p.model_copy(update={"active": True, "attributes": {}}) for p in org.people_records()
    ]
    assert people == expected
    ceo = rows[0]
    assert ceo["manager_id"] == ""  # unknown values are empty cells

    header, rows = _read(tmp_path / "export" / "activity.csv")
    assert header == list(ACTIVITY_HEADER)
    facts = [Activity.model_validate(_blank_is_none(row)) for row in rows]
    assert facts == list(org.iter_activity())
    assert any(row["container"] == "" for row in rows)  # chat has no container
    assert all(row["platform"] == "csv" for row in rows)


def test_platform_label_can_be_chosen(tmp_path: Path) -> None:
    org = build_org(members=40, departments=2, days=14)
    write_csv_folder(org, tmp_path, platform="hr-export")
    _, people = _read(tmp_path / "people.csv")
    _, activity = _read(tmp_path / "activity.csv")
    assert {row["platform"] for row in people} == {"hr-export"}
    assert {row["platform"] for row in activity} == {"hr-export"}
    assert people[0]["joined_on"] == org.people[0].joined_on.isoformat()

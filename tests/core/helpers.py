"""Small builders shared by the core tests."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from e20kit.connectors.csv import ACTIVITY_COLUMNS, PEOPLE_COLUMNS

PEOPLE = [
    ("csv", "u1", "Ann.Boss@Example.org", "Ann", "Sales", "Head of Sales", "", "2024-01-10", "de"),
    ("csv", "u2", "bob@example.org", "Bob", "Sales", "Clerk", "u1", "2026-10-01", "en"),
    ("csv", "u3", "cy@example.org", "Cy", "IT", "Engineer", "u1", "2023-03-03", ""),
]
ACTIVITY = [
    ("2026-10-20", "csv", "u1", "post", "discussion", "c1", "3"),
    ("2026-10-20", "csv", "u2", "view", "wiki", "space-a", "7"),
    ("2026-10-21", "csv", "u2", "reply", "discussion", "c1", "1"),
    ("2026-10-21", "csv", "u3", "create", "wiki", "space-a", "2"),
    ("2026-10-22", "csv", "u3", "post", "chat", "", "4"),
]


def write_rows(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def write_exports(
    folder: Path,
    people: Iterable[Sequence[str]] = PEOPLE,
    activity: Iterable[Sequence[str]] = ACTIVITY,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_rows(folder / "people.csv", PEOPLE_COLUMNS, people)
    write_rows(folder / "activity.csv", ACTIVITY_COLUMNS, activity)
    return folder


def write_config(
    path: Path, *, exports: Path, store_url: str | None = None, extra: str = ""
) -> Path:
    store = f'[store]\nurl = "{store_url}"\n' if store_url else ""
    path.write_text(
        f"{store}[collect]\nlookback_days = 400\nbatch_size = 2\n"
        f'[connectors.exports]\ntype = "csv"\npath = "{exports}"\n{extra}',
        encoding="utf-8",
    )
    return path

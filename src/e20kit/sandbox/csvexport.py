"""Writes a synthetic organisation as the csv connector's folder (people.csv, activity.csv).

The demo imports the platforms that no fake serves through the built-in csv connector, and
the csv files are a handy fixture: this writes exactly the connector's columns,
streaming the activity so even a million facts never sit in memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from ..connectors.csv import ACTIVITY_COLUMNS, PEOPLE_COLUMNS
from ..vocab import Action
from .org import Org

__all__ = ["ACTIVITY_HEADER", "PEOPLE_HEADER", "write_csv_folder"]

PEOPLE_HEADER = PEOPLE_COLUMNS
ACTIVITY_HEADER = ACTIVITY_COLUMNS


def write_csv_folder(
    org: Org,
    folder: Path,
    *,
    platform: str = "csv",
    platforms: Iterable[str] | None = None,
    actions: Iterable[Action] | None = None,
) -> None:
    """Write ``people.csv`` and ``activity.csv`` into ``folder`` (created if missing).

    Unknown values are empty cells; dates are ISO; every fact is labelled ``platform``.
    ``platforms`` keeps only events of those platform hints (e.g. the ones no fake serves);
    ``actions`` only those actions (e.g. the page views a platform's API cannot attribute).
    """
    keep = frozenset(actions) if actions is not None else None
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "people.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(PEOPLE_HEADER)
        for p in org.people_records(platform):
            writer.writerow(
                (
                    p.platform,
                    p.person_id,
                    p.email or "",
                    p.display_name or "",
                    p.department or "",
                    p.title or "",
                    p.manager_id or "",
                    p.joined_on.isoformat() if p.joined_on else "",
                    p.locale or "",
                )
            )
    with (folder / "activity.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ACTIVITY_HEADER)
        writer.writerows(
            (
                e.day.isoformat(),
                platform,
                m.person_id,
                e.action.value,
                e.feature.value,
                e.container or "",
                e.count,
            )
            for m, e in org.iter_events(platforms)
            if keep is None or e.action in keep
        )

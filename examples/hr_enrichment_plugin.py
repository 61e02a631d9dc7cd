"""An HR enrichment plugin: departments and titles from the HR system's CSV export.

Platforms often know a person's e-mail but not their department. This plugin fills department
and title from ``hr.csv`` (columns ``email,department,title``) before people are stored. Register
it through an entry point in your own package::

    [project.entry-points.e20kit]
    hr = "my_company.hr_enrichment_plugin"

or pass the module to ``Kit.from_config(..., plugins=[module])`` in a script.
"""

from __future__ import annotations

import csv
import functools
import os
from collections.abc import Mapping
from pathlib import Path

from e20kit import Person, hookimpl

HR_FILE_ENV = "HR_EXPORT_CSV"


@functools.cache
def _directory(path: str) -> Mapping[str, Mapping[str, str]]:
    with Path(path).open(newline="", encoding="utf-8") as fh:
        return {
            row["email"].strip().lower(): {
                k: v for k, v in row.items() if k in ("department", "title") and v
            }
            for row in csv.DictReader(fh)
        }


@hookimpl
def e20kit_enrich_person(person: Person) -> Mapping[str, str] | None:
    path = os.environ.get(HR_FILE_ENV)
    if not path or not person.email:
        return None
    return _directory(path).get(person.email)

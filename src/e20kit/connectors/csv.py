"""The built-in ``csv`` connector: people and activity from a folder of CSV exports.

Useful on its own (exports from any tool) and the reference connector for plugin authors: it
uses nothing but the public API. A bad row names the file, the line and the column, and nothing
from that file is loaded.

``people.csv``:   platform,person_id,email,display_name,department,title,manager_id,joined_on,locale
``activity.csv``: day,platform,person_id,action,feature,container,count
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from e20kit import (
    Activity,
    ActivityItem,
    Capability,
    Checkpoint,
    ConnectorFatalError,
    ConnectorType,
    Person,
    PluginContext,
    Replace,
    Window,
)

PEOPLE_COLUMNS = (
    "platform",
    "person_id",
    "email",
    "display_name",
    "department",
    "title",
    "manager_id",
    "joined_on",
    "locale",
)
ACTIVITY_COLUMNS = ("day", "platform", "person_id", "action", "feature", "container", "count")
STREAM = "activity.csv"


class CsvSettings(BaseModel):
    """``[connectors.<name>]`` with ``type = "csv"``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Path
    """Folder holding ``people.csv`` and/or ``activity.csv``."""
    delimiter: str = ","
    encoding: str = "utf-8-sig"

    @field_validator("path")
    @classmethod
    def _existing_folder(cls, value: Path) -> Path:
        """A folder that is not there is a config error, not a silent run with no data."""
        folder = value.expanduser()
        if not folder.is_dir():
            what = "is not a folder" if folder.exists() else "does not exist"
            raise ValueError(f"folder {str(folder)!r} {what} (working directory {Path.cwd()})")
        return value


class CsvConnector:
    """Reads the two files; re-reads activity only when the file's content changed."""

    capabilities = frozenset({Capability.PEOPLE, Capability.ACTIVITY, Capability.INCREMENTAL})

    def __init__(self, context: PluginContext[CsvSettings]) -> None:
        self.name = context.name
        self.settings = context.settings
        self.folder = context.settings.path.expanduser()

    def _rows(
        self, filename: str, columns: tuple[str, ...]
    ) -> Iterator[tuple[int, dict[str, str]]]:
        path = self.folder / filename
        with path.open(newline="", encoding=self.settings.encoding) as fh:
            reader = csv.DictReader(fh, delimiter=self.settings.delimiter)
            header = tuple(reader.fieldnames or ())
            missing = [c for c in columns if c not in header]
            if missing:
                raise ConnectorFatalError(
                    f"{path}: header lacks column(s) {', '.join(missing)}; expected "
                    f"{','.join(columns)}",
                    connector=self.name,
                    endpoint=str(path),
                )
            for row in reader:
                yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}

    def _parse(self, filename: str, columns: tuple[str, ...], model: type[Any]) -> Iterator[Any]:
        for line, row in self._rows(filename, columns):
            data: dict[str, Any] = {c: (row.get(c) or None) for c in columns}
            if model is Activity:
                data["count"] = data["count"] if data["count"] is not None else 1
            try:
                yield model.model_validate(data)
            except ValidationError as err:
                first = err.errors()[0]
                column = str(first["loc"][0]) if first["loc"] else "?"
                raise ConnectorFatalError(
                    f"{self.folder / filename} line {line}, column {column!r} = "
                    f"{row.get(column, '')!r}: {first['msg']}",
                    connector=self.name,
                    endpoint=str(self.folder / filename),
                    line=line,
                    column=column,
                ) from err

    def _checked(self, filename: str, columns: tuple[str, ...], model: type[Any]) -> Iterator[Any]:
        """Validate the whole file before yielding, so a bad row loads nothing from it.

        Two passes instead of a list keep memory flat for exports of millions of rows.
        """
        for _ in self._parse(filename, columns, model):
            pass
        return self._parse(filename, columns, model)

    def people(self) -> Iterator[Person]:
        if not (self.folder / "people.csv").exists():
            return iter(())
        return self._checked("people.csv", PEOPLE_COLUMNS, Person)

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[ActivityItem]:
        path = self.folder / "activity.csv"
        if not path.exists():
            return
        digest = _digest(path)
        if bookmarks.get(STREAM) == digest:
            return
        first = last = None
        for fact in self._parse("activity.csv", ACTIVITY_COLUMNS, Activity):
            first = fact.day if first is None else min(first, fact.day)
            last = fact.day if last is None else max(last, fact.day)
        if first is not None and last is not None:
            # The file is the truth for the days it covers: replace them as a whole.
            yield Replace(window=Window(start=first, end=last + dt.timedelta(days=1)))
            yield from self._parse("activity.csv", ACTIVITY_COLUMNS, Activity)
        yield Checkpoint(stream=STREAM, value=digest)

    def close(self) -> None:
        return None


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


CSV_CONNECTOR = ConnectorType(
    name="csv",
    settings=CsvSettings,
    factory=CsvConnector,
    description="People and daily activity from a folder of CSV exports.",
    capabilities=CsvConnector.capabilities,
)

__all__ = ["CSV_CONNECTOR", "CsvConnector", "CsvSettings"]

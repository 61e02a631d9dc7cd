"""The built-in ``csv`` connector: people and activity from a folder of CSV exports.

Useful on its own (exports from any tool) and the reference connector for plugin authors: it
uses nothing but the public API. A bad row (or a repeated key, an undecodable byte, an over-long
field) names the file, the line and the column, and nothing from that file is loaded.

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

from pydantic import BaseModel, ConfigDict, ValidationError

from e20kit import (
    Activity,
    ActivityItem,
    Capability,
    Checkpoint,
    ConfigError,
    ConnectorFatalError,
    ConnectorType,
    DataSource,
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
PEOPLE_KEY = ("platform", "person_id")
ACTIVITY_KEY = ("day", "platform", "person_id", "action", "feature", "container")
STREAM = "activity.csv"


class CsvSettings(BaseModel):
    """``[connectors.<name>]`` with ``type = "csv"``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Path
    """Folder holding ``people.csv`` and/or ``activity.csv``."""
    delimiter: str = ","
    encoding: str = "utf-8-sig"


_SHOWN = 60
"""How much of a bad value an error message shows."""


class CsvConnector:
    """Reads the two files; re-reads activity only when the file's content changed."""

    capabilities = frozenset(
        {
            Capability.PEOPLE,
            Capability.ACTIVITY,
            Capability.INCREMENTAL,
            Capability.SELF_BACKFILL,  # the file is read whole, whatever the window
        }
    )

    def __init__(self, context: PluginContext[CsvSettings]) -> None:
        self.name = context.name
        self.settings = context.settings
        self.folder = context.settings.path.expanduser()
        if not self.folder.is_dir():  # a missing source is a config error, not "no data"
            what = "is not a folder" if self.folder.exists() else "does not exist"
            raise ConfigError(
                f"config error: connectors.{context.name}.path = {str(context.settings.path)!r}: "
                f"folder {str(self.folder)!r} {what} (working directory {Path.cwd()})",
                key=f"connectors.{context.name}.path",
            )

    def _error(self, path: Path, text: str, **where: Any) -> ConnectorFatalError:
        return ConnectorFatalError(text, connector=self.name, endpoint=str(path), **where)

    def _rows(
        self, filename: str, columns: tuple[str, ...]
    ) -> Iterator[tuple[int, dict[str, str]]]:
        path = self.folder / filename
        try:
            with path.open(newline="", encoding=self.settings.encoding) as fh:
                reader = csv.DictReader(fh, delimiter=self.settings.delimiter)
                try:
                    header = tuple(reader.fieldnames or ())
                    missing = [c for c in columns if c not in header]
                    if missing:
                        raise self._error(
                            path,
                            f"line 1: header lacks column(s) {', '.join(missing)}; expected "
                            f"{','.join(columns)}",
                            line=1,
                            column=missing[0],
                        )
                    for row in reader:
                        yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}
                except csv.Error as err:
                    line, column = _long_field(path, reader.line_num, header, self.settings)
                    raise self._error(
                        path,
                        f"line {line}, column {column!r}: not readable as CSV: {err}",
                        line=line,
                        column=column,
                    ) from None
        except UnicodeDecodeError as err:
            at_line, at_char = _undecodable(path, self.settings.encoding)
            hint = " (it looks like UTF-16)" if _utf16(path) else ""
            raise self._error(
                path,
                f"line {at_line}, character {at_char}: the file is not {self.settings.encoding} "
                f'text{hint}: {err.reason}; save it as UTF-8 or set encoding = "..." in '
                f"[connectors.{self.name}]",
                line=at_line,
                column=at_char,
            ) from None
        except OSError as err:
            raise self._error(path, f"cannot read the file: {err.strerror or err}") from None

    def _parse(
        self, filename: str, columns: tuple[str, ...], model: type[Any]
    ) -> Iterator[tuple[int, Any]]:
        path = self.folder / filename
        for line, row in self._rows(filename, columns):
            data: dict[str, Any] = {c: (row.get(c) or None) for c in columns}
            if model is Activity:
                data["count"] = data["count"] if data["count"] is not None else 1
            try:
                yield line, model.model_validate(data)
            except ValidationError as err:
                first = err.errors()[0]
                column = str(first["loc"][0]) if first["loc"] else "?"
                value = row.get(column, "")
                shown = repr(value[:_SHOWN]) + ("..." if len(value) > _SHOWN else "")
                raise self._error(
                    path,
                    f"line {line}, column {column!r} = {shown}: "
                    f"{first['msg'].removeprefix('Value error, ')}",
                    line=line,
                    column=column,
                ) from None

    def _validated(
        self, filename: str, columns: tuple[str, ...], model: type[Any], key: tuple[str, ...]
    ) -> set[dt.date]:
        """Validate the whole file and refuse repeated keys; returns the days of its rows.

        Repeated keys are found by 64-bit hashes (memory stays small for millions of rows); a
        hit is confirmed by finding the earlier line, so the error can name both lines.
        """
        seen: set[int] = set()
        days: set[dt.date] = set()
        for line, item in self._parse(filename, columns, model):
            values = tuple(str(getattr(item, k) or "") for k in key)
            digest = hash(values)  # per process; a hit is confirmed by the earlier line
            if digest in seen:
                earlier = self._line_of(filename, columns, model, key, values, before=line)
                if earlier is not None:
                    raise self._error(
                        self.folder / filename,
                        f"line {line} repeats the key ({', '.join(key)}) of line {earlier}: "
                        f"{', '.join(values)}; each key may appear once",
                        line=line,
                        column=key[-1],
                    )
            seen.add(digest)
            day = getattr(item, "day", None)
            if isinstance(day, dt.date):
                days.add(day)
        return days

    def _line_of(
        self,
        filename: str,
        columns: tuple[str, ...],
        model: type[Any],
        key: tuple[str, ...],
        values: tuple[str, ...],
        *,
        before: int,
    ) -> int | None:
        for line, item in self._parse(filename, columns, model):
            if line >= before:
                return None
            if tuple(str(getattr(item, k) or "") for k in key) == values:
                return line
        return None

    def people(self) -> Iterator[Person]:
        if not (self.folder / "people.csv").exists():
            return iter(())
        self._validated("people.csv", PEOPLE_COLUMNS, Person, PEOPLE_KEY)
        return (p for _, p in self._parse("people.csv", PEOPLE_COLUMNS, Person))

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[ActivityItem]:
        path = self.folder / "activity.csv"
        if not path.exists():
            return
        digest = _digest(path)
        if bookmarks.get(STREAM) == digest:
            return
        days = self._validated("activity.csv", ACTIVITY_COLUMNS, Activity, ACTIVITY_KEY)
        # The file is the truth for the days it has rows on: those days are replaced as a
        # whole; a day without rows keeps what was stored (docs/connectors/csv.md). The core
        # writes the deletions, the facts and the bookmark in one transaction.
        for start, end in _runs(days):
            yield Replace(window=Window(start=start, end=end))
        yield from (fact for _, fact in self._parse("activity.csv", ACTIVITY_COLUMNS, Activity))
        yield Checkpoint(stream=STREAM, value=digest)

    def close(self) -> None:
        return None


def _runs(days: set[dt.date]) -> Iterator[tuple[dt.date, dt.date]]:
    """Consecutive days as half-open ranges ``[start, end)``."""
    start = end = None
    for day in sorted(days):
        if end is not None and day == end:
            end = day + dt.timedelta(days=1)
            continue
        if start is not None and end is not None:
            yield start, end
        start, end = day, day + dt.timedelta(days=1)
    if start is not None and end is not None:
        yield start, end


def _undecodable(path: Path, encoding: str) -> tuple[int, int]:
    """Line and column (1-based) of the first character that does not decode."""
    decoder_name = encoding
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                raw.decode(decoder_name)
            except UnicodeDecodeError as err:
                return number, len(raw[: err.start].decode(decoder_name, "replace")) + 1
            decoder_name = "utf-8" if encoding == "utf-8-sig" else encoding
    return 1, 1


def _utf16(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(4)
    return head[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(head) == 4 and 0 in head[1::2])


def _long_field(
    path: Path, from_line: int, header: tuple[str, ...], settings: CsvSettings
) -> tuple[int, str]:
    """Line and column of the first field over the csv module's limit, from ``from_line`` on."""
    limit = csv.field_size_limit()
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if number < from_line:
                continue
            parts = raw.decode(settings.encoding, "replace").split(settings.delimiter)
            for i, part in enumerate(parts):
                if len(part) > limit:
                    return number, header[i] if i < len(header) else f"#{i + 1}"
    return from_line, "?"


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
    description_de="Personen und tägliche Aktivität aus einem Ordner mit CSV-Exporten.",
    capabilities=CsvConnector.capabilities,
    data_sources=(
        DataSource(
            "people.csv",
            "read access to the export folder",
            "accounts: platform, account id, e-mail, display name, department, title, manager, "
            "joining day, locale",
            "Lesezugriff auf den Export-Ordner",
            "Konten: Plattform, Konto-ID, E-Mail, Anzeigename, Abteilung, Stelle, "
            "Führungskraft, Eintrittstag, Sprache",
        ),
        DataSource(
            "activity.csv",
            "read access to the export folder",
            "daily counts per account, action, feature and space/channel/site (no content)",
            "Lesezugriff auf den Export-Ordner",
            "tägliche Zahlen je Konto, Aktion, Funktion und Bereich/Kanal/Website (keine Inhalte)",
        ),
    ),
)

__all__ = ["CSV_CONNECTOR", "CsvConnector", "CsvSettings"]

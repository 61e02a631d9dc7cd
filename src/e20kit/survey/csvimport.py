"""The built-in CSV import: anonymous responses from another tool's export (Microsoft Forms,
Formbricks, a spreadsheet).

Only the columns it needs are read: the response id, the role, the unit and one column per
statement; every other column (times, e-mail, names, comments) is never looked at. The whole
file is checked before anything is stored: the first problem (a missing column, a score outside
1-5, a repeated response id, bytes that are not UTF-8) is one :class:`SurveyImportError` naming
the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import SurveyImportError
from ..findings import Reason
from .model import UNIT_MAX, SurveyResponse
from .questions import AUDIENCES, REASONS, SCALE, SCALE_LABELS, Audience, SurveyQuestion
from .settings import CsvColumns

MAX_BYTES = 100 * 1024 * 1024
"""Largest export read (100 MB: far more than any organisation's pulse survey)."""
ROLE_WORDS: dict[str, Audience] = {
    "staff": "staff",
    "employee": "staff",
    "mitarbeitende": "staff",
    "mitarbeiter": "staff",
    "mitarbeiterin": "staff",
    "leader": "leader",
    "leaders": "leader",
    "manager": "leader",
    "führungskraft": "leader",
    "führungskräfte": "leader",
}
"""Role values understood (case-insensitive)."""
SCALE_WORDS: dict[str, int] = {
    label.casefold(): point
    for labels in SCALE_LABELS.values()
    for point, label in zip(SCALE, labels, strict=True)
}


def _norm(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").split()).casefold()


class _Header:
    """Where each needed column is in the header row."""

    def __init__(
        self,
        file: str,
        header: list[str],
        columns: CsvColumns,
        questions: Sequence[SurveyQuestion],
        role: Audience | None,
    ) -> None:
        self.file = file
        names = [_norm(h) for h in header]
        self.width = len(header)
        self.header = header
        self.response_id = self._find(names, columns.response_id, required=True)
        self.role = self._find(names, columns.role, required=role is None)
        self.unit = self._find(names, columns.unit, required=False)
        self.reasons: dict[Reason, int] = {}
        for reason in REASONS:
            wanted = (
                [columns.columns[reason.value]]
                if reason.value in columns.columns
                else [
                    reason.value,
                    *(q.text for q in questions if q.reason == reason),
                    *(q.text_de for q in questions if q.reason == reason),
                ]
            )
            found = self._find(names, wanted, required=True)
            assert found is not None
            if found in self.reasons.values():
                raise SurveyImportError(
                    f"column {header[found]!r} is named for two statements; set "
                    "[survey.csv.columns] for each reason",
                    file=file,
                    line=1,
                    column=header[found],
                )
            self.reasons[reason] = found

    def _find(self, names: list[str], wanted: Sequence[str], *, required: bool) -> int | None:
        for candidate in wanted:
            if _norm(candidate) in names:
                return names.index(_norm(candidate))
        if not required:
            return None
        hint = (
            "; say the role of the whole file with --role staff|leader"
            if wanted is not None and wanted and _norm(wanted[0]) == "role"
            else ""
        )
        raise SurveyImportError(
            f"the header has no column {wanted[0]!r}"
            + (f" (nor {', '.join(repr(w) for w in wanted[1:4])})" if len(wanted) > 1 else "")
            + hint
            + ' (docs/survey.md, "Importing a CSV export")',
            file=self.file,
            line=1,
            column=wanted[0],
        )


def _decode(path: Path) -> str:
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SurveyImportError(
                f"the file is {size} bytes; at most {MAX_BYTES} are read", file=file
            )
        data = path.read_bytes()
    except OSError as err:
        raise SurveyImportError(f"cannot read the file: {err.strerror or err}", file=file) from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise SurveyImportError(
            'the file is UTF-16 text, not UTF-8; save the export as "CSV UTF-8"',
            file=file,
            line=1,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        start = data.rfind(b"\n", 0, err.start) + 1
        before = data[start : err.start].decode("utf-8", "replace")
        head = data.split(b"\n", 1)[0].decode("utf-8-sig", "replace")
        delimiter = _delimiter(head)
        header = next(csv.reader([head], delimiter=delimiter), [])
        index = before.count(delimiter)
        column = header[index].strip() if index < len(header) else f"#{index + 1}"
        raise SurveyImportError(
            f"character {len(before) + 1} of the line is not UTF-8 text ({err.reason}); save "
            'the export as "CSV UTF-8"',
            file=file,
            line=line,
            column=column,
        ) from None


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_export(
    path: Path,
    *,
    columns: CsvColumns,
    questions: Sequence[SurveyQuestion],
    role: Audience | None = None,
) -> list[SurveyResponse]:
    """Every response of the export at ``path``, checked; raises on the first problem."""
    file = str(path)
    text = _decode(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]))
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise SurveyImportError("the file is empty (no header row)", file=file, line=1)
        where = _Header(file, header, columns, questions, role)
        return list(_responses(reader, where, role))
    except csv.Error as err:
        raise SurveyImportError(
            f"not readable as CSV: {err}", file=file, line=reader.line_num
        ) from None


def _responses(
    reader: Iterator[list[str]], where: _Header, role: Audience | None
) -> Iterator[SurveyResponse]:
    seen: dict[str, int] = {}
    file, header = where.file, where.header
    for row in reader:
        line = reader.line_num  # type: ignore[attr-defined]
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > where.width:
            raise SurveyImportError(
                f"the row has {len(row)} fields, the header {where.width}",
                file=file,
                line=line,
                column=f"#{where.width + 1}",
            )

        def cell(index: int | None, row: list[str] = row) -> str:
            return row[index].strip() if index is not None and index < len(row) else ""

        rid_column = header[where.response_id]  # type: ignore[index]
        rid = cell(where.response_id)
        problem = (
            "is empty"
            if not rid
            else "is over 200 characters"
            if len(rid) > 200
            else "holds a control character"
            if _controls(rid)
            else None
        )
        if problem:
            raise SurveyImportError(
                f"the response id {problem}",
                file=file,
                line=line,
                column=rid_column,
            )
        if rid in seen:
            raise SurveyImportError(
                f"response id {rid!r} occurs again (first on line {seen[rid]}); an export holds "
                "each response once",
                file=file,
                line=line,
                column=rid_column,
            )
        seen[rid] = line
        answers = {r: _score(cell(i), file, line, header[i]) for r, i in where.reasons.items()}
        if all(v is None for v in answers.values()):
            continue  # nothing answered: not a response
        yield SurveyResponse(
            response_id=rid,
            role=_role(cell(where.role), role, file, line, where),
            unit=_unit(cell(where.unit), file, line, where),
            answers=answers,
        )


def _score(value: str, file: str, line: int, column: str) -> int | None:
    if not value:
        return None
    word = SCALE_WORDS.get(_norm(value))
    if word is not None:
        return word
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        number = float("nan")
    if number.is_integer() and int(number) in SCALE:
        return int(number)
    raise SurveyImportError(
        f"{value[:40]!r} is not on the agreement scale 1-5 (a number or a label such as "
        "'Agree' / 'Stimme zu')",
        file=file,
        line=line,
        column=column,
    )


def _role(value: str, default: Audience | None, file: str, line: int, where: _Header) -> Audience:
    if not value and default is not None:
        return default
    found = ROLE_WORDS.get(_norm(value))
    if found is None:
        column = where.header[where.role] if where.role is not None else "role"
        raise SurveyImportError(
            f"role {value[:40]!r} is neither {' nor '.join(AUDIENCES)}",
            file=file,
            line=line,
            column=column,
        )
    return found


def _controls(value: str) -> bool:
    return any(ord(c) < 32 or ord(c) == 127 for c in value)


def _unit(value: str, file: str, line: int, where: _Header) -> str | None:
    if len(value) > UNIT_MAX or _controls(value):
        raise SurveyImportError(
            f"the unit label is over {UNIT_MAX} characters"
            if len(value) > UNIT_MAX
            else "the unit label holds a control character",
            file=file,
            line=line,
            column=where.header[where.unit] if where.unit is not None else "unit",
        )
    return value or None


__all__ = ["MAX_BYTES", "read_export"]

"""Text from platforms is data, never instructions: for terminals, documents and spreadsheets.

A department or display name is whatever a platform admin typed. Two helpers keep it inert
wherever e20kit shows it: :func:`clean_text` drops terminal escape sequences and control
characters (a name with ``ESC[2J`` must not clear the operator's screen, nor hide in a report),
and :class:`SafeDictWriter` writes CSV whose cells a spreadsheet never runs as a formula
(OWASP's CSV injection rule: a cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return gets a leading ``'``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from typing import IO, Any

_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, screen clears
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]?"  # any other escape
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 controls (but tab, newline and carriage return) and bidi overrides."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def clean_text(text: str) -> str:
    """``text`` without escape sequences and control characters (tab and newlines stay)."""
    if text.isprintable():
        return text
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def csv_cell(value: Any) -> Any:
    """One CSV cell that a spreadsheet shows as text: cleaned, and prefixed with ``'`` when it
    starts like a formula. Numbers stay numbers."""
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeDictWriter(csv.DictWriter):  # type: ignore[type-arg]
    """``csv.DictWriter`` whose header and cells pass through :func:`csv_cell`."""

    def __init__(self, f: IO[str], fieldnames: Iterable[str], **kwargs: Any) -> None:
        super().__init__(f, fieldnames=list(fieldnames), **kwargs)

    def writeheader(self) -> Any:
        return self.writer.writerow([csv_cell(name) for name in self.fieldnames])

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({key: csv_cell(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)


class TerminalSafeStream:
    """A text stream that writes :func:`clean_text` of everything: the CLI wraps stdout in one,
    so no command can print a platform's escape sequence, whatever it echoes."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(clean_text(text))
        return len(text)

    def isatty(self) -> bool:
        return False  # rich and click then add no escape sequences of their own either

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


__all__ = ["FORMULA_STARTS", "SafeDictWriter", "TerminalSafeStream", "clean_text", "csv_cell"]

"""Long lists cut into pieces, so that one SQL statement never carries more parameters than
the drivers allow (SQLite's limit is the lower one)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """``items`` in consecutive slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


__all__ = ["chunks"]

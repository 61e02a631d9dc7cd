"""Summary lines that read as sentences, shared by the CLI and the demo."""

from __future__ import annotations


def counted(n: int, noun: str) -> str:
    """``1 nudge``, ``3 nudges``: never ``1 nudges`` or ``nudge(s)``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


__all__ = ["counted"]

"""Finding a person's identifiers in free text (audit rows, files e20kit wrote)."""

from __future__ import annotations

import re
from collections.abc import Iterable


def identifier_pattern(needles: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive pattern matching any of ``needles`` as a whole token (account ``s3``
    is not part of ``s30``; ``s3@example.org`` inside ``dsar/s3@example.org.json`` is); None
    when there is nothing to find."""
    words = sorted({n for n in needles if n}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w.@~-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


__all__ = ["identifier_pattern"]

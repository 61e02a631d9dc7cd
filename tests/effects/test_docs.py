"""docs/effects.md's sample-size table is the one the code computes."""

from __future__ import annotations

import re
from pathlib import Path

from e20kit.effects.estimate import size_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "effects.md"


def test_size_table_matches_the_code() -> None:
    rows = re.findall(r"^\| (\d+) \| (\d+) \| (\d+) \|$", DOC.read_text(encoding="utf-8"), re.M)
    assert [(int(a), int(b), int(c)) for a, b, c in rows] == [
        (r["points"], r["per_arm"], r["total_with_holdout"]) for r in size_table(0.4, 0.2)
    ]

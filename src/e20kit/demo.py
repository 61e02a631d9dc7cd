"""``e20kit demo``: the whole cycle on a synthetic organisation (being written)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class DemoResult:
    out: Path
    lines: list[str] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        return self.lines

    def as_dict(self) -> dict[str, Any]:
        return {"out": str(self.out), "summary": self.lines}


def run_demo(out: Path, *, members: int = 300, interactive: bool = False) -> DemoResult:
    raise NotImplementedError

"""``survey``: importing a large CSV export and reading its results (issue 23).

10,000 responses (a tenth leaders) in six units, as a Microsoft Forms export would hold them:
the first import, the same file again (nothing new: counted once), a later export with 1,000
more (each import rewrites the wave's rows in hash order), and the published results.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path
from typing import Any

from e20kit import Kit

RESPONSES = 10_000
LATER = 1_000
UNITS = ("Sales", "Operations", "Legal", "HR", "IT", "Finance")
HEADER = (
    "ID,Start time,Email,Role,Department,complicated,no_time,training,unclear_benefit,"
    "closed_culture"
)


def _export(path: Path, n: int, rng: random.Random) -> None:
    lines = [HEADER]
    for i in range(n):
        scores = ",".join(str(rng.randint(1, 5)) for _ in range(5))
        role = "leader" if i % 10 == 0 else "staff"
        lines.append(f"{i},2026-11-02 09:00,anonymous,{role},{UNITS[i % len(UNITS)]},{scores}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run() -> dict[str, dict[str, Any]]:
    rng = random.Random(23)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        first, later = folder / "first.csv", folder / "later.csv"
        _export(first, RESPONSES, rng)
        _export(later, RESPONSES + LATER, random.Random(23))
        kit = Kit.from_config(None, store_url=f"sqlite:///{folder / 'store.sqlite'}", env={})
        timings: dict[str, float] = {}
        for name, path in (("import_s", first), ("reimport_s", first), ("later_s", later)):
            start = time.perf_counter()
            kit.survey.import_file(path, "bench")
            timings[name] = round(time.perf_counter() - start, 3)
        start = time.perf_counter()
        results = kit.survey.results("bench")
        timings["results_s"] = round(time.perf_counter() - start, 3)
        kit.close()
    return {
        "survey_import": {
            "responses": RESPONSES,
            "later_responses": LATER,
            "cells": len(results.units) + len(results.overall),
            **timings,
        }
    }

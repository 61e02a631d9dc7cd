"""``make bench``: run every ``benchmarks/bench_*.py`` and print one JSON object.

Each module exposes ``run() -> dict[str, dict]``; the keys are the benchmark names issues give.
The merged object is also written to ``.bench/results.json``. Pass module names to run a subset:
``python -m benchmarks ingest analytics``.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from pathlib import Path
from typing import Any

import benchmarks


def main(argv: list[str]) -> int:
    wanted = set(argv)
    results: dict[str, Any] = {}
    for module in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
        if not module.name.startswith("bench_"):
            continue
        short = module.name.removeprefix("bench_")
        if wanted and short not in wanted:
            continue
        print(f"running {module.name} ...", file=sys.stderr, flush=True)
        mod = importlib.import_module(f"benchmarks.{module.name}")
        results.update(mod.run())
    out = Path(".bench")
    out.mkdir(exist_ok=True)
    text = json.dumps(results, indent=2, sort_keys=True)
    (out / "results.json").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

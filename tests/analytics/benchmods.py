"""Benchmark modules for tests: ``benchmarks/`` is not an installed package, so its modules are
loaded by path (under names of their own, so they never shadow an installed ``benchmarks``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load(name: str) -> Any:
    """``benchmarks/<name>.py`` as a module (cached: loading twice gives the same module)."""
    key = f"e20kit_bench_{name}"
    if key in sys.modules:
        return sys.modules[key]
    spec = importlib.util.spec_from_file_location(key, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[key] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module

"""The JSON Schema of the JSON report, shipped in the package."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def load_schema(version: int = 1) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of report version ``version``."""
    text = resources.files(__package__).joinpath(f"report-v{version}.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


__all__ = ["load_schema"]

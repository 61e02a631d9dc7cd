"""The CSV report: one file per table, for spreadsheets and BI tools."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..safe_text import SafeDictWriter
from .labels import hidden_size


def _flatten(row: Mapping[str, Any], k: int, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        value = hidden_size(row, key, k, lang) or value
        if isinstance(value, list):
            if key == "retention":
                for item in value:
                    out[f"week_{item['week']}"] = item["share"]
            else:
                out[key] = "; ".join(str(v) for v in value)
        elif isinstance(value, dict):
            for sub, inner in value.items():
                out[f"{key}_{sub}"] = inner
        else:
            out[key] = value
    return out


def document_tables(doc: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Every table of the report by file stem."""
    period = {"period": doc["period"]["label"]}
    headline = [
        {
            **period,
            "figure": tr["figure"],
            "value": tr["current"],
            "previous": tr["previous"],
            "change": tr["change"],
            "change_pct": tr["change_pct"],
        }
        for tr in doc["trends"]
    ]
    tables: dict[str, list[dict[str, Any]]] = {
        "headline": headline,
        "platforms": list(doc["platforms"]),
        "daily": list(doc["activity"]["daily"]),
        "weekly": list(doc["activity"]["weekly"]),
        "monthly": list(doc["activity"]["monthly"]),
        "lorenz": list(doc["inequality"]["lorenz"]),
        "leaders": list(doc["leaders"]),
        "departments": list(doc["departments"]),
        "heatmap": list(doc["heatmap"]),
        "cohorts": list(doc["cohorts"]),
        "features": list(doc["features"]),
        "containers": list(doc["containers"]),
        "onboarding": list(doc["onboarding"]),
        "findings": [
            {
                "rule": f["rule"],
                "reason": f["reason"],
                "severity": f["severity"],
                "title": f["title"],
                "detail": f["detail"],
                "ruled_out": [r["text"] for r in f.get("ruled_out", ())],
                "rests_on": "+".join(f.get("rests_on", ())),
                "remedies": f["remedies"],
            }
            for f in doc["findings"]
        ],
    }
    for section in doc["sections"]:
        for name, rows in section["tables"].items():
            tables[f"section_{section['id']}_{name}"] = list(rows)
    k = int(doc["min_group_size"])
    lang = str(doc["lang"])
    return {name: [_flatten(r, k, lang) for r in rows] for name, rows in tables.items()}


def write_csv(doc: Mapping[str, Any], folder: Path) -> list[Path]:
    """Write ``<folder>/<table>.csv`` for every table; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, rows in document_tables(doc).items():
        path = folder / f"{_safe(name)}.csv"
        columns = _columns(rows)
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = SafeDictWriter(fh, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        paths.append(path)
    return paths


def _columns(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen) or ["empty"]


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)


__all__ = ["document_tables", "write_csv"]

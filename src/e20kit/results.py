"""What a collect run and a refresh return (a leaf: hooks and the CLI read it without collect)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ConnectorRun:
    """What one connector did in one collect run."""

    name: str
    people: int = 0
    facts_written: int = 0
    facts_deleted: int = 0
    batches: int = 0
    checkpoints: int = 0
    facts_skipped: int = 0
    """Facts of person ids the connector's directory did not list (never attributed)."""
    retries: int = 0
    """HTTP retries of the connector's sessions (logged one by one at DEBUG only)."""
    error: str | None = None
    error_type: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class CollectResult:
    """Outcome of :meth:`e20kit.Kit.collect`; one entry per connector."""

    runs: list[ConnectorRun] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.runs)

    @property
    def failed(self) -> list[ConnectorRun]:
        return [r for r in self.runs if not r.ok]

    @property
    def facts_written(self) -> int:
        return sum(r.facts_written for r in self.runs)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "facts_written": self.facts_written,
            "connectors": [vars(r) | {"ok": r.ok} for r in self.runs],
        }


@dataclass(frozen=True)
class RefreshResult:
    """What :meth:`e20kit.Kit.refresh` recomputed: the days whose facts had changed."""

    days: tuple[dt.date, ...] = ()

    @property
    def count(self) -> int:
        return len(self.days)

    def as_dict(self) -> dict[str, Any]:
        return {"days": [d.isoformat() for d in self.days]}


__all__ = ["CollectResult", "ConnectorRun", "RefreshResult"]

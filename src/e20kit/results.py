"""What a collect run and a refresh return (a leaf: hooks and the CLI read it without collect)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .exit_codes import EXIT_CONFIG, EXIT_CONNECTOR_FAILED, EXIT_OK, EXIT_PARTIAL

if TYPE_CHECKING:
    from .privacy.retention import PurgeResult


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
    pending: int = 0
    """Records the connector skipped for a reason that may pass: read again on the next run."""
    given_up: int = 0
    """Skipped records retried ``[collect] retry_skipped_runs`` times and given up."""
    facts_before_retention: int = 0
    """Facts dated before the retention window: not stored (the purge would delete them)."""
    backfilled_from: dt.date | None = None
    """The first day of a backfill this run made (the window reached before what was stored)."""
    erased_skipped: int = 0
    """Records (people and facts) of people erased on request: one of their identifiers has a
    tombstone (:mod:`e20kit.privacy.tombstones`), so nothing of them is stored again."""
    retries: int = 0
    """HTTP retries of the connector's sessions (logged one by one at DEBUG only)."""
    error: str | None = None
    error_type: str | None = None
    config_error: bool = False
    """Failed on its own configuration (a source that does not exist), not on the platform: a
    rerun cannot help until the config is fixed."""
    warnings: list[str] = field(default_factory=list)
    """Findings about the data, not failures: no people, no facts where some were expected, an
    optional stream the platform would not give (see :mod:`e20kit.streams`)."""
    failed_stream: str | None = None
    """The required stream whose failure ended the run, when the connector declared it."""

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def partial(self) -> bool:
        """Failed after storing something: the people and streams read before it are kept."""
        return not self.ok and (self.people > 0 or self.batches > 0)

    @property
    def status(self) -> str:
        """``ok``, ``partial`` (failed part-way, what was read is stored) or ``failed``."""
        return "ok" if self.ok else "partial" if self.partial else "failed"


@dataclass
class CollectResult:
    """Outcome of :meth:`e20kit.Kit.collect`; one entry per connector."""

    runs: list[ConnectorRun] = field(default_factory=list)
    purged: PurgeResult | None = None
    """What the retention rules removed after collecting (``None`` before the purge ran)."""
    purge_refused: str | None = None
    """Why the clock guard refused the retention purge (nothing was purged), if it did."""

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.runs)

    @property
    def failed(self) -> list[ConnectorRun]:
        return [r for r in self.runs if not r.ok]

    @property
    def facts_written(self) -> int:
        return sum(r.facts_written for r in self.runs)

    @property
    def warnings(self) -> list[str]:
        """Every connector's warnings, each prefixed with the connector's name."""
        return [f"{r.name}: {w}" for r in self.runs for w in r.warnings]

    @property
    def partial(self) -> bool:
        """Some connector failed, and every failed one had stored something first."""
        return not self.ok and all(r.partial for r in self.failed)

    @property
    def exit_code(self) -> int:
        """2 when a connector's configuration is wrong (it names the key), else 6 when some
        connector failed, 7 when every failed one stored something first, 0 when all worked.
        A config error wins: it is the one a rerun cannot cure."""
        if self.ok:
            return EXIT_OK
        if any(r.config_error for r in self.failed):
            return EXIT_CONFIG
        return EXIT_PARTIAL if self.partial else EXIT_CONNECTOR_FAILED

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "partial": self.partial,
            "exit_code": self.exit_code,
            "facts_written": self.facts_written,
            "warnings": self.warnings,
            "connectors": [
                vars(r)
                | {
                    "ok": r.ok,
                    "partial": r.partial,
                    "status": r.status,
                    "backfilled_from": r.backfilled_from and r.backfilled_from.isoformat(),
                }
                for r in self.runs
            ],
            "purged": None if self.purged is None else self.purged.as_dict(),
            "purge_refused": self.purge_refused,
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

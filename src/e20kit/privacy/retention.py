"""Retention, enforced: what is older than the configured rules leaves the store.

Runs after every collection (``kit.collect`` and so ``e20kit run``) in one transaction: facts
first, then the rollups follow in the same transaction (deleting facts notes their days through
the store's triggers, :mod:`e20kit.store.changes`, and :func:`e20kit.store.rollup.refresh`
recomputes them), then the other tables by their own rules. The audit trail has its own rule
(:mod:`.audit`) and is never purged here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..config import PrivacySettings
from ..store import rollup, schema


@dataclass(frozen=True)
class Rule:
    """Rows of ``table`` whose ``column`` is before the cutoff (and match ``only``) go."""

    table: sa.Table
    column: str
    setting: str
    """The ``[privacy]`` key giving the days (``None`` there: ``retention_days``)."""
    only: tuple[sa.ColumnElement[bool], ...] = ()
    description: tuple[str, str] | None = None
    """Which rows, (English, German), for the data inventory."""


def _departed(table: sa.Table) -> tuple[sa.ColumnElement[bool], ...]:
    return (table.c.active.is_(False),)


RULES: tuple[Rule, ...] = (
    Rule(schema.facts, "day", "retention_days"),
    Rule(schema.runs, "started_at", "retention_days"),
    Rule(
        schema.identities,
        "updated_at",
        "retention_days",
        _departed(schema.identities),
        ("accounts deactivated on their platform", "auf der Plattform deaktivierte Konten"),
    ),
    Rule(
        schema.members,
        "updated_at",
        "retention_days",
        (
            *_departed(schema.members),
            ~sa.exists().where(schema.facts.c.member_key == schema.members.c.member_key),
            ~sa.exists().where(schema.identities.c.member_key == schema.members.c.member_key),
        ),
        (
            "departed members without facts or accounts left",
            "ausgeschiedene Beschäftigte ohne verbliebene Fakten oder Konten",
        ),
    ),
    Rule(
        schema.ledger,
        "updated_at",
        "ledger_retention_days",
        (schema.ledger.c.state == "sent",),
        (
            "sent messages; pending, failed and unknown ones stay",
            "gesendete Nachrichten; ausstehende, fehlgeschlagene und unklare bleiben",
        ),
    ),
    Rule(schema.onboarding_progress, "updated_at", "onboarding_retention_days"),
    Rule(schema.onboarding_marks, "marked_at", "onboarding_retention_days"),
    Rule(schema.champion_history, "changed_at", "champion_history_retention_days"),
    Rule(
        schema.champion_buddies,
        "ended_at",
        "champion_history_retention_days",
        description=("ended buddy pairs", "beendete Buddy-Paare"),
    ),
)


def days_for(settings: PrivacySettings, setting: str) -> int:
    """The days a rule keeps (0: forever)."""
    value = getattr(settings, setting)
    return int(settings.retention_days if value is None else value)


@dataclass(frozen=True)
class PurgeResult:
    """What :func:`purge` removed, per table, and before which day."""

    purged: dict[str, int] = field(default_factory=dict)
    cutoffs: dict[str, dt.date | None] = field(default_factory=dict)
    """Per table: rows before this day went; ``None``: kept forever."""
    rollup_days: int = 0
    """Days the rollups recomputed after the facts' purge."""

    @property
    def total(self) -> int:
        return sum(self.purged.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "purged": dict(self.purged),
            "cutoffs": {t: None if d is None else d.isoformat() for t, d in self.cutoffs.items()},
            "rollup_days": self.rollup_days,
        }


def _cutoff_value(table: sa.Table, column: str, day: dt.date) -> dt.date | dt.datetime:
    if isinstance(table.c[column].type, sa.DateTime):
        return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    return day


def purge(engine: sa.Engine, settings: PrivacySettings, *, today: dt.date) -> PurgeResult:
    """Delete what the rules no longer keep, and bring the rollups along (one transaction)."""
    purged: dict[str, int] = {}
    cutoffs: dict[str, dt.date | None] = {}
    with engine.begin() as conn:
        for rule in RULES:
            days = days_for(settings, rule.setting)
            name = rule.table.name
            if not days:
                cutoffs.setdefault(name, None)
                continue
            cutoff = today - dt.timedelta(days=days)
            cutoffs[name] = cutoff
            column = rule.table.c[rule.column]
            stmt = rule.table.delete().where(
                column < _cutoff_value(rule.table, rule.column, cutoff), *rule.only
            )
            removed = conn.execute(stmt).rowcount or 0
            purged[name] = purged.get(name, 0) + removed
        recomputed = rollup.refresh(conn) if purged.get(schema.facts.name) else 0
    return PurgeResult(purged=purged, cutoffs=cutoffs, rollup_days=recomputed)


__all__ = ["RULES", "PurgeResult", "Rule", "days_for", "purge"]

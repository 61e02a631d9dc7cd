"""Manual marks: steps completed outside the platforms ("attended the intro session").

A mark completes the step at once for a member already enrolled in a checklist that has it
(firing ``e20kit_step_completed`` once); otherwise the next run picks it up. A CSV import has a
header with ``member`` (a member key or an e-mail address), ``step`` and optionally
``checklist`` and ``marked_at`` (ISO date or date-time); a bad row fails the whole import before
anything is written.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from ..clock import utc
from ..errors import ConfigError
from ..extensions import StepCompleted
from ..store import schema
from . import progress
from .settings import OnboardingSettings


@dataclass(frozen=True)
class MarkResult:
    """What :meth:`e20kit.Kit.mark_step` recorded."""

    member_key: str
    step: str
    checklists: tuple[str, ...]
    """Configured checklists the mark applies to."""
    known_member: bool
    """False when no member with this key is stored yet (the mark is kept for later)."""
    completed: tuple[StepCompleted, ...] = ()
    """Completions recorded now (members already enrolled)."""


@dataclass
class ImportResult:
    marks: list[MarkResult] = field(default_factory=list)

    @property
    def completed(self) -> int:
        return sum(len(m.completed) for m in self.marks)

    @property
    def unknown_members(self) -> int:
        return sum(1 for m in self.marks if not m.known_member)


def checklists_with(settings: OnboardingSettings, step: str, checklist: str | None) -> list[str]:
    """Configured checklists that have ``step`` (restricted to ``checklist``); else ConfigError."""
    found = [
        c.id
        for c in settings.checklists
        if (checklist is None or c.id == checklist) and any(s.id == step for s in c.steps)
    ]
    if not found:
        where = f"checklist {checklist!r}" if checklist else "any configured checklist"
        known = sorted(
            {f"{c.id}/{s.id}" for c in settings.checklists for s in c.steps}
            if checklist is None
            else {
                f"{c.id}/{s.id}" for c in settings.checklists if c.id == checklist for s in c.steps
            }
        )
        raise ConfigError(
            f"there is no step {step!r} in {where}; known steps: {', '.join(known) or 'none'}",
            key="onboarding.checklists",
            step=step,
        )
    return found


def mark(
    engine: sa.Engine,
    settings: OnboardingSettings,
    member: str,
    step: str,
    *,
    checklist: str | None = None,
    at: dt.datetime | None = None,
    source: str = "cli",
) -> MarkResult:
    """Record one mark and complete the step where the member is enrolled."""
    return mark_many(engine, settings, [(member, step, checklist, at)], source=source)[0]


def mark_many(
    engine: sa.Engine,
    settings: OnboardingSettings,
    rows: Sequence[tuple[str, str, str | None, dt.datetime | None]],
    *,
    source: str,
) -> list[MarkResult]:
    """Validate every row first, then record them all in one transaction."""
    plans = [(m, s, c, checklists_with(settings, s, c), at) for m, s, c, at in rows]
    out: list[MarkResult] = []
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as conn:
        for member, step, checklist, targets, at in plans:
            when = utc(at) or now
            progress.add_mark(conn, member, checklist or "", step, when, source)
            enrolled = set(progress.enrolled_in(conn, member, step))
            done = tuple(
                StepCompleted(member, c, step, when)
                for c in targets
                if c in enrolled and progress.complete(conn, member, c, step, when)
            )
            known = (
                conn.execute(
                    sa.select(schema.members.c.member_key).where(
                        schema.members.c.member_key == member
                    )
                ).first()
                is not None
            )
            out.append(MarkResult(member, step, tuple(targets), known, done))
    return out


def read_csv(
    path: Path, resolve: Callable[[str], str]
) -> list[tuple[str, str, str | None, dt.datetime | None]]:
    """Rows of a marks CSV (see the module docstring); ConfigError names the bad line."""
    rows: list[tuple[str, str, str | None, dt.datetime | None]] = []
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            missing = {"member", "step"} - set(reader.fieldnames or ())
            if missing:
                raise ConfigError(
                    f"{path}: missing column(s) {', '.join(sorted(missing))}; expected a header "
                    "with member, step and optionally checklist, marked_at",
                    file=str(path),
                )
            for line, record in enumerate(reader, start=2):
                member = (record.get("member") or "").strip()
                step = (record.get("step") or "").strip()
                if not member or not step:
                    raise ConfigError(
                        f"{path}:{line}: member and step are required", file=str(path)
                    )
                checklist = (record.get("checklist") or "").strip() or None
                raw = (record.get("marked_at") or "").strip()
                try:
                    at = dt.datetime.fromisoformat(raw) if raw else None
                except ValueError as err:
                    raise ConfigError(
                        f"{path}:{line}: marked_at = {raw!r} is not an ISO date or date-time",
                        file=str(path),
                    ) from err
                rows.append((resolve(member), step, checklist, at))
    except OSError as err:
        raise ConfigError(f"cannot read marks file {path}: {err}", file=str(path)) from err
    return rows


__all__ = ["ImportResult", "MarkResult", "checklists_with", "mark", "mark_many", "read_csv"]

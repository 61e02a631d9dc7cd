"""The onboarding calls behind :class:`e20kit.Kit` (which only delegates here).

``MEMBER`` arguments may be a member key or an e-mail address; an address is turned into the
member key with the configured pseudonymisation secret (exactly as collect does), so it works
even for people not collected yet (an opt-out then already applies when they appear).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import delivery
from ..notifier import Notifier
from .engine import OnboardingEngine, OnboardingResult
from .funnel import StepFunnel, funnel
from .marks import ImportResult, MarkResult, mark_many, read_csv

if TYPE_CHECKING:
    from ..kit import Kit


@dataclass(frozen=True)
class OnboardingStatus:
    """Each checklist's funnel; ``as_dict`` hides steps of checklists below the minimum group."""

    steps: list[StepFunnel]
    min_group_size: int

    def as_dict(self) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        for s in self.steps:
            small = s.eligible < self.min_group_size
            row: dict[str, object] = {
                "checklist": s.checklist,
                "step": s.step,
                "position": s.position,
                "eligible": None if small else s.eligible,
                "completed": None if small else s.completed,
                "stalled": None if small else s.stalled,
                "suppressed": small,
            }
            out.append(row)
        return out


def member_key(kit: Kit, member: str) -> str:
    """A member key from a key or an e-mail address."""
    text = member.strip()
    if "@" in text:
        return kit.pseudonymiser.member_key(email=text, platform="", person_id="")
    return text


def run(
    kit: Kit,
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    notifier: Notifier | None = None,
) -> OnboardingResult:
    engine = OnboardingEngine(kit.engine, kit.config, kit.plugins, notifier=notifier)
    return engine.run(dry_run=dry_run, now=now)


def status(kit: Kit) -> OnboardingStatus:
    return OnboardingStatus(funnel(kit.engine), kit.config.settings.privacy.min_group_size)


def mark_step(
    kit: Kit,
    member: str,
    step: str,
    *,
    checklist: str | None = None,
    at: dt.datetime | None = None,
    source: str = "api",
) -> MarkResult:
    settings = kit.config.settings.onboarding
    rows = [(member_key(kit, member), step, checklist, at)]
    (result,) = mark_many(kit.engine, settings, rows, source=source)
    for event in result.completed:
        kit.plugins.step_completed(event)
    return result


def import_marks(kit: Kit, path: str | Path) -> ImportResult:
    file = Path(path)
    rows = read_csv(file, lambda text: member_key(kit, text))
    settings = kit.config.settings.onboarding
    result = ImportResult(mark_many(kit.engine, settings, rows, source=f"csv:{file.name}"))
    for item in result.marks:
        for event in item.completed:
            kit.plugins.step_completed(event)
    return result


def opt_out(kit: Kit, member: str, scope: delivery.OptOutScope = "all") -> bool:
    return delivery.opt_out(kit.engine, member_key(kit, member), scope)


def opt_in(kit: Kit, member: str, scope: delivery.OptOutScope | None = None) -> int:
    return delivery.opt_in(kit.engine, member_key(kit, member), scope)


__all__ = [
    "OnboardingStatus",
    "import_marks",
    "mark_step",
    "member_key",
    "opt_in",
    "opt_out",
    "run",
    "status",
]

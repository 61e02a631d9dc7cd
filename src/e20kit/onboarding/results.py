"""What an onboarding run and the onboarding status return (a leaf: no other e20kit module)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from ..extensions import StepCompleted
from .funnel import StepFunnel


@dataclass(frozen=True)
class NudgeOutcome:
    """One nudge: to whom, through which channel, about what, and what happened."""

    member_key: str
    checklist: str
    step: str
    attempt: int
    channel: str
    """The notifier instance name (``[notifiers.<name>]``)."""
    subject: str
    locale: str
    key: str
    state: str
    """A :class:`~e20kit.delivery.DeliveryState` value."""
    error: str | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class OnboardingResult:
    """What ``kit.onboarding.run()`` did (or, dry, would do)."""

    now: dt.datetime
    dry_run: bool
    enrolled: dict[str, int] = field(default_factory=dict)
    """Checklist id -> members in its audience at this run."""
    completed: list[StepCompleted] = field(default_factory=list)
    """Steps completed in this run (dry: that would be recorded)."""
    nudges: list[NudgeOutcome] = field(default_factory=list)
    """Every nudge that was due and attempted (dry: would be attempted), with its outcome."""
    skipped: dict[str, int] = field(default_factory=dict)
    """Due nudges not attempted, by reason: ``opted_out``, ``weekly_cap``, ``quiet_hours``,
    ``weekend``, ``disabled``, ``hold_out`` (in an experiment's hold-out arm)."""
    experiments: dict[str, int] = field(default_factory=dict)
    """Experiment id -> members of its hold-out arm in the checklist's audience."""
    check_errors: list[str] = field(default_factory=list)
    """Checks that raised (the step counted as not done; the run went on)."""

    @property
    def sent(self) -> list[NudgeOutcome]:
        return [n for n in self.nudges if n.state == "sent"]

    @property
    def failed(self) -> list[NudgeOutcome]:
        return [n for n in self.nudges if n.state == "failed"]

    @property
    def unknown(self) -> list[NudgeOutcome]:
        return [n for n in self.nudges if n.state == "unknown"]

    @property
    def ok(self) -> bool:
        """False when a nudge failed (it stays retryable; the CLI exits with 5)."""
        return not self.failed

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "now": self.now.isoformat(),
            "dry_run": self.dry_run,
            "enrolled": dict(self.enrolled),
            "completed": [
                {"member": e.member_key, "checklist": e.checklist, "step": e.step}
                for e in self.completed
            ],
            "nudges": [n.as_dict() for n in self.nudges],
            "skipped": dict(self.skipped),
            "experiments": dict(self.experiments),
            "check_errors": list(self.check_errors),
        }


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


__all__ = ["NudgeOutcome", "OnboardingResult", "OnboardingStatus"]

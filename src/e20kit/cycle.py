"""What the whole cycle for cron did: collect, onboarding, champions, reports.

:meth:`e20kit.Kit.run_cycle` runs it, under the caller's lock.

Each step runs even when an earlier one partly failed (a platform down must not stop the nudges
for everyone else), and the exit code says what needs a look. Invitations to champions are not
part of the unattended cycle: nominating is automatic, asking people is a human decision
(``e20kit champions invite``), unless ``invite=True``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .exit_codes import EXIT_DELIVERY_FAILED
from .findings import Finding
from .results import CollectResult

if TYPE_CHECKING:
    from .champions.buddies import PairingResult
    from .champions.nominate import NominationResult
    from .champions.outreach import OutreachResult
    from .onboarding.results import OnboardingResult


@dataclass
class CycleResult:
    """What :meth:`e20kit.Kit.run_cycle` did, step by step."""

    collect: CollectResult
    onboarding: OnboardingResult | None = None
    nominations: NominationResult | None = None
    invitations: OutreachResult | None = None
    pairing: PairingResult | None = None
    digests: OutreachResult | None = None
    findings: list[Finding] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)

    @property
    def delivery_ok(self) -> bool:
        outreach = [r for r in (self.invitations, self.digests) if r is not None]
        onboarding_ok = self.onboarding is None or self.onboarding.ok
        return onboarding_ok and all(r.ok for r in outreach)

    @property
    def exit_code(self) -> int:
        if not self.collect.ok:
            return self.collect.exit_code
        if not self.delivery_ok:
            return EXIT_DELIVERY_FAILED
        return 0

    def as_dict(self) -> dict[str, Any]:
        def dump(part: Any) -> Any:
            return None if part is None else part.as_dict()

        return {
            "exit_code": self.exit_code,
            "collect": self.collect.as_dict(),
            "onboarding": dump(self.onboarding),
            "nominations": dump(self.nominations),
            "invitations": dump(self.invitations),
            "pairing": dump(self.pairing),
            "digests": dump(self.digests),
            "findings": [f.model_dump(mode="json") for f in self.findings],
            "reports": [str(p) for p in self.reports],
        }


__all__ = ["CycleResult"]

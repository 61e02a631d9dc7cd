"""The whole cycle for cron: collect, onboarding, champions, reports — one call, one lock.

Each step runs even when an earlier one partly failed (a platform down must not stop the nudges
for everyone else), and the exit code says what needs a look. Invitations to champions are not
part of the unattended cycle: nominating is automatic, asking people is a human decision
(``e20kit champions invite``), unless ``invite=True``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .collect import CollectResult, Progress
from .findings import Finding

if TYPE_CHECKING:
    from .champions.buddies import PairingResult
    from .champions.nominate import NominationResult
    from .champions.outreach import OutreachResult
    from .kit import Kit
    from .onboarding.engine import OnboardingResult

EXIT_DELIVERY_FAILED = 5
EXIT_CONNECTOR_FAILED = 6
EXIT_PARTIAL = 7


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
            return EXIT_PARTIAL if self.collect.partial else EXIT_CONNECTOR_FAILED
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


def run_cycle(
    kit: Kit,
    *,
    dry_run: bool = False,
    report_dir: Path | None = None,
    formats: tuple[str, ...] = ("html", "md", "json"),
    lang: str = "en",
    invite: bool = False,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> CycleResult:
    """Run every step in order under the caller's lock; see the module docstring."""
    now = now or dt.datetime.now(dt.UTC)
    today = now.date()
    result = CycleResult(collect=kit.collect(today=today, progress=progress))
    if kit.config.settings.onboarding.checklists:
        result.onboarding = kit.onboarding_run(dry_run=dry_run, now=now)
    result.nominations = kit.nominate_champions(dry_run=dry_run, now=now)
    if invite:
        result.invitations = kit.champions_invite(dry_run=dry_run, now=now)
    result.pairing = kit.pair_buddies(dry_run=dry_run, now=now)
    result.digests = kit.send_digests(dry_run=dry_run, now=now)
    metrics = kit.metrics(today=today)
    result.findings = kit.diagnose(lang=lang, metrics=metrics)
    if report_dir is not None:
        report_dir.mkdir(parents=True, exist_ok=True)
        for fmt in formats:
            target = report_dir / ("report" if fmt == "csv" else f"report.{fmt}")
            written = kit.report(fmt, target, lang=lang, metrics=metrics, findings=result.findings)
            result.reports.extend(written if isinstance(written, list) else [written])
    return result


__all__ = ["CycleResult", "run_cycle"]

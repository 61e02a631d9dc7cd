"""The onboarding service that :class:`e20kit.Kit` exposes as ``kit.onboarding``.

``member`` arguments may be a member key or an e-mail address; an address is turned into the
member key with the configured pseudonymisation secret (exactly as collect does), so it works
even for people not collected yet (an opt-out then already applies when they appear).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from .. import delivery
from ..clock import OrgClock
from ..config import Config
from ..errors import ConfigError
from ..notifier import Notifier
from ..plugins import Plugins
from ..privacy import Pseudonymiser
from .engine import OnboardingEngine
from .funnel import funnel
from .marks import ImportResult, MarkResult, mark_many, read_csv
from .results import OnboardingResult, OnboardingStatus


def opt_out_scope(scope: str) -> delivery.OptOutScope:
    """``scope`` checked against :data:`e20kit.delivery.SCOPES`."""
    for known in delivery.SCOPES:
        if scope == known:
            return known
    raise ConfigError(
        f"unknown opt-out scope {scope!r}; expected one of {', '.join(delivery.SCOPES)}"
    )


class OnboardingService:
    """Checklists, marks and opt-outs over one store; built by the kit, usable on its own."""

    def __init__(
        self,
        engine: sa.Engine,
        config: Config,
        plugins: Plugins,
        pseudonymiser: Callable[[], Pseudonymiser],
        clock: OrgClock,
    ) -> None:
        self.engine = engine
        self.config = config
        self.plugins = plugins
        self._pseudonymiser = pseudonymiser
        """Called only when a member is named (by e-mail): nothing else needs the secret."""
        self.clock = clock

    def member_key(self, member: str) -> str:
        """A member key from a key or an e-mail address."""
        text = member.strip()
        if "@" in text:
            return self._pseudonymiser().member_key(email=text, platform="", person_id="")
        return text

    def run(
        self,
        *,
        dry_run: bool = False,
        now: dt.datetime | None = None,
        notifier: Notifier | None = None,
    ) -> OnboardingResult:
        """Evaluate checklists, store progress and nudge stuck members (at most once each)."""
        engine = OnboardingEngine(
            self.engine, self.config, self.plugins, notifier=notifier, clock=self.clock
        )
        return engine.run(dry_run=dry_run, now=now)

    def status(self) -> OnboardingStatus:
        """Each checklist's funnel (eligible, completed, stalled per step) as of the last run."""
        return OnboardingStatus(funnel(self.engine), self.config.settings.privacy.min_group_size)

    def mark_step(
        self,
        member: str,
        step: str,
        *,
        checklist: str | None = None,
        at: dt.datetime | None = None,
        source: str = "api",
    ) -> MarkResult:
        """Mark a step done for a member (key or e-mail), e.g. "attended the intro session"."""
        rows = [(self.member_key(member), step, checklist, at)]
        (result,) = mark_many(self.engine, self.config.settings.onboarding, rows, source=source)
        for event in result.completed:
            self.plugins.step_completed(event)
        return result

    def import_marks(self, path: str | Path) -> ImportResult:
        """Mark steps from a CSV with columns member, step[, checklist, marked_at]."""
        file = Path(path)
        rows = read_csv(file, self.member_key)
        settings = self.config.settings.onboarding
        result = ImportResult(mark_many(self.engine, settings, rows, source=f"csv:{file.name}"))
        for item in result.marks:
            for event in item.completed:
                self.plugins.step_completed(event)
        return result

    def opt_out(self, member: str, scope: str = "all") -> bool:
        """Never message this member (key or e-mail) in ``scope``; True when newly recorded."""
        return delivery.opt_out(self.engine, self.member_key(member), opt_out_scope(scope))

    def opt_in(self, member: str, scope: str | None = None) -> int:
        """Undo opt-outs of ``scope`` (every scope when None); returns how many were removed."""
        resolved = None if scope is None else opt_out_scope(scope)
        return delivery.opt_in(self.engine, self.member_key(member), resolved)


__all__ = ["OnboardingService", "opt_out_scope"]

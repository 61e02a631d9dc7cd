"""One onboarding run: evaluate checklists, store progress, then nudge stuck members.

Everything that can be wrong in the config (unknown checks, bad params, a broken template, an
unknown notifier) fails when the engine is built, before anything is read, written or sent. A
dry run evaluates the same way but writes nothing, fires no events and sends nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping

import sqlalchemy as sa

from ..clock import OrgClock
from ..config import Config
from ..delivery import stopped_members
from ..effects import registry
from ..effects.settings import HOLD_OUT, Experiment
from ..extensions import StepCompleted
from ..notifier import Notifier
from ..plugins import Plugins
from . import messages, progress
from .checks import BoundCheck, bind_checks
from .context import StoreCheckContext
from .nudges import NudgePlanner, Stuck
from .results import OnboardingResult
from .settings import Checklist

log = logging.getLogger(__name__)


class OnboardingEngine:
    """Validates the ``[onboarding]`` config once; :meth:`run` may be called repeatedly."""

    def __init__(
        self,
        engine: sa.Engine,
        config: Config,
        plugins: Plugins,
        *,
        notifier: Notifier | None = None,
        clock: OrgClock | None = None,
    ) -> None:
        self.engine = engine
        self.config = config
        self.plugins = plugins
        self.settings = config.settings.onboarding
        self.clock = clock or OrgClock(config.settings.organisation.timezone)
        self.bound: Mapping[tuple[str, str], BoundCheck] = bind_checks(
            self.settings, plugins.checks(), where=config.where
        )
        env = messages.environment(self.settings.templates.directory)
        messages.validate(env)
        self.planner = NudgePlanner(
            engine, config, env, notifier=self._notifier(notifier), clock=self.clock
        )

    def _notifier(self, given: Notifier | None) -> Notifier | None:
        """The given notifier, else the configured one (None when nothing will be sent)."""
        if given is not None:
            return given
        if not (self.settings.checklists and self.settings.nudges.enabled):
            return None
        from ..instances import make_notifier

        return make_notifier(
            self.config,
            self.plugins,
            self.settings.nudges.notifier,
            key="onboarding.nudges.notifier",
            clock=self.clock,
        )

    def experiments(self, checklist: str) -> list[Experiment]:
        """The nudge experiments drawing this checklist's newcomers."""
        return [
            e
            for e in self.config.settings.experiments
            if e.programme == "nudges" and e.checklist == checklist
        ]

    def _register(self, now: dt.datetime, dry_run: bool) -> dict[str, dt.datetime]:
        """Each nudge experiment's start (registered now, audited, unless dry or known)."""
        starts: dict[str, dt.datetime] = {}
        with self.engine.connect() as conn:
            for checklist in self.settings.checklists:
                for experiment in self.experiments(checklist.id):
                    if dry_run:
                        starts[experiment.id] = registry.started_at(conn, experiment) or now
                    else:
                        starts[experiment.id] = registry.register(conn, experiment, now)
            if not dry_run:
                conn.commit()
        return starts

    def run(self, *, dry_run: bool = False, now: dt.datetime | None = None) -> OnboardingResult:
        now = self.clock.now(now)
        result = OnboardingResult(now=now, dry_run=dry_run)
        stuck: list[Stuck] = []
        starts = self._register(now, dry_run)
        with self.engine.connect() as conn:
            done_marks = progress.marks(conn)
        stopped = (  # read once for every checklist
            stopped_members(self.engine)
            if self.config.settings.privacy.opt_out_stops_processing
            else set()
        )
        for checklist in self.settings.checklists:
            stuck += self._checklist(checklist, done_marks, stopped, result, now, dry_run, starts)
        if not dry_run:
            for event in result.completed:
                try:
                    self.plugins.step_completed(event)
                except Exception as err:  # a congratulating plugin must not stop the run
                    log.warning("e20kit_step_completed failed for %s: %s", event.step, err)
        self.planner.nudge(stuck, result, now, dry_run=dry_run)
        return result

    def _checklist(
        self,
        checklist: Checklist,
        done_marks: set[tuple[str, str, str]],
        stopped: set[str],
        result: OnboardingResult,
        now: dt.datetime,
        dry_run: bool,
        starts: Mapping[str, dt.datetime],
    ) -> list[Stuck]:
        today = self.clock.today(now)
        enrolled: dict[str, dt.datetime] = {}
        stuck_after = dt.timedelta(days=self.settings.nudges.stuck_days)
        found: list[Stuck] = []
        newly: list[tuple[str, str]] = []
        stalled: list[tuple[str, str]] = []
        moving: list[str] = []
        with self.engine.connect() as conn:
            members = {  # opted out of "all": not enrolled, not evaluated
                k: v
                for k, v in progress.audience(conn, checklist, today).items()
                if k not in stopped
            }
            stored = progress.load(conn, checklist.id)
            for member, joined_on in members.items():
                rows = stored.get(member, {})
                enrolled_at = min((r.enrolled_at for r in rows.values()), default=now)
                enrolled[member] = enrolled_at
                done = {s: r.completed_at for s, r in rows.items() if r.completed_at is not None}
                ctx = StoreCheckContext(conn, member, joined_on)
                for step in checklist.steps:
                    if step.id in done:
                        continue
                    if self._is_done(ctx, checklist.id, step.id, done_marks, result):
                        done[step.id] = now
                        newly.append((member, step.id))
                joined_at = self.clock.start_of(joined_on) if joined_on else enrolled_at
                state = _current(checklist, member, joined_at, enrolled_at, done)
                if state is None:
                    moving.append(member)
                    continue
                if now >= state.since + stuck_after:
                    stalled.append((member, state.step.id))
                    found.append(state)
                else:
                    moving.append(member)
        result.enrolled[checklist.id] = len(members)
        held: set[str] = set()
        with self.engine.connect() as conn:  # one transaction: enrolled and drawn together
            if not dry_run:
                progress.enrol(conn, checklist, members, now)
            for experiment in self.experiments(checklist.id):
                holdouts = self._assign(conn, experiment, enrolled, starts[experiment.id], now)
                result.experiments[experiment.id] = len(holdouts)
                held |= holdouts
            if dry_run:
                recorded = newly
            else:
                recorded = [
                    (m, s) for m, s in newly if progress.complete(conn, m, checklist.id, s, now)
                ]
                progress.set_stalled(conn, checklist.id, stalled, moving, now)
                conn.commit()
        result.completed += [StepCompleted(m, checklist.id, s, now) for m, s in recorded]
        kept = [s for s in found if s.member_key not in held]
        if len(kept) < len(found):
            result.skipped["hold_out"] = result.skipped.get("hold_out", 0) + len(found) - len(kept)
        return kept

    def _assign(
        self,
        conn: sa.Connection,
        experiment: Experiment,
        enrolled: Mapping[str, dt.datetime],
        start: dt.datetime,
        now: dt.datetime,
    ) -> set[str]:
        """Draw members enrolled since the experiment started (once, in this transaction);
        returns every hold-out of the experiment in this audience."""
        fresh = [m for m, at in enrolled.items() if at >= start]
        drawn = registry.draw(
            conn,
            experiment,
            registry.departments(conn, fresh),
            now=now,
            today=self.clock.today(now),
        )
        registry.store(conn, experiment, drawn)
        arms = {a.member_key: a.arm for a in registry.load(conn, experiment.id).values()}
        arms.update({a.member_key: a.arm for a in drawn})
        return {m for m in enrolled if arms.get(m) == HOLD_OUT}

    def _is_done(
        self,
        ctx: StoreCheckContext,
        checklist: str,
        step: str,
        done_marks: set[tuple[str, str, str]],
        result: OnboardingResult,
    ) -> bool:
        member = ctx.member_key
        if (member, checklist, step) in done_marks or (member, "", step) in done_marks:
            return True
        try:
            return self.bound[(checklist, step)](ctx)
        except Exception as err:  # one broken check must not stop the run
            text = f"check for {checklist}/{step} failed: {type(err).__name__}: {err}"
            log.warning(text)
            if text not in result.check_errors:
                result.check_errors.append(text)
            return False


def _current(
    checklist: Checklist,
    member: str,
    joined_at: dt.datetime,
    enrolled_at: dt.datetime,
    done: Mapping[str, dt.datetime | None],
) -> Stuck | None:
    """The member's first open step and since when they have been on it (None: all done).

    They have been on it since joining or since completing an earlier step, whichever is later;
    completions found when the member was enrolled happened at some unknown time before, so
    they do not restart the clock (a first run on an existing organisation is fair).
    """
    since = joined_at
    for position, step in enumerate(checklist.steps, start=1):
        if step.id not in done:
            return Stuck(
                member_key=member,
                checklist=checklist,
                step=step,
                position=position,
                completed=sum(1 for s in checklist.steps if s.id in done),
                since=since,
                joined_at=joined_at,
            )
        at = done[step.id]
        if at is not None and at > enrolled_at and at > since:
            since = at
    return None


__all__ = ["OnboardingEngine", "OnboardingResult"]

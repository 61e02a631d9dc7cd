"""Deciding who gets a nudge now, and delivering it at most once.

A member on the same step for ``stuck_days`` (and at least the step's ``due_days`` after
joining) gets one nudge naming that step and its help link. Attempt *n+1* about the same step
follows attempt *n* after ``repeat_days``, up to ``max_per_step``. Each attempt has its own
idempotency key ``onboarding:nudge:<checklist>:<step>:<member>:<attempt>`` in the shared ledger
(:mod:`e20kit.delivery`). Opt-outs are always honoured; quiet hours and weekends are in the
organisation's time zone; the weekly cap counts every kind of message a member got in the last
7 days. An entry left pending by a crashed run is resolved first (it is not a new message, so
the cap does not hold it back).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import jinja2
import sqlalchemy as sa

from ..clock import OrgClock, utc
from ..config import Config
from ..delivery import (
    DeliveryState,
    deliver,
    deliveries_since,
    opted_out,
    quiet_in,
    recipients,
)
from ..notifier import Message, Notifier
from ..store import schema
from . import messages
from .results import NudgeOutcome, OnboardingResult
from .settings import Checklist, Step

KIND = "onboarding.nudge"
UNTITLED = {"en": "your onboarding checklist", "de": "Ihrer Onboarding-Checkliste"}
"""What a nudge calls a checklist without a title (its id means nothing to a newcomer)."""
WEEK = dt.timedelta(days=7)


def nudge_key(checklist: str, step: str, member: str, attempt: int) -> str:
    return f"onboarding:nudge:{checklist}:{step}:{member}:{attempt}"


@dataclass(frozen=True)
class Stuck:
    """A member whose current step is open for at least ``stuck_days``."""

    member_key: str
    checklist: Checklist
    step: Step
    position: int
    completed: int
    since: dt.datetime
    """When the step became the member's current one (joining or the previous completion)."""
    joined_at: dt.datetime


class NudgePlanner:
    def __init__(
        self,
        engine: sa.Engine,
        config: Config,
        env: jinja2.Environment,
        *,
        notifier: Notifier | None,
        clock: OrgClock,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.config = config
        self.settings = config.settings.onboarding.nudges
        self.env = env
        self.notifier = notifier

    def quiet(self, now: dt.datetime) -> str | None:
        """``weekend`` or ``quiet_hours`` when nothing may be sent at ``now``, else None."""
        return quiet_in(self.settings, now, self.clock.timezone)

    def nudge(
        self, stuck: Sequence[Stuck], result: OnboardingResult, now: dt.datetime, *, dry_run: bool
    ) -> None:
        due = self._due(stuck, now)
        if not due:
            return
        skip = result.skipped
        if not self.settings.enabled or self.notifier is None:
            skip["disabled"] = skip.get("disabled", 0) + len(due)
            return
        reason = self.quiet(now)
        if reason:
            skip[reason] = skip.get(reason, 0) + len(due)
            return
        keys = {s.member_key for s, _, _ in due}
        blocked = opted_out(self.engine, "onboarding") & keys
        counts = deliveries_since(self.engine, keys, now - WEEK)
        people = recipients(
            self.engine, keys, default_locale=self.config.settings.organisation.default_locale
        )
        name = self.settings.notifier
        for item, attempt, resuming in due:
            member = item.member_key
            if member in blocked:
                skip["opted_out"] = skip.get("opted_out", 0) + 1
                continue
            if not resuming and counts.get(member, 0) >= self.settings.weekly_cap:
                skip["weekly_cap"] = skip.get("weekly_cap", 0) + 1
                continue
            who = people[member]
            text = messages.render(self.env, who.locale, self._context(item, who.locale, now))
            key = nudge_key(item.checklist.id, item.step.id, member, attempt)
            message = Message(key, who, text.subject, text.body, kind=KIND)
            out = deliver(self.engine, name, self.notifier, message, dry_run=dry_run, now=now)
            if out.state in (DeliveryState.SENT, DeliveryState.WOULD_SEND) and not resuming:
                counts[member] = counts.get(member, 0) + 1
            result.nudges.append(
                NudgeOutcome(
                    member_key=member,
                    checklist=item.checklist.id,
                    step=item.step.id,
                    attempt=attempt,
                    channel=name,
                    subject=text.subject,
                    locale=who.locale,
                    key=key,
                    state=out.state.value,
                    error=out.error,
                )
            )
            if out.stop:  # the notifier's credentials were rejected: try nobody else
                break

    def _due(self, stuck: Sequence[Stuck], now: dt.datetime) -> list[tuple[Stuck, int, bool]]:
        """(stuck member, attempt, resuming an unfinished ledger entry) for nudges due now."""
        history = self._history({s.member_key for s in stuck})
        stuck_after = dt.timedelta(days=self.settings.stuck_days)
        repeat = dt.timedelta(days=self.settings.repeat_days)
        out: list[tuple[Stuck, int, bool]] = []
        for item in sorted(stuck, key=lambda s: (s.member_key, s.checklist.id, s.position)):
            first = max(item.since + stuck_after, item.joined_at + dt.timedelta(item.step.due_days))
            if now < first:
                continue
            prefix = nudge_key(item.checklist.id, item.step.id, item.member_key, 0)[:-1]
            attempts = sorted(
                (int(key[len(prefix) :]), state, at)
                for key, state, at in history.get(item.member_key, ())
                if key.startswith(prefix) and key[len(prefix) :].isdigit()
            )
            if not attempts:
                out.append((item, 1, False))
                continue
            last, state, at = attempts[-1]
            if state != "sent":
                out.append((item, last, state in ("pending", "unknown")))
            elif last < self.settings.max_per_step and now >= at + repeat:
                out.append((item, last + 1, False))
        return out

    def _history(self, members: set[str]) -> dict[str, list[tuple[str, str, dt.datetime]]]:
        ledger = schema.ledger
        out: dict[str, list[tuple[str, str, dt.datetime]]] = {}
        keys = sorted(members)
        with self.engine.connect() as conn:
            for start in range(0, len(keys), 500):
                rows = conn.execute(
                    sa.select(
                        ledger.c.member_key, ledger.c.key, ledger.c.state, ledger.c.updated_at
                    ).where(
                        ledger.c.kind == KIND, ledger.c.member_key.in_(keys[start : start + 500])
                    )
                )
                for member, key, state, updated in rows:
                    at = utc(updated)
                    assert at is not None
                    out.setdefault(member, []).append((key, state, at))
        return out

    def _context(self, item: Stuck, locale: str, now: dt.datetime) -> dict[str, object]:
        checklist = item.checklist
        return {
            "organisation": self.config.settings.organisation.name,
            "checklist_title": checklist.title.get(locale)
            if checklist.title
            else UNTITLED[locale if locale in UNTITLED else "en"],
            "opt_out_contact": self.config.settings.onboarding.nudges.opt_out_contact,
            "step_title": item.step.title.get(locale),
            "help_url": item.step.help_url,
            "position": item.position,
            "total": len(checklist.steps),
            "completed": item.completed,
            "days": max(0, (now - item.since).days),
        }


__all__ = ["KIND", "NudgeOutcome", "NudgePlanner", "Stuck", "nudge_key"]
